// The package entries of one subdir's repodata, parsed one package name at a time: the repodata
// bytes stay in memory as they arrived and a RepodataTable (repodata-scan.ts) says where each entry
// is. The index asks for the names the solver reaches (`entriesOf`), so a solve parses a few
// thousand records, not the 300k a conda-forge subdir holds. As conda reads repodata, an entry of
// `packages.conda` hides the `packages` entry of the same stem (`x.conda` hides `x.tar.bz2`).

import { decodeString, malformedRepodata, type RepodataTable, type RepodataWhere } from './repodata-scan.ts';

/** One repodata entry: its file name (the key) and the raw record object. */
export type RawPackageEntry = [fn: string, raw: unknown];

export class RepodataPackages {
  readonly #content: Buffer;
  readonly #table: RepodataTable;
  readonly #where: RepodataWhere;
  readonly #nameIds = new Map<string, number>();
  /** Entry numbers grouped by name id: entries of name k are order[start[k] .. start[k + 1]). */
  readonly #order: Uint32Array;
  readonly #start: Uint32Array;

  constructor(content: Buffer, table: RepodataTable, where: RepodataWhere) {
    this.#content = content;
    this.#table = table;
    this.#where = where;
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

  /** Parses the entries, dropping each `packages` entry whose `.tar.bz2` name a `packages.conda` entry hides (conda's rule: key minus 6 characters plus `.tar.bz2`). */
  #visible(entries: number[]): RawPackageEntry[] {
    const section = this.#table.condaSection;
    const conda = entries.filter((e) => section[e] === 1).map((e) => this.#entry(e));
    const hidden = new Set(conda.map(([fn]) => `${fn.slice(0, -6)}.tar.bz2`));
    const out = conda;
    for (const e of entries) {
      if (section[e] === 1) continue;
      const entry = this.#entry(e);
      if (!hidden.has(entry[0])) out.push(entry);
    }
    return out;
  }

  #entry(e: number): RawPackageEntry {
    const spans = this.#table.spans;
    const b = this.#content;
    const ks = spans[4 * e]!;
    const ke = spans[4 * e + 1]!;
    const vs = spans[4 * e + 2]!;
    const ve = spans[4 * e + 3]!;
    // a table that does not fit these bytes (a cache entry replaced under us) must not yield records
    if (b[ks - 1] !== 0x22 || b[ke] !== 0x22 || ve > b.length || ve <= vs) {
      throw malformedRepodata(`its index of entries does not match its content (entry ${e})`, this.#where);
    }
    const fn = decodeString(b, ks, ke);
    try {
      return [fn, JSON.parse(b.toString('utf8', vs, ve))];
    } catch (error) {
      throw malformedRepodata(`the entry ${fn} is not valid JSON (${(error as Error).message})`, this.#where, error);
    }
  }
}
