// The compact in-memory index: every record of every channel/subdir, looked up by name in O(1).
//
// Records stay as the raw repodata objects they arrived as; names are interned; versions,
// dependency specs and full PackageRecords are parsed only when the solver first asks for them.
// A source may hand its entries over lazily (LazyEntries: core/channel's RepodataPackages): then a
// name's records are parsed the first time someone asks for that name, so a solve reads only the
// names it reaches (conda's index reduction, done by demand). `removed` entries are dropped, and a
// `.conda` file hides the `.tar.bz2` of the same package.

import { MatchSpec } from '../spec/match-spec.ts';
import type { RecordLike } from '../spec/record-like.ts';
import { type PackageRecord, readPackageRecord } from '../spec/record.ts';
import { Version } from '../spec/version.ts';

/** Entries handed over one package name at a time (core/channel's RepodataPackages has this shape). */
export interface LazyEntries {
  /** Entries in all (before `removed` and the .conda/.tar.bz2 rule apply). */
  readonly count: number;
  /** Lower-case names that have entries. */
  names(): readonly string[];
  /** `[file name, raw record]` pairs of one lower-case name, with conda's .conda/.tar.bz2 rule applied. */
  entriesOf(name: string): [string, unknown][];
  /** Names that may have records with track_features: a superset of those that do. */
  trackFeatureNames(): Iterable<string>;
}

function isLazy(entries: IndexSource['entries']): entries is LazyEntries {
  return typeof (entries as Partial<LazyEntries>).entriesOf === 'function';
}

/** One channel subdir's entries as they come from repodata.json (or shards). */
export interface IndexSource {
  /** Canonical channel name (no secrets). */
  channel: string;
  /** 0 is the highest priority (the first channel listed). */
  priority: number;
  subdir: string;
  /** Base URL of the subdir, for package URLs (`<url>/<fn>`); may be omitted for local tests. */
  url?: string;
  /** `[file name, raw record]` pairs (`packages` and `packages.conda` together), or the same read lazily by name. */
  entries: Iterable<[string, unknown]> | LazyEntries;
  removed?: Iterable<string>;
}

export class PackageIndex {
  private readonly nameIds = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly byName: number[][] = [];

  private readonly raw: unknown[] = [];
  private readonly fns: string[] = [];
  private readonly recName: number[] = [];
  private readonly recSource: number[] = [];
  private readonly sources: { channel: string; priority: number; subdir: string; url: string | undefined }[] = [];

  private readonly versions: (Version | null | undefined)[] = [];
  private readonly records: (PackageRecord | undefined)[] = [];
  private readonly dependsCache: (MatchSpec[] | undefined)[] = [];
  private readonly constrainsCache: (MatchSpec[] | undefined)[] = [];

  static from(sources: Iterable<IndexSource>): PackageIndex {
    const index = new PackageIndex();
    for (const s of sources) index.add(s);
    return index;
  }

  private readonly lazy: { sourceId: number; entries: LazyEntries; removed: Set<string> }[] = [];
  /** Names already read from every lazy source. */
  private readonly loaded = new Set<string>();
  private lazyNames: Set<string> | undefined;
  private eagerCount = 0;
  private lazyCount = 0;

  /** Add one channel subdir. Later sources do not replace earlier ones; channel priority decides at solve time. */
  add(source: IndexSource): void {
    const sourceId = this.sources.length;
    this.sources.push({ channel: source.channel, priority: source.priority, subdir: source.subdir, url: source.url });
    const removed = new Set(source.removed ?? []);
    this.featureIndex = undefined;
    if (isLazy(source.entries)) {
      const lazy = { sourceId, entries: source.entries, removed };
      this.lazy.push(lazy);
      this.lazyCount += lazy.entries.count;
      this.lazyNames = undefined;
      for (const name of this.loaded) this.addEntries(sourceId, lazy.entries.entriesOf(name), removed, false);
      return;
    }
    const entries = Array.isArray(source.entries) ? (source.entries as [string, unknown][]) : [...source.entries];
    this.eagerCount += this.addEntries(sourceId, entries, removed, true);
  }

  /** Reads a name from the lazy sources, once. */
  private ensure(name: string): void {
    if (this.lazy.length === 0 || this.loaded.has(name)) return;
    this.loaded.add(name);
    for (const l of this.lazy) this.addEntries(l.sourceId, l.entries.entriesOf(name), l.removed, false);
  }

  private allLazyNames(): Set<string> {
    if (this.lazyNames === undefined) {
      this.lazyNames = new Set();
      for (const l of this.lazy) for (const n of l.entries.names()) this.lazyNames.add(n);
    }
    return this.lazyNames;
  }

  /**
   * Adds one batch of entries (a whole eager source, or one name of a lazy one); returns how many
   * were kept. `shadow`: a `.conda` entry hides the `.tar.bz2` of the same stem (lazy sources
   * apply conda's rule themselves, knowing which repodata section an entry came from).
   */
  private addEntries(sourceId: number, entries: readonly [string, unknown][], removed: ReadonlySet<string>, shadow: boolean): number {
    if (entries.length === 0) return 0;
    const before = this.raw.length;
    const condaStems = new Set<string>();
    if (shadow) for (const [fn] of entries) if (fn.endsWith('.conda')) condaStems.add(fn.slice(0, -6));
    for (const [fn, raw] of entries) {
      if (removed.has(fn)) continue;
      if (shadow && fn.endsWith('.tar.bz2') && condaStems.has(fn.slice(0, -8))) continue;
      const name = (raw as { name?: unknown }).name;
      if (typeof name !== 'string' || name === '') continue; // readPackageRecord would refuse it; skip like conda
      const key = name.toLowerCase();
      let nameId = this.nameIds.get(key);
      if (nameId === undefined) {
        nameId = this.names.length;
        this.nameIds.set(key, nameId);
        this.names.push(key);
        this.byName.push([]);
      }
      const id = this.raw.length;
      this.raw.push(raw);
      this.fns.push(fn);
      this.recName.push(nameId);
      this.recSource.push(sourceId);
      this.byName[nameId]!.push(id);
    }
    return this.raw.length - before;
  }

