// Prefix placeholders, replaced the way conda does (conda/core/portability.py):
//
//   text mode    every occurrence of the placeholder becomes the prefix; when the first line is a
//                shebang naming the placeholder and the prefix has spaces, the spaces there are
//                escaped first, so that step 2 turns it into `#!/usr/bin/env`;
//   binary mode  each run from a placeholder to the next NUL byte has its placeholders replaced and
//                is padded with NULs to its old length (C strings keep their size and offsets); a
//                prefix longer than the placeholder is an error, as the file would change size;
//   shebangs     (text mode, not on Windows) a first line `#!/long/path/bin/tool -opts` longer than
//                127 bytes (the kernel's limit), or with escaped spaces, becomes
//                `#!/usr/bin/env tool -opts`.
//
// Work is on bytes: files need not be UTF-8.

import { InstallError } from './errors.ts';
import type { FileMode } from './link-package-info.ts';

/** The kernel's limit on a shebang line on Linux and macOS (conda's MAX_SHEBANG_LENGTH). */
export const MAX_SHEBANG_LENGTH = 127;

/** Replaces every occurrence of `from` in `data` by `to`; `data` itself when there is none. */
export function replaceAll(data: Buffer, from: Buffer, to: Buffer): Buffer {
  let at = data.indexOf(from);
  if (at < 0 || from.length === 0) return data;
  const parts: Buffer[] = [];
  let start = 0;
  while (at >= 0) {
    parts.push(data.subarray(start, at), to);
    start = at + from.length;
    at = data.indexOf(from, start);
  }
  parts.push(data.subarray(start));
  return Buffer.concat(parts);
}

/** Text mode: the placeholder replaced everywhere (spaces escaped in a shebang naming it, off Windows). */
export function replaceTextPrefix(data: Buffer, placeholder: string, prefix: string, windows = false): Buffer {
  let out = data;
  if (!windows && prefix.includes(' ')) {
    const newline = out.indexOf(0x0a);
    if (newline > -1) {
      const first = out.subarray(0, newline);
      const marker = Buffer.from(`#!${placeholder}`);
      if (first.includes(marker)) {
        const escaped = replaceAll(first, marker, Buffer.from(`#!${prefix.replaceAll(' ', '\\ ')}`));
        out = Buffer.concat([escaped, out.subarray(newline)]);
      }
    }
  }
  return replaceAll(out, Buffer.from(placeholder), Buffer.from(prefix));
}

/** Thrown by replaceBinaryPrefix: the new prefix does not fit where the placeholder was. */
export class PaddingError extends Error {}

/** Binary mode: NUL-padded replacement, the data keeping its length (see the header); `data` is left as it is. */
export function replaceBinaryPrefix(data: Buffer, placeholder: string, prefix: string): Buffer {
  const a = Buffer.from(placeholder);
  if (data.indexOf(a) < 0) return data;
  const out = Buffer.allocUnsafe(data.length);
  data.copy(out);
  replaceBinaryRuns(data, out, a, Buffer.from(prefix));
  return out;
}

/**
 * Writes the replaced runs of `data` into `out` (a copy of it, or `data` itself: a run is read
 * before it is written back, and runs do not overlap); the number of runs replaced.
 */
function replaceBinaryRuns(data: Buffer, out: Buffer, a: Buffer, b: Buffer): number {
  let runs = 0;
  let at = data.indexOf(a);
  while (at >= 0) {
    const nul = data.indexOf(0, at + a.length);
    if (nul < 0) break;
    replaceBinaryRun(data, out, at, nul, a, b);
    runs++;
    at = data.indexOf(a, nul + 1);
  }
  return runs;
}

/**
 * One run, `data[at, nul)` (from a placeholder to the next NUL): its placeholders `a` replaced by
 * `b`, written to the same place of `out` (which may be `data`) and padded with NULs to the run's
 * length. PaddingError when the result is longer than the run.
 */
export function replaceBinaryRun(data: Buffer, out: Buffer, at: number, nul: number, a: Buffer, b: Buffer): void {
  const replaced = replaceAll(data.subarray(at, nul), a, b);
  if (replaced.length > nul - at) throw new PaddingError(`the prefix is ${b.length - a.length} bytes longer than the placeholder`);
  replaced.copy(out, at);
  out.fill(0, at + replaced.length, nul);
}

const SHEBANG = /^#![ ]*(\/(?:\\ |[^ \n\r\t])*)([^\n]*)$/;

/** Text mode: a first-line shebang over the limit (or with escaped spaces) becomes `#!/usr/bin/env <tool><options>`. */
export function replaceLongShebang(data: Buffer): Buffer {
  if (data.length < 2 || data[0] !== 0x23 || data[1] !== 0x21) return data;
  let end = data.indexOf(0x0a);
  if (end < 0) end = data.length;
  const line = data.subarray(0, end);
  // `.` in conda's regex stops at a line break only: a `\r` stays in the options
  const m = SHEBANG.exec(line.toString('latin1'));
  if (m === null) return data;
  const executable = Buffer.from(m[1]!, 'latin1').toString('utf8');
  const slash = executable.lastIndexOf('/');
  const dir = executable.slice(0, slash);
  const tool = executable.slice(slash + 1);
  if (line.length <= MAX_SHEBANG_LENGTH && !dir.includes('\\ ')) return data;
  const options = Buffer.from(m[2]!, 'latin1');
  return Buffer.concat([Buffer.from(`#!/usr/bin/env ${tool}`), options, data.subarray(end)]);
}

export interface RewriteResult {
  data: Buffer;
  changed: boolean;
}

/**
 * The content a file with a placeholder gets in `prefix`. `what` and `path` name it in errors: a
 * binary placeholder shorter than the prefix is InstallError 'placeholder-too-long'. With
 * `inPlace` (the caller's own copy, read for this), a binary file is rewritten in `data` itself:
 * no second buffer of its size (the large libraries of an environment are binary-mode files).
 */
export function rewriteForPrefix(data: Buffer, placeholder: string, mode: FileMode, prefix: string, where: { what: string; path: string; windows?: boolean; inPlace?: boolean }): RewriteResult {
  let out: Buffer;
  if (mode === 'text') {
    out = replaceTextPrefix(data, placeholder, prefix, where.windows);
    if (!where.windows) out = replaceLongShebang(out);
  } else {
    try {
      if (where.windows) out = data;
      else if (where.inPlace) {
        const runs = replaceBinaryRuns(data, data, Buffer.from(placeholder), Buffer.from(prefix));
        // a replaced run differs from what it was unless the prefix is the placeholder itself
        return { data, changed: runs > 0 && placeholder !== prefix };
      } else out = replaceBinaryPrefix(data, placeholder, prefix);
    } catch (error) {
      if (!(error instanceof PaddingError)) throw error;
      throw placeholderTooLong(placeholder, prefix, where);
    }
  }
  return { data: out, changed: !out.equals(data) };
}

/** The error for a binary file whose placeholder is shorter than `prefix`. */
export function placeholderTooLong(placeholder: string, prefix: string, where: { what: string; path: string }): InstallError {
  return new InstallError(
    'placeholder-too-long',
    `${where.what}: ${where.path} is a binary file built for prefixes of at most ${Buffer.byteLength(placeholder)} bytes; ${prefix} has ${Buffer.byteLength(prefix)}. Use a shorter prefix`,
    { package: where.what, file: where.path },
  );
}
