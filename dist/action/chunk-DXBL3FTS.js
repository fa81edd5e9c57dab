import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/timing/tracer.ts
import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";

// core/timing/span.ts
var Span = class {
  /** Id of the span in the exported document; -1 for the no-op span of a disabled tracer. */
  id;
  /** @internal Storage the span lives in; null for the no-op span. */
  store;
  /** @internal Spans are made by Tracer.span() and Tracer.start(). */
  constructor(store, id) {
    this.store = store;
    this.id = id;
  }
  /** Sets one attribute (an `undefined` value is ignored). Allowed after end(), e.g. for sizes known late. */
  setAttribute(key, value) {
    this.store?.setAttribute(this.id, key, value);
    return this;
  }
  /** Sets several attributes at once; `undefined` values are ignored. */
  addAttributes(attributes) {
    this.store?.addAttributes(this.id, attributes);
    return this;
  }
  /** Ends the span with status "ok". Ending an ended span does nothing. */
  end() {
    this.store?.close(this.id);
  }
  /** Ends the span with status "error" and the error's message. Does nothing if the span has already ended. */
  fail(error) {
    this.store?.fail(this.id, error);
  }
  /** True until end() or fail() (always false for the no-op span). */
  get isOpen() {
    return this.store !== null && this.store.isOpen(this.id);
  }
};
var NOOP_SPAN = new Span(null, -1);

// core/timing/span-store.ts
var NO_PARENT = -1;
var INITIAL_CAPACITY = 1024;
var SpanStore = class {
  /** Number of spans recorded; span indexes are 0..count-1 in start order. */
  count = 0;
  /** Parent index per span, or NO_PARENT. */
  parents = new Int32Array(INITIAL_CAPACITY);
  /** Start per span, ms since `origin`. */
  starts = new Float64Array(INITIAL_CAPACITY);
  /** Duration per span in ms; NaN while the span is open. */
  durations = new Float64Array(INITIAL_CAPACITY);
  names = [];
  /** Attributes per span; `undefined` until the span gets its first attribute. */
  attributes = [];
  /** Error message per failed span (failures are rare, so a map rather than a column). */
  errors = /* @__PURE__ */ new Map();
  clock;
  /** Clock reading when the store was created; every stored time is relative to it. */
  origin;
  constructor(clock) {
    this.clock = clock;
    this.origin = clock();
  }
  /** Milliseconds since the store was created. */
  now() {
    return this.clock() - this.origin;
  }
  /** Records the start of a span and returns its index. */
  open(name, parent, attributes) {
    const index = this.count;
    if (index === this.parents.length) this.grow();
    this.parents[index] = parent;
    this.starts[index] = this.now();
    this.durations[index] = NaN;
    this.names.push(name);
    this.attributes.push(attributes === void 0 ? void 0 : copyAttributes(attributes));
    this.count = index + 1;
    return index;
  }
  isOpen(index) {
    return Number.isNaN(this.durations[index]);
  }
  /** Ends a span; returns false (and changes nothing) if it had already ended. */
  close(index) {
    if (!Number.isNaN(this.durations[index])) return false;
    this.durations[index] = this.now() - this.starts[index];
    return true;
  }
  /** Ends a span as failed; does nothing if it had already ended. */
  fail(index, error) {
    if (this.close(index)) this.errors.set(index, errorMessage(error));
  }
  setAttribute(index, key, value) {
    if (value === void 0) return;
    const current = this.attributes[index];
    if (current === void 0) this.attributes[index] = { [key]: value };
    else current[key] = value;
  }
  addAttributes(index, attributes) {
    const current = this.attributes[index];
    if (current === void 0) this.attributes[index] = copyAttributes(attributes);
    else for (const key of Object.keys(attributes)) this.setAttribute(index, key, attributes[key]);
  }
  grow() {
    const capacity = this.parents.length * 2;
    const parents = new Int32Array(capacity);
    parents.set(this.parents);
    this.parents = parents;
    const starts = new Float64Array(capacity);
    starts.set(this.starts);
    this.starts = starts;
    const durations = new Float64Array(capacity);
    durations.set(this.durations);
    this.durations = durations;
  }
};
function copyAttributes(attributes) {
  const copy = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== void 0) copy[key] = value;
  }
  return copy;
}
function errorMessage(error) {
  if (error instanceof Error) {
    const message = error.message || error.name;
    return error.name && error.name !== "Error" && message !== error.name ? `${error.name}: ${message}` : message;
  }
  if (typeof error === "string") return error;
  try {
    return String(error);
  } catch {
    return "unknown error";
  }
}

