// The JSON document a Tracer exports ("env-setup/timing"): the contract between the tracer and
// whatever reads timings later (GitHub Action summary, editor extension, bug reports).
// Keep this file, SCHEMA.md and TIMING_SCHEMA_VERSION in step: a breaking change bumps the major version.

/** Value of the `schema` field of every timing document. */
export const TIMING_SCHEMA = 'env-setup/timing';

/** Semver of the document layout described here. */
export const TIMING_SCHEMA_VERSION = '1.0.0';

/** What a span attribute may hold. Numbers are always finite in an exported document. */
export type AttributeValue = string | number | boolean;

/** Key/value details of a span, e.g. `{ package: 'numpy', bytes: 1234 }`. */
export type Attributes = Record<string, AttributeValue>;

/**
 * How a span finished.
 * - `ok`: ended normally.
 * - `error`: ended by a failure; the span's `error` field says why.
 * - `open`: had not ended when the document was exported.
 */
export type SpanStatus = 'ok' | 'error' | 'open';

/** One timed piece of work. */
export interface TimingSpan {
  /** Integer id, unique within the document. Ids are given in start order, starting at 0, so a parent's id is always lower than its children's. */
  id: number;
  /** Id of the enclosing span, or `null` for a top-level span. */
  parent: number | null;
  /** What was timed, e.g. `"solve"` or `"fetch.channel"`. Many spans may share a name; summaries group by it. */
  name: string;
  /** Start time in milliseconds since the tracer was created (monotonic clock, rounded to 0.001 ms). */
  startMs: number;
  /** How long the span lasted in milliseconds (rounded to 0.001 ms), or `null` while it is still open. */
  durationMs: number | null;
  /** Details about the work (package name, byte count, cache hit, ...). Empty object when there are none. */
  attributes: Attributes;
  /** `ok`, `error` or `open`; see {@link SpanStatus}. */
  status: SpanStatus;
  /**
   * What went wrong: the error's message, prefixed with its class name unless that is plain `Error`
   * (e.g. `"AbortError: This operation was aborted"`). Present only when `status` is `"error"`.
   */
  error?: string;
}

/** Everything one tracer recorded. */
export interface TimingDocument {
  /** Always `"env-setup/timing"`; lets readers recognise the document. */
  schema: typeof TIMING_SCHEMA;
  /** Semver of the layout (`"1.0.0"`). Readers should accept any version with the same major number. */
  version: string;
  /** Wall-clock time at which the tracer was created, as an ISO 8601 string (UTC). */
  startedAt: string;
  /** Milliseconds from tracer creation to export (rounded to 0.001 ms). */
  totalMs: number;
  /** All spans, ordered by id (start order). */
  spans: TimingSpan[];
  /** Named running totals (download counts, bytes, cache hits, ...), in order of first use. */
  counters: Record<string, number>;
}
