// The package entries of one subdir's repodata, parsed one package name at a time: a RepodataTable
// (repodata-scan.ts) says where each entry lies in the repodata bytes, and the index asks for the
// names the solver reaches (`entriesOf`), so a solve parses a few thousand records, not the 300k a
// conda-forge subdir holds. The bytes are either in memory as they arrived, or a cached file read in
// place (RepodataCopyFile): then only the ranges holding the wanted entries are read, the entries
// of one name (which lie close together) in one read. Every entry read is checked against the table
// (quotes where its key should be, valid JSON, the package name the table filed it under); when a
// file read in place fails that check, `recover` supplies the bytes from the file as received and
// reading goes on from those. As conda reads repodata, an entry of `packages.conda` hides the
// `packages` entry of the same stem (`x.conda` hides `x.tar.bz2`).

import type { RepodataCopyFile } from './repodata-copy-file.ts';
import { decodeString, entryNameOf, malformedRepodata, type RepodataTable, type RepodataWhere } from './repodata-scan.ts';

/** One repodata entry: its file name (the key) and the raw record object. */
export type RawPackageEntry = [fn: string, raw: unknown];

/** Replacement bytes for a file read in place that turned out damaged, and where they come from. */
export type RecoverContent = () => { content: Buffer; where: RepodataWhere };

/** Entries closer than this are read in one range (the bytes between are read and dropped). */
const MERGE_GAP = 64 << 10;
/** No single read is larger than this (reading `all()` from a file goes in ranges of this size). */
const MAX_RANGE = 16 << 20;

class TableMismatch extends Error {}

export class RepodataPackages {
  #bytes: Buffer | RepodataCopyFile;
  readonly #table: RepodataTable;
  #where: RepodataWhere;
  readonly #recover: RecoverContent | undefined;
  readonly #nameIds = new Map<string, number>();
  /** Entry numbers grouped by name id: entries of name k are order[start[k] .. start[k + 1]). */
  readonly #order: Uint32Array;
  readonly #start: Uint32Array;

