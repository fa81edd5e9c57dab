// One reused 1 MiB buffer for synchronous file work on the main thread — placeholder files
// rewritten window by window (link-prefix-stream.ts), conda-meta text written through it — instead
// of fresh memory the size of each file. Asking the system for fresh memory is the expensive part
// of such work on virtual machines where the first touch of a page costs tens of microseconds (a
// 25 MB read buffer: 100 ms; the 15 MB of an environment's conda-meta turned into bytes at once:
// three times the time of writing it through this window). Synchronous users never interleave,
// so one buffer serves them all.

import { closeSync, openSync, writeSync } from 'node:fs';

export const WINDOW_BYTES = 1 << 20;

let window: Buffer | undefined;
const encoder = new TextEncoder();

/** The shared window (made on first use). */
export function scratchWindow(): Buffer {
  return (window ??= Buffer.allocUnsafe(WINDOW_BYTES));
}

/**
 * Writes `text` (or its parts, one after the other) as UTF-8 to the file `path` (created or
 * truncated; `mode` less the umask for a new one), encoded window by window.
 */
export function writeTextFileSync(path: string, text: string | readonly string[], mode = 0o666): void {
  const buf = scratchWindow();
  const fd = openSync(path, 'w', mode);
  try {
    for (const part of typeof text === 'string' ? [text] : text) {
      let at = 0;
      while (at < part.length) {
        // encodeInto stops before a character that does not fit: every window ends on a whole one
        const { read, written } = encoder.encodeInto(at === 0 ? part : part.slice(at), buf);
        for (let done = 0; done < written; ) done += writeSync(fd, buf, done, written - done);
        at += read;
      }
    }
  } finally {
    closeSync(fd);
  }
}
