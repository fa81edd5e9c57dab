// Public API of core/timing: the tracer every pipeline stage reports to, the exported document's
// schema, and summaries of it. Import from here rather than from the individual files.

export { Tracer, type TracerOptions, type SpanOptions } from './tracer.ts';
export { Span } from './span.ts';
export type { AttributesInit } from './span-store.ts';
export { summarize, formatSummary, type SpanSummary } from './summary.ts';
export {
  TIMING_SCHEMA,
  TIMING_SCHEMA_VERSION,
  type AttributeValue,
  type Attributes,
  type SpanStatus,
  type TimingSpan,
  type TimingDocument,
} from './schema.ts';
