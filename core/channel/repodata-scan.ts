// Reads the structure of a repodata.json without parsing its records: one pass over the bytes finds
// every entry of `packages` and `packages.conda` (where its file-name key and its record object
// lie), groups the entries by package name, and parses only the small parts (`info`, `removed`,
// `repodata_version`). Records are parsed later, one package name at a time, when the solver
// reaches that name (see repodata-packages.ts): a 300k-record subdir costs one byte scan instead
// of a JSON.parse of every record.
//
// The package name of an entry is read from its file name (`<name>-<version>-<build>.conda` or
// `.tar.bz2`), as rattler's sparse repodata does; an entry whose key is not of that shape is
// parsed at once to learn its name.

import { ChannelError } from './errors.ts';

export interface RepodataWhere {
  /** Redacted URL the content came from. */
  url: string;
  /** The cache file involved, if any. */
  cachePath?: string;
  /** True when the content was read from the cache, false when just downloaded. */
  fromCache: boolean;
}

/** Where everything is in one repodata.json: the result of a scan, and what the cache keeps beside it. */
export interface RepodataTable {
  /** The `info` object (`subdir`, `base_url`, …); `{}` when absent. */
  info: Record<string, unknown>;
  /** `repodata_version` (2 means package URLs are relative to `info.base_url`); undefined when absent. */
  repodataVersion: number | undefined;
  /** File names listed under `removed`. */
  removed: string[];
  /** Package names (lower case), indexed by name id. */
  names: string[];
  /** Per entry: key start, key end (the bytes between the quotes), value start, value end. */
  spans: Uint32Array;
  /** Per entry: its name id. */
  nameIds: Uint32Array;
  /** Per entry: 1 when it is listed under `packages.conda`, 0 under `packages`. */
  condaSection: Uint8Array;
  /** Name ids that have at least one entry with a non-empty `track_features` (or may have: a superset). */
  trackerNameIds: number[];
}

export function malformedRepodata(detail: string, where: RepodataWhere, cause?: unknown): ChannelError {
  const cacheNote = where.cachePath
    ? where.fromCache
      ? `; it was read from the cache file ${where.cachePath}: delete that file and fetch again`
      : `; nothing was written to the cache (${where.cachePath})`
    : '';
  return new ChannelError('malformed', `the repodata of ${where.url} is not usable: ${detail}${cacheNote}`, { url: where.url, cachePath: where.cachePath, cause });
}

// Byte classes for the two loops that touch every byte: inside a string, and between strings.
const IN_STRING = new Uint8Array(256);
IN_STRING[0x22] = 1; // "
IN_STRING[0x5c] = 2; // backslash
const STRUCTURE = new Uint8Array(256);
STRUCTURE[0x22] = 1; // "
STRUCTURE[0x7b] = 2; // {
STRUCTURE[0x5b] = 2; // [
STRUCTURE[0x7d] = 3; // }
STRUCTURE[0x5d] = 3; // ]
const TRACK_FEATURES_KEY = Buffer.from('"track_features"');

class EndOfInput extends Error {}

/** Set when a string skipped since the last reset held an escape (rare: file names never do). */
let sawEscape = false;

class Scanner {
  readonly b: Buffer;
  readonly where: RepodataWhere;
  i = 0;

  constructor(b: Buffer, where: RepodataWhere) {
    this.b = b;
    this.where = where;
  }

  fail(detail: string, at = this.i): ChannelError {
    return malformedRepodata(`it is not valid JSON (${detail} at byte ${at})`, this.where);
  }

