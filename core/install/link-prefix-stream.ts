// Binary-mode placeholder files rewritten from the package cache into the prefix through one
// reused window of memory, not read whole: the replacement is the one link-prefix-replace.ts makes
// (each run from a placeholder to the next NUL byte gets the prefix and is padded with NULs to its
// length), done window by window, with the output hashed as it is written.
//
// Why: the large libraries and executables of an environment are binary-mode files (python's own
// executable is 25 MB). Reading one whole asks the system for that much fresh memory, and on
// virtual machines where a first touch of a page is expensive that alone took 100 ms — more than
// reading, replacing, writing and hashing it. The window (scratch-window.ts) is made once.
//
// Synchronous, like the file-system workers' batches: a rewrite is a few calls per megabyte, and
// a promise per step waited for a turn of a thread that is busy starting other packages.

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { replaceBinaryRun } from './link-prefix-replace.ts';
import { scratchWindow, WINDOW_BYTES } from './scratch-window.ts';

export interface StreamedRewrite {
  /** False when the window was too small for a run: nothing is settled, the caller rewrites the file whole. */
  done: boolean;
  /** Whether any byte differs from the source. */
  changed: boolean;
  /** The sha256 (hex) of what was written. */
  sha256: string;
}

/**
 * Writes `source` to the new file `dest` (created with `mode`, less the umask) with `placeholder`
 * replaced by `prefix` in binary mode. Throws PaddingError when the prefix does not fit a run, and
 * the file system's errors; a partly written `dest` is the caller's (it is a path the transaction
 * recorded as being made).
 */
export function rewriteBinaryFile(source: string, dest: string, mode: number, placeholder: string, prefix: string, windowSize = WINDOW_BYTES): StreamedRewrite {
  const a = Buffer.from(placeholder);
  const b = Buffer.from(prefix);
  // a run from a placeholder to its NUL must fit in the window, else the caller reads the file whole
  const buf = windowSize === WINDOW_BYTES ? scratchWindow() : Buffer.allocUnsafe(windowSize);
  const hash = createHash('sha256');
  const input = openSync(source, 'r');
  let output: number | undefined;
  try {
    output = openSync(dest, 'w', mode);
    let runs = 0;
    let len = 0;
    let position = 0;
    let eof = false;
    // once a placeholder has no NUL after it anywhere, the rest is left as it is (as in whole-file mode)
    let stopped = false;
    while (!eof || len > 0) {
      while (len < buf.length && !eof) {
        const n = readSync(input, buf, len, buf.length - len, position);
        if (n === 0) eof = true;
        len += n;
        position += n;
      }
      const view = buf.subarray(0, len);
      let pos = 0;
      let safe = -1;
      while (!stopped) {
        const at = view.indexOf(a, pos);
        if (at < 0) break;
        const nul = view.indexOf(0, at + a.length);
        if (nul < 0) {
          if (eof) stopped = true;
          else safe = at;
          break;
        }
        replaceBinaryRun(view, view, at, nul, a, b);
        runs++;
        pos = nul + 1;
      }
      // what is settled: all of it at the end, else up to an unfinished run or a placeholder's possible start
      if (safe < 0) safe = eof || stopped ? len : Math.max(pos, len - a.length + 1);
      if (safe === 0 && len === buf.length) return { done: false, changed: false, sha256: '' };
      hash.update(view.subarray(0, safe));
      for (let at = 0; at < safe; ) at += writeSync(output, view, at, safe - at);
      buf.copy(buf, 0, safe, len);
      len -= safe;
    }
    return { done: true, changed: runs > 0 && placeholder !== prefix, sha256: hash.digest('hex') };
  } finally {
    closeSync(input);
    if (output !== undefined) closeSync(output);
  }
}
