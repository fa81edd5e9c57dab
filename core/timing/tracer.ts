// Tracer: records nested, timed spans and counters for one env-setup run and exports them as an
// "env-setup/timing" document. The current span follows async work through AsyncLocalStorage, so
// concurrent tasks (parallel downloads, ...) each nest under the span that started them.

import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { NOOP_SPAN, Span } from './span.ts';
import { NO_PARENT, SpanStore, type AttributesInit } from './span-store.ts';
import { TIMING_SCHEMA, TIMING_SCHEMA_VERSION, type Attributes, type TimingDocument, type TimingSpan } from './schema.ts';

export interface TracerOptions {
  /** Monotonic clock in milliseconds. Default: `performance.now()`. Tests inject a fake one. */
  clock?: () => number;
  /** `false` gives a tracer that records nothing and costs next to nothing. Default: true. */
  enabled?: boolean;
}

export interface SpanOptions {
  /**
   * Parent of the new span. Default: the current span (the innermost `tracer.span()` callback
   * running in this async context), or none. `null` makes a top-level span.
   */
  parent?: Span | null;
}

let disabledTracer: Tracer | undefined;

export class Tracer {
  /** False for a no-op tracer. */
  readonly enabled: boolean;
  readonly #store: SpanStore | null;
  /** Index of the current span in this async context. */
  readonly #current: AsyncLocalStorage<number> | null;
  readonly #counters = new Map<string, number>();
  readonly #startedAt: Date;

  constructor(options: TracerOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.#startedAt = new Date();
    if (this.enabled) {
      this.#store = new SpanStore(options.clock ?? defaultClock);
      this.#current = new AsyncLocalStorage<number>();
    } else {
      this.#store = null;
      this.#current = null;
    }
  }

  /** A shared tracer that records nothing, for callers that don't care about timings. */
  static disabled(): Tracer {
    return (disabledTracer ??= new Tracer({ enabled: false }));
  }

  /**
   * Runs `fn` inside a new span and returns what it returns. The span is the current span for
   * everything `fn` starts, sync or async. If `fn` returns a promise, the span ends when the promise
   * settles. If `fn` throws or its promise rejects, the span ends with status "error" and the error
   * is re-thrown unchanged.
   */
  span<T>(name: string, fn: (span: Span) => T, attributes?: AttributesInit, options?: SpanOptions): T {
    const store = this.#store;
    if (store === null) return fn(NOOP_SPAN);
    const index = store.open(name, this.#parentIndex(options), attributes);
    const span = new Span(store, index);
    let result: T;
    try {
      result = this.#current!.run(index, fn, span);
    } catch (error) {
      store.fail(index, error);
      throw error;
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (value) => {
          store.close(index);
          return value;
        },
        (error: unknown) => {
          store.fail(index, error);
          throw error;
        },
      ) as T;
    }
    store.close(index);
    return result;
  }

  /**
   * Starts a span that the caller ends with `span.end()` or `span.fail(error)`. The span does not
   * become the current span; pass it as `{ parent }` to nest spans under it.
   */
  start(name: string, attributes?: AttributesInit, options?: SpanOptions): Span {
    const store = this.#store;
    if (store === null) return NOOP_SPAN;
    return new Span(store, store.open(name, this.#parentIndex(options), attributes));
  }

  /** Adds `delta` (default 1) to a named counter, e.g. `counter('download.bytes', n)`. Non-finite deltas are ignored. */
  counter(name: string, delta = 1): void {
    if (this.#store === null || !Number.isFinite(delta)) return;
    this.#counters.set(name, (this.#counters.get(name) ?? 0) + delta);
  }

  /** Snapshot of everything recorded so far; spans still running are exported as open. */
  toJSON(): TimingDocument {
    const store = this.#store;
    const spans: TimingSpan[] = [];
    if (store !== null) {
      for (let i = 0; i < store.count; i++) spans.push(exportSpan(store, i));
    }
    return {
      schema: TIMING_SCHEMA,
      version: TIMING_SCHEMA_VERSION,
      startedAt: this.#startedAt.toISOString(),
      totalMs: store === null ? 0 : roundMs(store.now()),
      spans,
      counters: Object.fromEntries(this.#counters),
    };
  }

  #parentIndex(options: SpanOptions | undefined): number {
    const parent = options?.parent;
    if (parent === undefined) return this.#current!.getStore() ?? NO_PARENT;
    if (parent === null) return NO_PARENT;
    if (parent.store !== this.#store) throw new Error('env-setup timing: the parent span belongs to another tracer');
    return parent.id;
  }
}

function defaultClock(): number {
  return performance.now();
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function exportSpan(store: SpanStore, i: number): TimingSpan {
  const parent = store.parents[i]!;
  const duration = store.durations[i]!;
  const open = Number.isNaN(duration);
  const error = store.errors.get(i);
  const span: TimingSpan = {
    id: i,
    parent: parent === NO_PARENT ? null : parent,
    name: store.names[i]!,
    startMs: roundMs(store.starts[i]!),
    durationMs: open ? null : roundMs(duration),
    attributes: exportAttributes(store.attributes[i]),
    status: open ? 'open' : error === undefined ? 'ok' : 'error',
  };
  if (error !== undefined) span.error = error;
  return span;
}

/** Copies attributes, turning non-finite numbers (which JSON cannot hold) into strings. */
function exportAttributes(attributes: Attributes | undefined): Attributes {
  const copy: Attributes = {};
  if (attributes === undefined) return copy;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key]!;
    copy[key] = typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  }
  return copy;
}

/** Rounds to whole microseconds: enough precision, shorter JSON. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