  ws(): void {
    const b = this.b;
    let i = this.i;
    for (;;) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  expect(byte: number, what: string): void {
    this.ws();
    if (this.b[this.i] !== byte) throw this.b[this.i] === undefined ? this.fail('unexpected end') : this.fail(`expected ${what}`);
    this.i++;
  }

  /** `i` is just after an opening quote; returns the index just after the closing one. */
  static skipString(b: Buffer, i: number): number {
    for (;;) {
      const k = IN_STRING[b[i++]!];
      if (k === 0) continue;
      if (k === 1) return i;
      if (k === 2) {
        sawEscape = true;
        i++;
      } else throw new EndOfInput();
    }
  }

  /** `i` is at `{` or `[`; returns the index just after the matching close. */
  static skipComposite(b: Buffer, i: number): number {
    let depth = 0;
    for (;;) {
      const k = STRUCTURE[b[i++]!];
      if (k === 0) continue;
      if (k === 1) i = Scanner.skipString(b, i);
      else if (k === 2) depth++;
      else if (k === 3) {
        if (--depth === 0) return i;
      } else throw new EndOfInput();
    }
  }

  /** Skips one value starting at `i` (after whitespace); scalars end at the next delimiter. */
  skipValue(): void {
    const b = this.b;
    const c = b[this.i];
    if (c === 0x7b || c === 0x5b) this.i = Scanner.skipComposite(b, this.i);
    else if (c === 0x22) this.i = Scanner.skipString(b, this.i + 1);
    else {
      let i = this.i;
      for (;;) {
        const d = b[i];
        if (d === undefined || d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
        i++;
      }
      if (i === this.i) throw this.fail(c === undefined ? 'unexpected end' : 'expected a value');
      this.i = i;
    }
  }

  /** Reads a string at `i` (after whitespace); returns [start, end) of its bytes between the quotes. */
  stringSpan(): [number, number] {
    this.ws();
    if (this.b[this.i] !== 0x22) throw this.fail(this.b[this.i] === undefined ? 'unexpected end' : 'expected a string');
    const start = this.i + 1;
    this.i = Scanner.skipString(this.b, start);
    return [start, this.i - 1];
  }

  /** After a value in an object: true when another member follows, false at the closing brace. */
  more(): boolean {
    this.ws();
    const c = this.b[this.i];
    if (c === 0x2c) {
      this.i++;
      return true;
    }
    if (c === 0x7d) {
      this.i++;
      return false;
    }
    throw this.fail(c === undefined ? 'unexpected end' : "expected ',' or '}'");
  }

  /** Is the object at `i` empty (`{ }`)? Consumes it when it is. */
  emptyObject(): boolean {
    this.expect(0x7b, "'{'");
    this.ws();
    if (this.b[this.i] === 0x7d) {
      this.i++;
      return true;
    }
    return false;
  }

  parseSlice(start: number, end: number): unknown {
    return JSON.parse(this.b.toString('utf8', start, end));
  }
}

/** The text of a key or string whose bytes lie in [start, end), unescaping when needed. */
export function decodeString(b: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) if (b[i] === 0x5c) return JSON.parse(b.toString('utf8', start - 1, end + 1)) as string;
  return b.toString('utf8', start, end);
}

/** The stem of a file name ending in `.conda` or `.tar.bz2` (its end offset), or -1. */
function stemEnd(b: Buffer, start: number, end: number): number {
  const n = end - start;
  // .conda
  if (n > 6 && b[end - 1] === 0x61 && b[end - 2] === 0x64 && b[end - 3] === 0x6e && b[end - 4] === 0x6f && b[end - 5] === 0x63 && b[end - 6] === 0x2e) return end - 6;
  // .tar.bz2
  if (n > 8 && b[end - 1] === 0x32 && b[end - 2] === 0x7a && b[end - 3] === 0x62 && b[end - 4] === 0x2e && b[end - 5] === 0x72 && b[end - 6] === 0x61 && b[end - 7] === 0x74 && b[end - 8] === 0x2e) return end - 8;
  return -1;
}

/** The package name in an entry's file name, lower case, or undefined when the key has no name-version-build shape. */
function nameFromKey(b: Buffer, start: number, end: number, escaped: boolean): string | undefined {
  if (escaped) return nameFromFileName(decodeString(b, start, end));
  const stem = stemEnd(b, start, end);
  if (stem < 0) return undefined;
  let dashes = 0;
  let ascii = true;
  for (let i = stem - 1; i > start; i--) {
    const c = b[i]!;
    if (c === 0x2d && ++dashes === 2) {
      for (let j = start; j < i && ascii; j++) if (b[j]! >= 0x80) ascii = false;
      const name = b.toString(ascii ? 'latin1' : 'utf8', start, i);
      return name.toLowerCase();
    }
  }
  return undefined;
}

function nameFromFileName(fn: string): string | undefined {
  const stem = fn.endsWith('.conda') ? fn.slice(0, -6) : fn.endsWith('.tar.bz2') ? fn.slice(0, -8) : undefined;
  const cut = stem === undefined ? -1 : stem.lastIndexOf('-', stem.lastIndexOf('-') - 1);
  return cut > 0 ? stem!.slice(0, cut).toLowerCase() : undefined;
}

/** The package name (lower case) a scan files an entry under: from its file name, else from its record; undefined when it has none. */
export function entryNameOf(fn: string, raw: unknown): string | undefined {
  const fromKey = nameFromFileName(fn);
  if (fromKey !== undefined) return fromKey;
  const n = raw !== null && typeof raw === 'object' ? (raw as { name?: unknown }).name : undefined;
  return typeof n === 'string' && n !== '' ? n.toLowerCase() : undefined;
}

class TableBuilder {
  readonly names: string[] = [];
  readonly nameIds = new Map<string, number>();
  spans = new Uint32Array(4 * 1024);
  ids = new Uint32Array(1024);
  conda = new Uint8Array(1024);
  count = 0;

