// GNU tar's verbose listing, as the system extractor of environment tarballs reads it while tar
// runs (env-tarball-extract-system.ts).
//
// tar lists each member as it starts it (`-vv --numeric-owner --quoting-style=c`, C locale):
// its type and mode, size, name and link target, in an unambiguous quoting. The listing goes to a
// file already deleted (ListingFile), which this process reads every few milliseconds: a pipe to
// this process would wake it for every member, and tar's extraction was measured a third slower
// for it (bench/RESULTS.md, session 17).

import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** tar's options that make the listing this module reads (after `-x`). */
export const LISTING_OPTIONS: readonly string[] = ['-vv', '--numeric-owner', '--quoting-style=c'];

/** What tar's listing needs in its environment: the C locale, and TZ set (else glibc looks at /etc/localtime again for every listed date). */
export const LISTING_ENV = { LC_ALL: 'C', TZ: 'UTC0' } as const;

/** How often the listing is read while tar runs. */
export const LISTING_POLL_MS = 20;

/** A member as GNU tar's verbose listing shows it. */
export interface ListedMember {
  /** The mode's first letter: `-` file, `h` hard link, `l` symbolic link, `d` folder, `c` `b` `p` … */
  type: string;
  /** The permission bits the listing shows (setuid, setgid and sticky included). */
  mode: number;
  /** Bytes of content (0 for what has none: folders, links, devices). */
  size: number;
  name: string;
  /** What a symbolic link points to, or the member a hard link is to. */
  target?: string;
}

/**
 * One line of GNU tar's verbose listing (`-vv --numeric-owner --quoting-style=c`, C locale), e.g.
 * `-rw-r--r-- 0/0  394 2026-11-23 12:00 "bin/x"`, `lrwxrwxrwx 0/0 0 … "lib/a.so" -> "a.so.1"`, or
 * `hrw-r--r-- 0/0 0 … "b" link to "a"`; undefined for a line not of that shape. Names are
 * C-quoted (a backslash, a quote, control characters and every non-ASCII byte escaped), read back as
 * UTF-8; the line arrives as latin1 text, one character per byte.
 */
export function parseListingLine(line: string): ListedMember | undefined {
  const head = /^(\S)(\S{9})\S* \d+\/\d+ +(\d+|\d+, *\d+) \S+ \S+ "/.exec(line);
  if (head === null) return undefined;
  const name = unquoteC(line, head[0].length);
  if (name === undefined) return undefined;
  const mode = modeBits(head[2]!);
  const size = /^\d+$/.test(head[3]!) ? Number(head[3]) : 0;
  const member: ListedMember = { type: head[1]!, mode, size, name: name.value };
  if (name.end === line.length) return member;
  const arrow = line.startsWith(' -> "', name.end) ? 5 : line.startsWith(' link to "', name.end) ? 10 : 0;
  if (arrow === 0) return undefined;
  const target = unquoteC(line, name.end + arrow);
  if (target === undefined || target.end !== line.length) return undefined;
  member.target = target.value;
  return member;
}

/** The folder named by a `Creating directory:` line (tar making a member's missing folder: not a member), else undefined. */
export function createdDirectory(line: string): string | undefined {
  const at = line.indexOf(' Creating directory: "');
  if (at < 0 || !/^\S+ +$/.test(line.slice(0, at + 1))) return undefined;
  return unquoteC(line, at + 22)?.value;
}

/** `rwxr-sr-x` as bits (0o2755). */
function modeBits(text: string): number {
  let mode = 0;
  for (let i = 0; i < 9; i++) {
    const c = text[i]!;
    const bit = 1 << (8 - i);
    if (c === 'r' || c === 'w' || c === 'x' || c === 's' || c === 't') mode |= bit;
    if (c === 's' || c === 'S') mode |= i === 2 ? 0o4000 : 0o2000;
    if (c === 't' || c === 'T') mode |= 0o1000;
  }
  return mode;
}

/** The C-quoted string whose first character (after the opening quote) is at `from`: its value and the index after its closing quote. */
function unquoteC(line: string, from: number): { value: string; end: number } | undefined {
  // most names have no escape: the text up to the quote (ASCII, unless a byte came unescaped)
  const close = line.indexOf('"', from);
  if (close < 0) return undefined;
  const backslash = line.indexOf('\\', from);
  if (backslash < 0 || backslash > close) {
    const text = line.slice(from, close);
    return { value: NON_ASCII.test(text) ? Buffer.from(text, 'latin1').toString('utf8') : text, end: close + 1 };
  }
  const bytes: number[] = [];
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c !== 0x5c) {
      bytes.push(c);
      continue;
    }
    const next = line[++i];
    if (next === undefined) return undefined;
    const simple = ESCAPES[next];
    if (simple !== undefined) bytes.push(simple);
    else if (/^[0-7]{3}$/.test(line.slice(i, i + 3))) {
      bytes.push(parseInt(line.slice(i, i + 3), 8));
      i += 2;
    } else return undefined;
  }
  return undefined;
}

const NON_ASCII = /[^\x00-\x7f]/;

const ESCAPES: Record<string, number> = { '\\': 0x5c, '"': 0x22, '?': 0x3f, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

/**
 * Where tar writes its listing: a file, already deleted (nothing is left behind, whatever happens),
 * open for tar to write (`write`, to pass as tar's standard output and close once tar has it) and
 * for this process to read, line by line, with `read`.
 */
export class ListingFile {
  readonly write: number;
  readonly #read: number;
  #at = 0;
  #rest = '';
  #buffer = Buffer.allocUnsafe(1 << 16);

  /** Throws when the temporary folder cannot take the file. */
  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'env-setup-tar-listing-'));
    try {
      const path = join(dir, 'listing');
      this.write = openSync(path, 'wx', 0o600);
      try {
        this.#read = openSync(path, 'r');
      } catch (error) {
        closeSync(this.write);
        throw error;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Gives `onLine` every complete line written since the last call; with `end`, the last one too. */
  read(onLine: (line: string) => void, end = false): void {
    for (let n; (n = readSync(this.#read, this.#buffer, 0, this.#buffer.length, this.#at)) > 0; ) {
      this.#at += n;
      const lines = (this.#rest + this.#buffer.toString('latin1', 0, n)).split('\n');
      this.#rest = lines.pop()!;
      for (const line of lines) onLine(line);
    }
    if (end && this.#rest !== '') {
      const last = this.#rest;
      this.#rest = '';
      onLine(last);
    }
  }

  /** Closes the reading end (the writing end is closed by the caller once tar holds it). */
  close(): void {
    closeSync(this.#read);
  }
}
