// Flat storage for the spans of one tracer: one slot per span in parallel (typed) arrays, so that
// recording a span costs a few array writes and no per-span objects beyond the caller's handle.
// Internal to core/timing; callers use Tracer and Span.

import type { AttributeValue, Attributes } from './schema.ts';

/** Attributes as callers pass them: `undefined` values are skipped, so optional details can be passed as is. */
export type AttributesInit = Readonly<Record<string, AttributeValue | undefined>>;

/** Parent index of a top-level span. */
export const NO_PARENT = -1;

const INITIAL_CAPACITY = 1024;

export class SpanStore {
  /** Number of spans recorded; span indexes are 0..count-1 in start order. */
  count = 0;
  /** Parent index per span, or NO_PARENT. */
  parents = new Int32Array(INITIAL_CAPACITY);
  /** Start per span, ms since `origin`. */
  starts = new Float64Array(INITIAL_CAPACITY);
  /** Duration per span in ms; NaN while the span is open. */
  durations = new Float64Array(INITIAL_CAPACITY);
  readonly names: string[] = [];
  /** Attributes per span; `undefined` until the span gets its first attribute. */
  readonly attributes: (Attributes | undefined)[] = [];
  /** Error message per failed span (failures are rare, so a map rather than a column). */
  readonly errors = new Map<number, string>();
  readonly clock: () => number;
  /** Clock reading when the store was created; every stored time is relative to it. */
  readonly origin: number;

  constructor(clock: () => number) {
    this.clock = clock;
    this.origin = clock();
  }

  /** Milliseconds since the store was created. */
  now(): number {
    return this.clock() - this.origin;
  }

  /** Records the start of a span and returns its index. */
  open(name: string, parent: number, attributes: AttributesInit | undefined): number {
    const index = this.count;
    if (index === this.parents.length) this.grow();
    this.parents[index] = parent;
    this.starts[index] = this.now();
    this.durations[index] = NaN;
    this.names.push(name);
    this.attributes.push(attributes === undefined ? undefined : copyAttributes(attributes));
    this.count = index + 1;
    return index;
  }

  isOpen(index: number): boolean {
    return Number.isNaN(this.durations[index]);
  }

  /** Ends a span; returns false (and changes nothing) if it had already ended. */
  close(index: number): boolean {
    if (!Number.isNaN(this.durations[index])) return false;
    this.durations[index] = this.now() - this.starts[index]!;
    return true;
  }

  /** Ends a span as failed; does nothing if it had already ended. */
  fail(index: number, error: unknown): void {
    if (this.close(index)) this.errors.set(index, errorMessage(error));
  }

  setAttribute(index: number, key: string, value: AttributeValue | undefined): void {
    if (value === undefined) return;
    const current = this.attributes[index];
    if (current === undefined) this.attributes[index] = { [key]: value };
    else current[key] = value;
  }

  addAttributes(index: number, attributes: AttributesInit): void {
    const current = this.attributes[index];
    if (current === undefined) this.attributes[index] = copyAttributes(attributes);
    else for (const key of Object.keys(attributes)) this.setAttribute(index, key, attributes[key]);
  }

  private grow(): void {
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
}

function copyAttributes(attributes: AttributesInit): Attributes {
  const copy: Attributes = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}

/** The text recorded for a failure: the error's message, prefixed by its class name unless that is plain `Error`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message || error.name;
    return error.name && error.name !== 'Error' && message !== error.name ? `${error.name}: ${message}` : message;
  }
  if (typeof error === 'string') return error;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
}