  nameId(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.nameIds.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  push(ks: number, ke: number, vs: number, ve: number, nameId: number, condaSection: boolean): void {
    if (this.count === this.ids.length) {
      const conda = new Uint8Array(this.conda.length * 2);
      conda.set(this.conda);
      this.conda = conda;
      const spans = new Uint32Array(this.spans.length * 2);
      spans.set(this.spans);
      this.spans = spans;
      const ids = new Uint32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    const at = 4 * this.count;
    this.spans[at] = ks;
    this.spans[at + 1] = ke;
    this.spans[at + 2] = vs;
    this.spans[at + 3] = ve;
    this.conda[this.count] = condaSection ? 1 : 0;
    this.ids[this.count++] = nameId;
  }
}

function scanEntries(s: Scanner, section: string, out: TableBuilder): void {
  const b = s.b;
  if (b[s.i] !== 0x7b) throw malformedRepodata(`"${section}" is not an object`, s.where);
  if (s.emptyObject()) return;
  do {
    sawEscape = false;
    const [ks, ke] = s.stringSpan();
    const escaped = sawEscape;
    s.expect(0x3a, "':'");
    s.ws();
    const vs = s.i;
    s.skipValue();
    const ve = s.i;
    let name = nameFromKey(b, ks, ke, escaped);
    if (name === undefined) {
      const raw = s.parseSlice(vs, ve) as { name?: unknown } | null;
      const n = raw !== null && typeof raw === 'object' ? raw.name : undefined;
      if (typeof n !== 'string' || n === '') continue; // no name: not a usable record (conda skips it too)
      name = n.toLowerCase();
    }
    out.push(ks, ke, vs, ve, out.nameId(name), section === 'packages.conda');
  } while (s.more());
}

/** Entries whose record has a `track_features` key with a non-empty value (found by searching the bytes, not parsing). */
function trackerNames(b: Buffer, out: TableBuilder): number[] {
  const found = new Set<number>();
  const spans = out.spans;
  for (let at = b.indexOf(TRACK_FEATURES_KEY); at >= 0; at = b.indexOf(TRACK_FEATURES_KEY, at + 1)) {
    // a key: preceded by '{' or ',' (inside a string the quote would follow a backslash)
    let p = at - 1;
    while (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09) p--;
    if (b[p] !== 0x7b && b[p] !== 0x2c) continue;
    let v = at + TRACK_FEATURES_KEY.length;
    while (b[v] === 0x20 || b[v] === 0x0a || b[v] === 0x0d || b[v] === 0x09 || b[v] === 0x3a) v++;
    let w = v + 1;
    while (b[w] === 0x20 || b[w] === 0x0a || b[w] === 0x0d || b[w] === 0x09) w++;
    if ((b[v] === 0x22 && b[v + 1] === 0x22) || (b[v] === 0x5b && b[w] === 0x5d) || b[v] === 0x6e /* null */) continue;
    // the entry holding this position: the last whose value starts at or before it
    let lo = 0;
    let hi = out.count - 1;
    let hit = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (spans[4 * mid + 2]! <= at) {
        hit = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (hit >= 0 && at < spans[4 * hit + 3]!) found.add(out.ids[hit]!);
  }
  return [...found].sort((x, y) => x - y);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Scans repodata.json bytes. Throws a ChannelError('malformed') naming the URL (and cache file) when it is not repodata. */
export function scanRepodata(content: Buffer, where: RepodataWhere): RepodataTable {
  if (content.length >= 2 ** 32) throw malformedRepodata(`it is ${content.length} bytes; more than 4 GiB of repodata is not supported`, where);
  const s = new Scanner(content, where);
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) s.i = 3; // BOM
  const out = new TableBuilder();
  const table: RepodataTable = { info: {}, repodataVersion: undefined, removed: [], names: [], spans: new Uint32Array(0), nameIds: new Uint32Array(0), condaSection: new Uint8Array(0), trackerNameIds: [] };
  try {
    s.ws();
    if (content[s.i] !== 0x7b) throw malformedRepodata(content[s.i] === 0x5b ? 'it is not a JSON object' : 'it is not valid JSON (expected an object)', where);
    if (!s.emptyObject()) {
      do {
        const [ks, ke] = s.stringSpan();
        const key = decodeString(content, ks, ke);
        s.expect(0x3a, "':'");
        s.ws();
        if (key === 'packages' || key === 'packages.conda') {
          if (content[s.i] === 0x6e && content.toString('latin1', s.i, s.i + 4) === 'null') s.i += 4;
          else scanEntries(s, key, out);
          continue;
        }
        const vs = s.i;
        s.skipValue();
        if (key !== 'info' && key !== 'removed' && key !== 'repodata_version') continue;
        const value = s.parseSlice(vs, s.i);
        if (key === 'info') table.info = isObject(value) ? value : {};
        else if (key === 'removed') table.removed = Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
        else table.repodataVersion = typeof value === 'number' ? value : undefined;
      } while (s.more());
    }
    s.ws();
    if (s.i < content.length) throw s.fail('unexpected content after the object');
  } catch (error) {
    if (error instanceof ChannelError) throw error;
    if (error instanceof EndOfInput) throw s.fail('unexpected end', content.length);
    throw malformedRepodata(`it is not valid JSON (${(error as Error).message})`, where, error);
  }
  table.names = out.names;
  table.spans = out.spans.slice(0, 4 * out.count);
  table.nameIds = out.ids.slice(0, out.count);
  table.condaSection = out.conda.slice(0, out.count);
  table.trackerNameIds = trackerNames(content, out);
  return table;
}
