// The stages a run is reported in (cache restore, fetch index, parse, reduce, solve, download,
// verify, extract, link, scan, cache save) and the wall time of each, measured from a timing
// document's spans: a stage's time is the union of its spans' intervals, so concurrent downloads
// count once and a span nested in one of the same stage adds nothing. Stages can overlap each other
// (downloads run while others extract), so the shares may add up to more than 100 %.

import type { TimingDocument, TimingSpan } from './schema.ts';

export interface StageTime {
  stage: string;
  ms: number;
  /** ms / the document's totalMs (0 when the total is 0). */
  share: number;
  spans: number;
}

/** Stage names in pipeline order, with the span names (or `prefix.*`) that belong to them. */
export const STAGES: readonly { stage: string; spans: readonly string[] }[] = [
  { stage: 'cache restore', spans: ['action.restore.*', 'cache.spec.lookup', 'cache.pip-sources', 'cache.restore'] },
  { stage: 'fetch index', spans: ['repodata.download', 'shards.index', 'shards.walk', 'shards.more', 'repodata.cache.read', 'repodata.cache.write'] },
  { stage: 'parse', spans: ['repodata.scan', 'repodata.decompress', 'repodata.table.read', 'shards.index.decode'] },
  { stage: 'reduce', spans: ['index'] },
  { stage: 'solve', spans: ['solve', 'solve.pins', 'explain'] },
  { stage: 'download', spans: ['install.download'] },
  { stage: 'verify', spans: ['install.verify'] },
  { stage: 'extract', spans: ['install.extract'] },
  { stage: 'link', spans: ['install.unlink', 'install.link', 'install.compile', 'install.scripts', 'install.records'] },
  { stage: 'pip', spans: ['install.pip'] },
  { stage: 'scan', spans: ['cache.scan', 'cache.relocate'] },
  { stage: 'cache save', spans: ['cache.save', 'cache.spec.save', 'action.save.*'] },
];

/** Which stage a span name belongs to, or undefined. */
export function stageOf(name: string): string | undefined {
  for (const { stage, spans } of STAGES) {
    for (const pattern of spans) {
      if (pattern.endsWith('.*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern) return stage;
    }
  }
  return undefined;
}

/** Every stage's wall time in the document, in pipeline order (stages with no spans have ms 0). */
export function stageTimes(doc: TimingDocument): StageTime[] {
  const byStage = new Map<string, TimingSpan[]>();
  for (const span of doc.spans) {
    const stage = stageOf(span.name);
    if (stage === undefined || span.durationMs === null) continue;
    const list = byStage.get(stage);
    if (list === undefined) byStage.set(stage, [span]);
    else list.push(span);
  }
  return STAGES.map(({ stage }) => {
    const spans = byStage.get(stage) ?? [];
    const ms = Math.round(union(spans.map((s) => [s.startMs, s.startMs + s.durationMs!])) * 1000) / 1000;
    return { stage, ms, share: doc.totalMs > 0 ? ms / doc.totalMs : 0, spans: spans.length };
  });
}

/** The slowest spans of one name (e.g. `install.download`), by duration, with their `package` attribute. */
export function slowestSpans(doc: TimingDocument, name: string, count: number): { package: string; ms: number; bytes: number | undefined }[] {
  return doc.spans
    .filter((s) => s.name === name && s.durationMs !== null)
    .map((s) => ({ package: String(s.attributes.package ?? s.attributes.fn ?? `span ${s.id}`), ms: s.durationMs!, bytes: typeof s.attributes.size === 'number' ? s.attributes.size : typeof s.attributes.bytes === 'number' ? s.attributes.bytes : undefined }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

function union(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const [a, b] of intervals) {
    if (a > to) {
      if (to > from) total += to - from;
      from = a;
      to = b;
    } else if (b > to) to = b;
  }
  if (to > from) total += to - from;
  return total;
}
