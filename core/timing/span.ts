// Span: the handle a pipeline stage holds while its work is timed. It only points into the
// tracer's flat storage (store + index); a disabled tracer hands out one shared no-op span.

import type { SpanStore, AttributesInit } from './span-store.ts';
import type { AttributeValue } from './schema.ts';

export class Span {
  /** Id of the span in the exported document; -1 for the no-op span of a disabled tracer. */
  readonly id: number;
  /** @internal Storage the span lives in; null for the no-op span. */
  readonly store: SpanStore | null;

  /** @internal Spans are made by Tracer.span() and Tracer.start(). */
  constructor(store: SpanStore | null, id: number) {
    this.store = store;
    this.id = id;
  }

  /** Sets one attribute (an `undefined` value is ignored). Allowed after end(), e.g. for sizes known late. */
  setAttribute(key: string, value: AttributeValue | undefined): this {
    this.store?.setAttribute(this.id, key, value);
    return this;
  }

  /** Sets several attributes at once; `undefined` values are ignored. */
  addAttributes(attributes: AttributesInit): this {
    this.store?.addAttributes(this.id, attributes);
    return this;
  }

  /** Ends the span with status "ok". Ending an ended span does nothing. */
  end(): void {
    this.store?.close(this.id);
  }

  /** Ends the span with status "error" and the error's message. Does nothing if the span has already ended. */
  fail(error: unknown): void {
    this.store?.fail(this.id, error);
  }

  /** True until end() or fail() (always false for the no-op span). */
  get isOpen(): boolean {
    return this.store !== null && this.store.isOpen(this.id);
  }
}

/** The span a disabled tracer passes around: every method does nothing. */
export const NOOP_SPAN: Span = new Span(null, -1);