// core/timing/schema.ts
var TIMING_SCHEMA = "env-setup/timing";
var TIMING_SCHEMA_VERSION = "1.0.0";

// core/timing/tracer.ts
var disabledTracer;
var Tracer = class _Tracer {
  /** False for a no-op tracer. */
  enabled;
  #store;
  /** Index of the current span in this async context. */
  #current;
  #counters = /* @__PURE__ */ new Map();
  #startedAt;
  constructor(options = {}) {
    this.enabled = options.enabled ?? true;
    this.#startedAt = /* @__PURE__ */ new Date();
    if (this.enabled) {
      this.#store = new SpanStore(options.clock ?? defaultClock);
      this.#current = new AsyncLocalStorage();
    } else {
      this.#store = null;
      this.#current = null;
    }
  }
  /** A shared tracer that records nothing, for callers that don't care about timings. */
  static disabled() {
    return disabledTracer ??= new _Tracer({ enabled: false });
  }
  /**
   * Runs `fn` inside a new span and returns what it returns. The span is the current span for
   * everything `fn` starts, sync or async. If `fn` returns a promise, the span ends when the promise
   * settles. If `fn` throws or its promise rejects, the span ends with status "error" and the error
   * is re-thrown unchanged.
   */
  span(name, fn, attributes, options) {
    const store = this.#store;
    if (store === null) return fn(NOOP_SPAN);
    const index = store.open(name, this.#parentIndex(options), attributes);
    const span = new Span(store, index);
    let result;
    try {
      result = this.#current.run(index, fn, span);
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
        (error) => {
          store.fail(index, error);
          throw error;
        }
      );
    }
    store.close(index);
    return result;
  }
  /**
   * Starts a span that the caller ends with `span.end()` or `span.fail(error)`. The span does not
   * become the current span; pass it as `{ parent }` to nest spans under it.
   */
  start(name, attributes, options) {
    const store = this.#store;
    if (store === null) return NOOP_SPAN;
    return new Span(store, store.open(name, this.#parentIndex(options), attributes));
  }
  /** Adds `delta` (default 1) to a named counter, e.g. `counter('download.bytes', n)`. Non-finite deltas are ignored. */
  counter(name, delta = 1) {
    if (this.#store === null || !Number.isFinite(delta)) return;
    this.#counters.set(name, (this.#counters.get(name) ?? 0) + delta);
  }
  /** Snapshot of everything recorded so far; spans still running are exported as open. */
  toJSON() {
    const store = this.#store;
    const spans = [];
    if (store !== null) {
      for (let i = 0; i < store.count; i++) spans.push(exportSpan(store, i));
    }
    return {
      schema: TIMING_SCHEMA,
      version: TIMING_SCHEMA_VERSION,
      startedAt: this.#startedAt.toISOString(),
      totalMs: store === null ? 0 : roundMs(store.now()),
      spans,
      counters: Object.fromEntries(this.#counters)
    };
  }
  #parentIndex(options) {
    const parent = options?.parent;
    if (parent === void 0) return this.#current.getStore() ?? NO_PARENT;
    if (parent === null) return NO_PARENT;
    if (parent.store !== this.#store) throw new Error("env-setup timing: the parent span belongs to another tracer");
    return parent.id;
  }
};
function defaultClock() {
  return performance.now();
}
function isPromiseLike(value) {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof value.then === "function";
}
function exportSpan(store, i) {
  const parent = store.parents[i];
  const duration = store.durations[i];
  const open = Number.isNaN(duration);
  const error = store.errors.get(i);
  const span = {
    id: i,
    parent: parent === NO_PARENT ? null : parent,
    name: store.names[i],
    startMs: roundMs(store.starts[i]),
    durationMs: open ? null : roundMs(duration),
    attributes: exportAttributes(store.attributes[i]),
    status: open ? "open" : error === void 0 ? "ok" : "error"
  };
  if (error !== void 0) span.error = error;
  return span;
}
function exportAttributes(attributes) {
  const copy = {};
  if (attributes === void 0) return copy;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    copy[key] = typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
  }
  return copy;
}
function roundMs(ms) {
  return Math.round(ms * 1e3) / 1e3;
}

export {
  Tracer
};