  /** `content`: the repodata bytes, or a file holding them read in place (with `recover` for when it turns out damaged). */
  constructor(content: Buffer | RepodataCopyFile, table: RepodataTable, where: RepodataWhere, recover?: RecoverContent) {
    this.#bytes = content;
    this.#table = table;
    this.#where = where;
    this.#recover = recover;
    table.names.forEach((name, id) => this.#nameIds.set(name, id));
    const names = table.names.length;
    const count = table.nameIds.length;
    const start = new Uint32Array(names + 1);
    for (let e = 0; e < count; e++) start[table.nameIds[e]! + 1]!++;
    for (let k = 0; k < names; k++) start[k + 1]! += start[k]!;
    const fill = start.slice(0, names);
    const order = new Uint32Array(count);
    for (let e = 0; e < count; e++) order[fill[table.nameIds[e]!]!++] = e;
    this.#order = order;
    this.#start = start;
  }

  static empty(): RepodataPackages {
    const table: RepodataTable = { info: {}, repodataVersion: undefined, removed: [], names: [], spans: new Uint32Array(0), nameIds: new Uint32Array(0), condaSection: new Uint8Array(0), trackerNameIds: [] };
    return new RepodataPackages(Buffer.alloc(0), table, { url: '', fromCache: false });
  }

  /** Number of entries (before `removed` and the `packages.conda`-hides-`packages` rule are applied). */
  get count(): number {
    return this.#table.nameIds.length;
  }

  /** Package names with entries, lower case. */
  names(): readonly string[] {
    return this.#table.names;
  }

  /** Names that may have records with track_features (every name that has one is here). */
  trackFeatureNames(): string[] {
    return this.#table.trackerNameIds.map((id) => this.#table.names[id]!);
  }

  /** The entries of one package name (lower case), parsed now, `packages.conda` first. */
  entriesOf(name: string): RawPackageEntry[] {
    const id = this.#nameIds.get(name);
    if (id === undefined) return [];
    return this.#visible(Array.from(this.#order.subarray(this.#start[id]!, this.#start[id + 1]!)));
  }

  /** Every entry, parsed (for tests and tools that need them all; solving never does). */
  all(): RawPackageEntry[] {
    return this.#visible(Array.from({ length: this.count }, (_, e) => e));
  }

  /** Whether the entries are read from a file in place (false once it turned out damaged and the bytes came from `recover`). */
  get readsInPlace(): boolean {
    return !Buffer.isBuffer(this.#bytes);
  }

  /** Closes the file read in place, if any (it also closes itself when idle, and reopens when read again). */
  close(): void {
    if (!Buffer.isBuffer(this.#bytes)) this.#bytes.close();
  }

  /** Parses the entries, dropping each `packages` entry whose `.tar.bz2` name a `packages.conda` entry hides (conda's rule: key minus 6 characters plus `.tar.bz2`). */
  #visible(entries: number[]): RawPackageEntry[] {
    const parsed = this.#parse(entries);
    const section = this.#table.condaSection;
    const conda: RawPackageEntry[] = [];
    for (let k = 0; k < entries.length; k++) if (section[entries[k]!] === 1) conda.push(parsed[k]!);
    const hidden = new Set(conda.map(([fn]) => `${fn.slice(0, -6)}.tar.bz2`));
    const out = conda;
    for (let k = 0; k < entries.length; k++) {
      if (section[entries[k]!] === 1) continue;
      const entry = parsed[k]!;
      if (!hidden.has(entry[0])) out.push(entry);
    }
    return out;
  }

  /** The entries, parsed, in the order given; from the file in place while it serves, else from memory. */
  #parse(entries: number[]): RawPackageEntry[] {
    const file = this.#bytes;
    if (!Buffer.isBuffer(file)) {
      try {
        return this.#parseFrom(file, entries);
      } catch (error) {
        file.close();
        if (this.#recover === undefined) {
          if (error instanceof TableMismatch) throw this.#mismatch(error.message);
          throw malformedRepodata(`the cache file cannot be read (${(error as Error).message})`, this.#where, error);
        }
        // the file on disk does not hold what its table says (damaged, or replaced): read the file as received
        const { content, where } = this.#recover();
        this.#bytes = content;
        this.#where = where;
      }
    }
    try {
      return this.#parseFrom(this.#bytes, entries);
    } catch (error) {
      throw error instanceof TableMismatch ? this.#mismatch(error.message) : error;
    }
  }

  /** Reads the entries' bytes in as few ranges as sensible (neighbours merged), then parses each. */
  #parseFrom(bytes: Buffer | RepodataCopyFile, entries: number[]): RawPackageEntry[] {
    const spans = this.#table.spans;
    const out = new Array<RawPackageEntry>(entries.length);
    const byPosition = entries.map((_, k) => k).sort((x, y) => spans[4 * entries[x]!]! - spans[4 * entries[y]!]!);
    for (let i = 0; i < byPosition.length; ) {
      const first = entries[byPosition[i]!]!;
      this.#checkSpan(first, bytes.length);
      const from = spans[4 * first]! - 1;
      let to = spans[4 * first + 3]!;
      let j = i + 1;
      for (; j < byPosition.length; j++) {
        const e = entries[byPosition[j]!]!;
        this.#checkSpan(e, bytes.length);
        const ve = spans[4 * e + 3]!;
        if (spans[4 * e]! - 1 - to > MERGE_GAP || Math.max(to, ve) - from > MAX_RANGE) break;
        to = Math.max(to, ve);
      }
      const range = bytes.subarray(from, to);
      for (let k = i; k < j; k++) out[byPosition[k]!] = this.#entry(entries[byPosition[k]!]!, range, from);
      i = j;
    }
    return out;
  }

  /** A span the table gives must be well ordered and inside the bytes. */
  #checkSpan(e: number, length: number): void {
    const spans = this.#table.spans;
    const ks = spans[4 * e]!;
    const ke = spans[4 * e + 1]!;
    const vs = spans[4 * e + 2]!;
    const ve = spans[4 * e + 3]!;
    if (!(ks >= 1 && ke >= ks && vs > ke && ve > vs && ve <= length)) throw new TableMismatch(`entry ${e}`);
  }

  #mismatch(detail: string, cause?: unknown): Error {
    return malformedRepodata(`its index of entries does not match its content (${detail})`, this.#where, cause);
  }

  /** Entry `e`, from `b` holding the repodata bytes from offset `base` on. */
  #entry(e: number, b: Buffer, base: number): RawPackageEntry {
    const spans = this.#table.spans;
    const ks = spans[4 * e]! - base;
    const ke = spans[4 * e + 1]! - base;
    const vs = spans[4 * e + 2]! - base;
    const ve = spans[4 * e + 3]! - base;
    // a table that does not fit these bytes (a cache entry replaced under us, a damaged copy) must not yield records
    if (b[ks - 1] !== 0x22 || b[ke] !== 0x22) throw new TableMismatch(`entry ${e}`);
    let fn: string | undefined;
    let raw: unknown;
    try {
      fn = decodeString(b, ks, ke);
      raw = JSON.parse(b.toString('utf8', vs, ve));
    } catch (error) {
      if (!Buffer.isBuffer(this.#bytes)) throw new TableMismatch(`entry ${e} is not valid JSON`);
      throw malformedRepodata(`the entry ${fn ?? b.toString('utf8', ks, ke)} is not valid JSON (${(error as Error).message})`, this.#where, error);
    }
    if (entryNameOf(fn, raw) !== this.#table.names[this.#table.nameIds[e]!]) throw new TableMismatch(`entry ${e} is ${fn}`);
    return [fn, raw];
  }
}
