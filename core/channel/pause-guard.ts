// Keeps undici 7 from crashing the process when a server closes the connection after a body that
// the reader had paused (nodejs/undici#5360; fixed in undici 8, which needs Node 22.19, above the
// 22.15 this engine supports). When a response body pauses the connection under backpressure at its
// last bytes and the server then closes it (every answer of an HTTP/1.0 server such as
// `python -m http.server`, or one with `Connection: close`), undici's socket 'end' handler asserts
// that the parser is not paused: an AssertionError no caller can catch.
//
// The interceptor here lets a body with a Content-Length pause the connection as before, except on
// the chunk that completes it: those bytes have already arrived, and the body stream buffers them
// until its reader takes them. A body without a length (chunked, or ending with the connection)
// never pauses it: its last chunk cannot be told in advance (a chunked body paused at its last data
// crashes the same way), so such a body is buffered as fast as it arrives. Channels and package
// servers send a Content-Length with their files; backpressure holds for those.

import type { Dispatcher } from 'undici';

type Handler = Dispatcher.DispatchHandler & Record<string, unknown>;
type Controller = Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>[0];

/** How much of a body is still to come, in bytes; undefined when it has no length (chunked, or until the server closes). */
type Remaining = number | undefined;

function remainingOf(get: (name: string) => string | undefined): Remaining {
  const encoding = get('transfer-encoding');
  if (encoding !== undefined && /chunked/i.test(encoding)) return undefined;
  const length = get('content-length');
  return length !== undefined && /^\s*\d+\s*$/.test(length) ? Number(length) : undefined;
}

/** Reads a header from undici's raw header list ([name, value, name, value, …], Buffers or strings). */
function rawHeader(raw: unknown[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
  return undefined;
}

/** A controller that ignores pause(): handed to a new-style handler for the chunks that must not pause. */
function unpausable(controller: Controller): Controller {
  return {
    pause() {},
    resume: () => controller.resume(),
    abort: (reason: Error) => controller.abort(reason),
    get paused() {
      return controller.paused;
    },
    get aborted() {
      return controller.aborted;
    },
    get reason() {
      return controller.reason;
    },
  } as Controller;
}

/** Wraps `handler` (either of undici's handler interfaces) so that the chunks described above never pause the connection. */
export function guardedHandler(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  const target = handler as Handler;
  let remaining: Remaining;
  // true when this chunk ends the body, or when the body has no length
  const mustNotPause = (bytes: number): boolean => {
    if (remaining === undefined) return true;
    remaining -= bytes;
    return remaining <= 0;
  };
  // the wrapped methods, and the handler's own methods bound to it, made once per request
  const methods = new Map<PropertyKey, unknown>();
  if (typeof target.onHeaders === 'function') {
    const onHeaders = target.onHeaders as (...a: unknown[]) => boolean;
    methods.set('onHeaders', (statusCode: number, raw: unknown[], resume: () => void, statusText: string) => {
      remaining = remainingOf((name) => rawHeader(raw, name));
      return onHeaders.call(target, statusCode, raw, resume, statusText);
    });
  }
  if (typeof target.onData === 'function') {
    const onData = target.onData as (c: Buffer) => boolean;
    methods.set('onData', (chunk: Buffer) => {
      const result = onData.call(target, chunk);
      return mustNotPause(chunk.length) ? true : result;
    });
  }
  if (typeof target.onResponseStart === 'function') {
    methods.set('onResponseStart', (controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string) => {
      remaining = remainingOf((name) => {
        const v = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
        return Array.isArray(v) ? v.join(', ') : v;
      });
      return target.onResponseStart!(controller, statusCode, headers as Record<string, string>, statusMessage);
    });
  }
  if (typeof target.onResponseData === 'function') {
    methods.set('onResponseData', (controller: Controller, chunk: Buffer) => target.onResponseData!(mustNotPause(chunk.length) ? unpausable(controller) : controller, chunk));
  }
  return new Proxy(target, {
    get(_, key) {
      const made = methods.get(key);
      if (made !== undefined) return made;
      const value = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      const bound = value.bind(target);
      methods.set(key, bound);
      return bound;
    },
  });
}

/** `dispatcher` with every request's handler guarded (see the header). close() and destroy() reach `dispatcher`. */
export function guardPauses(dispatcher: Dispatcher): Dispatcher {
  return dispatcher.compose((dispatch) => (options, handler) => dispatch(options, guardedHandler(handler)));
}
