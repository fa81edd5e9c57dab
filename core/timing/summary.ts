// Per-name aggregation of a timing document (count, total and self time), and a plain-text table
// of it. The GitHub Action and the CLI render their per-stage timing tables from summarize().

import type { TimingDocument, TimingSpan } from './schema.ts';

export interface SpanSummary {
  /** Span name the row aggregates. */
  name: string;
  /** Number of spans with this name, open ones included. */
  count: number;
  /** How many of them ended with status "error". */
  errors: number;
  /** How many were still open at export; they add nothing to `totalMs` and `selfMs`. */
  open: number;
  /** Sum of the durations of the ended spans. Nested spans of the same name are counted at every level. */
  totalMs: number;
  /**
   * Sum of the ended spans' self time: the part of each span's duration during which none of its
   * direct children was running. Concurrent children are merged (their union is subtracted, not
   * their sum), so self time is never negative; a child still open counts as running until its
   * parent ended.
   */
  selfMs: number;
}

/** Aggregates spans by name, in order of each name's first span (which is pipeline order). */
export function summarize(doc: TimingDocument): SpanSummary[] {
  const children = new Map<number, TimingSpan[]>();
  for (const span of doc.spans) {
    if (span.parent === null) continue;
    const siblings = children.get(span.parent);
    if (siblings === undefined) children.set(span.parent, [span]);
    else siblings.push(span);
  }

  const rows = new Map<string, SpanSummary>();
  for (const span of doc.spans) {
    let row = rows.get(span.name);
    if (row === undefined) {
      row = { name: span.name, count: 0, errors: 0, open: 0, totalMs: 0, selfMs: 0 };
      rows.set(span.name, row);
    }
    row.count++;
    if (span.status === 'error') row.errors++;
    if (span.durationMs === null) {
      row.open++;
      continue;
    }
    row.totalMs += span.durationMs;
    row.selfMs += selfTime(span, span.durationMs, children.get(span.id));
  }

  const result = [...rows.values()];
  for (const row of result) {
    row.totalMs = roundMs(row.totalMs);
    row.selfMs = roundMs(row.selfMs);
  }
  return result;
}

/** Duration minus the union of the children's intervals, clipped to the parent's interval. */
function selfTime(span: TimingSpan, duration: number, children: TimingSpan[] | undefined): number {
  if (children === undefined) return duration;
  const start = span.startMs;
  const end = start + duration;
  const intervals: [number, number][] = [];
  for (const child of children) {
    const from = Math.max(child.startMs, start);
    const to = Math.min(child.durationMs === null ? Infinity : child.startMs + child.durationMs, end);
    if (to > from) intervals.push([from, to]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let runFrom = -Infinity;
  let runTo = -Infinity;
  for (const [from, to] of intervals) {
    if (from > runTo) {
      if (runTo > runFrom) covered += runTo - runFrom;
      runFrom = from;
      runTo = to;
    } else if (to > runTo) {
      runTo = to;
    }
  }
  if (runTo > runFrom) covered += runTo - runFrom;
  return Math.max(0, duration - covered);
}

/**
 * Plain-text table of summarize(doc), followed by the counters, e.g.
 *
 *     timing: 1234.5 ms total
 *     span            count  errors  total ms  self ms
 *     solve               1       0     812.0    812.0
 *     ...
 *     counter            value
 *     download.bytes   1048576
 */
export function formatSummary(doc: TimingDocument): string {
  const rows = summarize(doc);
  const showOpen = rows.some((row) => row.open > 0);
  const lines = [`timing: ${formatMs(doc.totalMs)} ms total`];

  if (rows.length > 0) {
    const header = ['span', 'count', 'errors', ...(showOpen ? ['open'] : []), 'total ms', 'self ms'];
    const body = rows.map((row) => [
      row.name,
      String(row.count),
      String(row.errors),
      ...(showOpen ? [String(row.open)] : []),
      formatMs(row.totalMs),
      formatMs(row.selfMs),
    ]);
    lines.push(...table([header, ...body]));
  } else {
    lines.push('no spans recorded');
  }

  const counters = Object.entries(doc.counters);
  if (counters.length > 0) {
    lines.push('');
    lines.push(...table([['counter', 'value'], ...counters.map(([name, value]) => [name, String(value)])]));
  }
  return lines.join('\n') + '\n';
}

/** Lays out cells in columns: the first left-aligned, the others right-aligned, two spaces apart. */
function table(cells: string[][]): string[] {
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return cells.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function formatMs(ms: number): string {
  return ms.toFixed(1);
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