  /** Records in the index; entries of lazy sources count before `removed` and the .conda/.tar.bz2 rule apply. */
  get size(): number {
    return this.eagerCount + this.lazyCount;
  }

  /** Records read so far (all of them when no source is lazy). */
  get loadedCount(): number {
    return this.raw.length;
  }

  get nameCount(): number {
    return this.allNames().length;
  }

  hasName(name: string): boolean {
    return this.nameIds.has(name) || (this.lazy.length > 0 && this.allLazyNames().has(name));
  }

  allNames(): readonly string[] {
    if (this.lazy.length === 0) return this.names;
    const all = new Set(this.names);
    for (const n of this.allLazyNames()) all.add(n);
    return [...all];
  }

  /** Record ids with this name (any channel, any subdir). */
  candidates(name: string): readonly number[] {
    this.ensure(name);
    const id = this.nameIds.get(name);
    return id === undefined ? [] : this.byName[id]!;
  }

  nameOf(id: number): string {
    return this.names[this.recName[id]!]!;
  }

  fnOf(id: number): string {
    return this.fns[id]!;
  }

  channelOf(id: number): string {
    return this.sources[this.recSource[id]!]!.channel;
  }

  priorityOf(id: number): number {
    return this.sources[this.recSource[id]!]!.priority;
  }

  subdirOf(id: number): string {
    return this.sources[this.recSource[id]!]!.subdir;
  }

  urlOf(id: number): string | undefined {
    const base = this.sources[this.recSource[id]!]!.url;
    return base === undefined ? this.record(id).url : `${base.replace(/\/$/, '')}/${this.fns[id]}`;
  }

  /** The full record, read on first use. */
  record(id: number): PackageRecord {
    let r = this.records[id];
    if (r === undefined) {
      const src = this.sources[this.recSource[id]!]!;
      r = readPackageRecord(this.raw[id], { fn: this.fns[id], subdir: src.subdir, channel: src.channel });
      this.records[id] = r;
    }
    return r;
  }

  /** The parsed version, or null when the record's version is not a valid conda version (it then matches only regex specs). */
  version(id: number): Version | null {
    let v = this.versions[id];
    if (v === undefined) {
      v = Version.tryParse(this.record(id).version) ?? null;
      this.versions[id] = v;
    }
    return v;
  }

  /** Dependencies, including conda's implicit one for each entry in `features`: some installed package must track it. */
  depends(id: number): readonly MatchSpec[] {
    let d = this.dependsCache[id];
    if (d === undefined) {
      const r = this.record(id);
      d = r.depends.map((s) => MatchSpec.parse(s));
      for (const f of r.features) d.push(MatchSpec.fromFields({ track_features: [f] }));
      this.dependsCache[id] = d;
    }
    return d;
  }

  /** Records whose track_features include the feature (scans the index once, on first use). */
  trackingFeature(feature: string): readonly number[] {
    if (this.featureIndex === undefined) {
      for (const l of this.lazy) for (const n of l.entries.trackFeatureNames()) this.ensure(n);
      this.featureIndex = new Map();
      for (let id = 0; id < this.raw.length; id++) {
        const tf = (this.raw[id] as { track_features?: unknown }).track_features;
        if (tf === undefined || tf === null || tf === '' || (Array.isArray(tf) && tf.length === 0)) continue;
        for (const f of this.record(id).track_features) {
          let list = this.featureIndex.get(f);
          if (list === undefined) this.featureIndex.set(f, (list = []));
          list.push(id);
        }
      }
    }
    return this.featureIndex.get(feature) ?? [];
  }

  private featureIndex: Map<string, number[]> | undefined;

  /** Every record id (for specs without a name, such as `*[md5=…]`); reads every lazy name first. */
  allIds(): Iterable<number> {
    for (const n of this.allLazyNames()) this.ensure(n);
    return this.raw.keys();
  }

  constrains(id: number): readonly MatchSpec[] {
    let d = this.constrainsCache[id];
    if (d === undefined) {
      d = this.record(id).constrains.map((s) => MatchSpec.parse(s));
      this.constrainsCache[id] = d;
    }
    return d;
  }

  /** Does record `id` satisfy the spec? Uses the parsed version and the channel of the record. */
  matches(spec: MatchSpec, id: number): boolean {
    let view = this.views[id];
    if (view === undefined) {
      // built once per record: matching runs for every candidate of every dependency
      const r = this.record(id);
      view = { ...r, version: this.version(id) ?? r.version, channel: this.channelOf(id), subdir: this.subdirOf(id) };
      this.views[id] = view;
    }
    return spec.matches(view);
  }

  private readonly views: (RecordLike | undefined)[] = [];
}
