// One reused 1 MiB buffer for synchronous file work on the main thread — placeholder files
// rewritten window by window (link-prefix-stream.ts), conda-meta text written through it — instead
// of fresh memory the size of each file. Asking the system for fresh memory is the expensive part
// of such work on virtual machines where the first touch of a page costs tens of microseconds (a
// 25 MB read buffer: 100 ms; the 15 MB of an environment's conda-meta turned into bytes at once:
// three times the time of writing it through this window). Synchronous users never interleave,
// so one buffer serves them all.

import { writeSync } from 'node:fs';

export const WINDOW_BYTES = 1 << 20;

let window: Buffer | undefined;
const encoder = new TextEncoder();

/** The shared window (made on first use). */
export function scratchWindow(): Buffer {
  return (window ??= Buffer.allocUnsafe(WINDOW_BYTES));
}

/**
 * Text written to an open file as UTF-8 through the window: small pieces are gathered into one
 * write, a piece longer than the window is cut at whole characters. `flush()` at the end (and
 * before anyone else uses the window: it is shared).
 */
export class TextWindowWriter {
  readonly #fd: number;
  readonly #buf = scratchWindow();
  #filled = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  write(text: string): void {
    const buf = this.#buf;
    // most pieces are short: encoded whole at the fill mark (Buffer#write makes no view and no
    // result object; with three bytes of room per UTF-16 unit, every character fits)
    if (text.length * 3 <= WINDOW_BYTES) {
      if (text.length * 3 > WINDOW_BYTES - this.#filled) this.flush();
      this.#filled += buf.write(text, this.#filled);
      return;
    }
    let at = 0;
    while (at < text.length) {
      // a UTF-16 unit takes at most 3 bytes: with too little room left for the next piece, flush first
      if (WINDOW_BYTES - this.#filled < Math.min(text.length - at, 4096) * 3) this.flush();
      // encodeInto stops before a character that does not fit: every window ends on a whole one
      const { read, written } = encoder.encodeInto(at === 0 ? text : text.slice(at), this.#filled === 0 ? buf : buf.subarray(this.#filled));
      this.#filled += written;
      at += read;
      if (at < text.length) this.flush();
    }
  }

  flush(): void {
    for (let done = 0; done < this.#filled; ) done += writeSync(this.#fd, this.#buf, done, this.#filled - done);
    this.#filled = 0;
  }
}
