// A timing document in the Chrome trace event format (the JSON Perfetto and chrome://tracing open):
// every ended span becomes a complete event ("ph": "X") with microsecond start and duration, open
// spans an instant event, counters counter events at the end. Spans that overlap without nesting
// (concurrent downloads) are spread over lanes ("tid") so the viewer draws them side by side.

import type { TimingDocument, TimingSpan } from './schema.ts';

export interface ChromeTraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'i' | 'C' | 'M';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  s?: 't';
  args: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  metadata: { schema: string; version: string; startedAt: string; totalMs: number };
}

const us = (ms: number) => Math.round(ms * 1000);

/** Converts a timing document (schema.ts) to a Chrome trace (see the header). */
export function toChromeTrace(doc: TimingDocument, processName = 'env-setup'): ChromeTrace {
  const lanes = assignLanes(doc.spans);
  const events: ChromeTraceEvent[] = [{ name: 'process_name', cat: '__metadata', ph: 'M', ts: 0, pid: 1, tid: 0, args: { name: processName } }];
  for (const span of doc.spans) {
    const tid = lanes.get(span.id) ?? 0;
    const args: Record<string, unknown> = { ...span.attributes, id: span.id, parent: span.parent };
    if (span.error !== undefined) args.error = span.error;
    const cat = span.name.split('.')[0]!;
    if (span.durationMs === null) events.push({ name: span.name, cat, ph: 'i', s: 't', ts: us(span.startMs), pid: 1, tid, args: { ...args, status: 'open' } });
    else events.push({ name: span.name, cat, ph: 'X', ts: us(span.startMs), dur: us(span.durationMs), pid: 1, tid, args });
  }
  for (const [name, value] of Object.entries(doc.counters)) events.push({ name, cat: 'counter', ph: 'C', ts: us(doc.totalMs), pid: 1, tid: 0, args: { value } });
  return { traceEvents: events, displayTimeUnit: 'ms', metadata: { schema: doc.schema, version: doc.version, startedAt: doc.startedAt, totalMs: doc.totalMs } };
}

/**
 * A lane per span: a child stays in its parent's lane unless a sibling already occupies it at that
 * time, in which case it takes the lowest lane free for its whole interval.
 */
function assignLanes(spans: readonly TimingSpan[]): Map<number, number> {
  const lane = new Map<number, number>();
  const busy: { until: number; depth: number }[][] = [];
  const end = (s: TimingSpan) => (s.durationMs === null ? Infinity : s.startMs + s.durationMs);
  const ids = new Map(spans.map((s) => [s.id, s]));
  const depth = (s: TimingSpan): number => (s.parent === null ? 0 : 1 + depth(ids.get(s.parent) ?? { ...s, parent: null }));
  for (const span of spans) {
    const d = depth(span);
    const preferred = span.parent === null ? 0 : (lane.get(span.parent) ?? 0);
    const free = (l: number) => (busy[l] ?? []).every((b) => b.depth < d || b.until <= span.startMs);
    let chosen = preferred;
    for (let l = 0; !free(chosen); l++) chosen = l;
    lane.set(span.id, chosen);
    (busy[chosen] ??= []).push({ until: end(span), depth: d });
  }
  return lane;
}
