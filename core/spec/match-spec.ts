// Conda match specs (CEP 29): `numpy>=1.2`, `conda-forge::numpy 1.26.* py312*`, `numpy=1.2=py3_0`,
// `python[version='>=3.10',build_number='>1']`, package URLs and file names, `*` names, `feature@`.
//
// Parsing follows conda's MatchSpec step by step; `toString()` is conda's canonical string, which
// parses back to an equal spec; `matches(record)` tests a repodata-style record.

import { BuildNumberSpec } from './build-number-spec.ts';
import { channelNameMatches, splitChannel } from './channel-name.ts';
import { SpecError } from './errors.ts';
import { type RecordLike, recordFeatures } from './record-like.ts';
import { StringMatcher } from './string-matcher.ts';
import { fnUnlessDerived, renderCanonical } from './match-spec-format.ts';
import {
  applyField, buildCache, CACHE_LIMIT, emptyParsed, nameCache, type Parsed, parseFast, parsedOf, parseSpec, setName, specCache, versionCache,
} from './match-spec-parse.ts';
import { VersionSpec } from './version-spec.ts';
import { mergeGlobPatterns } from './match-spec-merge.ts';

export interface MatchSpecOptions {
  /** Reject the ambiguous spellings rattler's strict mode refuses (`name=1.0=build`, bare versions in brackets, fields given twice). */
  strict?: boolean;
  /** Parse without a package name: the text is `version [build]` and brackets (rattler's NamelessMatchSpec). */
  nameless?: boolean;
  /** Refuse glob and regex package names. */
  exactNamesOnly?: boolean;
}

/** Fields that build a match spec programmatically; values are written as in a spec string. */
export interface MatchSpecFields {
  name?: string;
  version?: string;
  build?: string;
  build_number?: string | number;
  channel?: string;
  subdir?: string;
  md5?: string;
  sha256?: string;
  license?: string;
  license_family?: string;
  track_features?: string | readonly string[];
  features?: string | readonly string[];
  fn?: string;
  url?: string;
  when?: string;
  extras?: string | readonly string[];
  flags?: string | readonly string[];
  namespace?: string;
  optional?: boolean;
  target?: string;
}

export class MatchSpec {
  /** Package name (lower case), `*` when any name matches. */
  readonly name: string;
  readonly version: VersionSpec | undefined;
  readonly build: StringMatcher | undefined;
  readonly buildNumber: BuildNumberSpec | undefined;
  /** Canonical channel name (`conda-forge`, `defaults`, or a base URL); `*` means any channel. */
  readonly channel: string | undefined;
  readonly subdir: string | undefined;
  readonly md5: string | undefined;
  readonly sha256: string | undefined;
  readonly license: StringMatcher | undefined;
  readonly licenseFamily: StringMatcher | undefined;
  readonly trackFeatures: readonly string[] | undefined;
  readonly features: readonly string[] | undefined;
  readonly fn: string | undefined;
  readonly url: string | undefined;
  /** Condition (`__win`, `python >=3.10 and __linux`) under which the dependency applies. */
  readonly when: string | undefined;
  readonly extras: readonly string[] | undefined;
  readonly flags: readonly string[] | undefined;
  readonly namespace: string | undefined;
  readonly optional: boolean;
  readonly target: string | undefined;
  /** The text this spec was parsed from, if any. */
  readonly original: string | undefined;

  private readonly nameMatcher: StringMatcher;
  private readonly channelMatcher: StringMatcher | undefined;
  private canonical: string | undefined;

  private constructor(p: Parsed, original: string | undefined) {
    this.name = p.name;
    this.nameMatcher = p.nameMatcher;
    this.version = p.version;
    this.build = p.build;
    this.buildNumber = p.buildNumber;
    this.channel = p.channel;
    this.channelMatcher = p.channel !== undefined && p.channel.includes('*') ? StringMatcher.parse(p.channel) : undefined;
    this.subdir = p.subdir;
    this.md5 = p.md5;
    this.sha256 = p.sha256;
    this.license = p.license;
    this.licenseFamily = p.licenseFamily;
    this.trackFeatures = p.trackFeatures;
    this.features = p.features;
    this.fn = p.fn;
    this.url = p.url;
    this.when = p.when;
    this.extras = p.extras;
    this.flags = p.flags;
    this.namespace = p.namespace;
    this.optional = p.optional;
    this.target = p.target;
    this.original = original;
  }

  /** Parse a match spec; throws SpecError saying what is wrong. Specs are immutable, so repeated texts share one object. */
  static parse(text: string, options?: MatchSpecOptions): MatchSpec {
    if (options === undefined || (!options.strict && !options.nameless && !options.exactNamesOnly)) {
      let m = specCache.get(text);
      if (m === undefined) {
        m = new MatchSpec(parseFast(text) ?? parseSpec(text, {}), text);
        if (specCache.size >= CACHE_LIMIT) specCache.clear();
        specCache.set(text, m);
      }
      return m;
    }
    return new MatchSpec(parseSpec(text, options), text);
  }

  /** The general parser alone, without the fast path or the cache (tests compare the two). */
  static parseGeneral(text: string, options: MatchSpecOptions = {}): MatchSpec {
    return new MatchSpec(parseSpec(text, options), text);
  }

  /** Forget cached specs (benchmarks measure cold parsing with it). */
  static clearCache(): void {
    specCache.clear();
    versionCache.clear();
    buildCache.clear();
    nameCache.clear();
  }

  /** Parse, or undefined when the text is not a valid spec. */
  static tryParse(text: string, options: MatchSpecOptions = {}): MatchSpec | undefined {
    try {
      return MatchSpec.parse(text, options);
    } catch {
      return undefined;
    }
  }

  /** Build a spec from fields (as conda's `MatchSpec(name=…, version=…)`), optionally on top of a parsed spec. */
  static fromFields(fields: MatchSpecFields, base?: MatchSpec): MatchSpec {
    const p: Parsed = base ? parsedOf(base) : emptyParsed();
    const input = JSON.stringify(fields);
    for (const [key, raw] of Object.entries(fields)) {
      if (raw === undefined) continue;
      if (key === 'optional') p.optional = raw === true;
      else if (key === 'target') p.target = String(raw);
      else if (key === 'name') setName(p, String(raw), input, {});
      else applyField(p, key, Array.isArray(raw) ? { kind: 'list', items: raw.map(String) } : { kind: 'scalar', text: String(raw) }, input, false, {});
    }
    return new MatchSpec(p, base?.original);
  }

  /** Does a repodata-style record satisfy every field of the spec? */
  matches(record: RecordLike): boolean {
    if (this.name !== '*' && !this.nameMatcher.matches(record.name)) return false;
    if (this.version !== undefined && !this.version.isAny && !this.version.matches(record.version)) return false;
    if (this.build !== undefined && !this.build.matches(record.build ?? '')) return false;
    if (this.buildNumber !== undefined && !this.buildNumber.matches(record.build_number ?? 0)) return false;
    if (this.channel !== undefined && this.channel !== '*') {
      const rc = record.channel;
      if (rc === undefined || rc === null) return false;
      if (this.channelMatcher !== undefined ? !this.channelMatcher.matches(splitChannel(rc).name) : !channelNameMatches(this.channel, rc)) return false;
    }
    if (this.subdir !== undefined && record.subdir !== this.subdir) return false;
    if (this.md5 !== undefined && record.md5 !== this.md5) return false;
    if (this.sha256 !== undefined && record.sha256 !== this.sha256) return false;
    if (this.license !== undefined && !this.license.matches(record.license ?? '')) return false;
    if (this.licenseFamily !== undefined && !this.licenseFamily.matches(record.license_family ?? '')) return false;
    if (this.trackFeatures !== undefined && !sameSet(this.trackFeatures, recordFeatures(record.track_features))) return false;
    if (this.features !== undefined && !sameSet(this.features, recordFeatures(record.features))) return false;
    if (this.fn !== undefined && record.fn !== this.fn) return false;
    if (this.url !== undefined && record.url !== this.url) return false;
    if (this.flags !== undefined) {
      const have = record.flags ?? [];
      for (const f of this.flags) {
        const m = StringMatcher.parse(f);
        if (!have.some((h) => m.matches(h))) return false;
      }
    }
    return true;
  }

  /** True for virtual packages (`__glibc`, `__cuda`, …). */
  get isVirtual(): boolean {
    return this.nameMatcher.kind === 'regex' ? this.name.startsWith('^__') : this.name.startsWith('__');
  }

  /** The value when the field is given exactly (`==1.2`, an exact build string), else undefined. */
  exactValue(field: 'name' | 'version' | 'build' | 'build_number' | 'channel' | 'subdir' | 'md5' | 'sha256' | 'fn' | 'url'): string | undefined {
    switch (field) {
      case 'name':
        return this.nameMatcher.exactValue;
      case 'version':
        return this.version?.exactValue;
      case 'build':
        return this.build?.exactValue;
      case 'build_number': {
        const v = this.buildNumber?.exactValue;
        return v === undefined ? undefined : String(v);
      }
      case 'channel':
        return this.channel === undefined || this.channel.includes('*') ? undefined : this.channel;
      default:
        return this[field];
    }
  }

  /** conda-build's old strictness: 1 name only, 2 name and version, 3 anything more. */
  get strictness(): 1 | 2 | 3 {
    const extra = this.fieldNames().filter((f) => f !== 'name' && f !== 'version' && f !== 'build');
    if (extra.length > 0 || this.nameMatcher.exactValue === undefined || this.build !== undefined) return 3;
    return this.version !== undefined ? 2 : 1;
  }

  /** mamba's "simple" spec: an exact name with at most a plain version range and a build string. */
  get isSimple(): boolean {
    if (this.nameMatcher.exactValue === undefined) return false;
    if (this.fieldNames().some((f) => f !== 'name' && f !== 'version' && f !== 'build')) return false;
    if (this.namespace !== undefined && this.namespace !== '') return false;
    const root = this.version?.root;
    if (root === undefined || root.kind === 'any' || root.kind === 'operator') return true;
    if (root.kind === 'and' && root.children.length === 2) return root.children.every((c) => c.kind === 'operator');
    return false;
  }

  /** Names of the fields this spec constrains, in conda's field order. */
  fieldNames(): string[] {
    const out: string[] = [];
    if (this.channel !== undefined) out.push('channel');
    if (this.subdir !== undefined) out.push('subdir');
    out.push('name');
    if (this.version !== undefined) out.push('version');
    if (this.build !== undefined) out.push('build');
    if (this.buildNumber !== undefined) out.push('build_number');
    if (this.trackFeatures !== undefined) out.push('track_features');
    if (this.features !== undefined) out.push('features');
    if (this.url !== undefined) out.push('url');
    if (this.md5 !== undefined) out.push('md5');
    if (this.sha256 !== undefined) out.push('sha256');
    if (this.license !== undefined) out.push('license');
    if (this.licenseFamily !== undefined) out.push('license_family');
    if (this.fn !== undefined) out.push('fn');
    if (this.when !== undefined) out.push('when');
    if (this.extras !== undefined) out.push('extras');
    if (this.flags !== undefined) out.push('flags');
    return out;
  }

  /** conda's canonical string (`str(MatchSpec)`). */
  toString(): string {
    this.canonical ??= renderCanonical(this);
    return this.canonical;
  }

  /** conda-build's `name version build` form. */
  condaBuildForm(): string {
    const parts = [this.name];
    const version = this.version?.toString();
    const build = this.build?.toString();
    if (build !== undefined) parts.push(version ?? '*', build);
    else if (version !== undefined) parts.push(version);
    return parts.join(' ');
  }

  /** `conda env export` form: `name=version=build`, no channel. */
  condaEnvForm(): string {
    let s = this.toString();
    const i = s.indexOf('::');
    if (i >= 0) s = s.slice(i + 2);
    return s.replace('==', '=');
  }

  /** Same constraints (versions compared by meaning: `1.2` equals `==1.2`). */
  equals(other: MatchSpec): boolean {
    return this.key === other.key;
  }

  get key(): string {
    return JSON.stringify([
      this.name, this.version?.isAny ? undefined : this.version?.key, this.build?.pattern, this.buildNumber?.key,
      this.channel === '*' ? undefined : this.channel, this.subdir, this.md5, this.sha256, this.license?.pattern, this.licenseFamily?.pattern,
      sortedCopy(this.trackFeatures), sortedCopy(this.features), fnUnlessDerived(this.fn, this.url), this.url, this.when, sortedCopy(this.extras), sortedCopy(this.flags),
      this.optional, this.target,
    ]);
  }

  /** conda's MatchSpec.merge: combine specs for the same name into one; throws SpecError on a conflict. */
  static merge(specs: readonly MatchSpec[]): MatchSpec[] {
    const sorted = [...specs].sort((a, b) => (a.toString() < b.toString() ? -1 : a.toString() > b.toString() ? 1 : 0));
    const groups = new Map<string, MatchSpec[]>();
    const unmergeable: MatchSpec[] = [];
    for (const s of sorted) {
      if (s.name === '*' || s.nameMatcher.exactValue === undefined) {
        unmergeable.push(s);
        continue;
      }
      const g = groups.get(s.name);
      if (g) g.push(s);
      else groups.set(s.name, [s]);
    }
    const merged: MatchSpec[] = [];
    for (const group of groups.values()) merged.push(group.reduce((a, b) => new MatchSpec(mergeParsed(a, b), undefined)));
    return [...merged, ...unmergeable];
  }
}

// ---- merging ---------------------------------------------------------------------------------

/** The fields of two specs for one package combined, as conda's MatchSpec._merge does. */
function mergeParsed(a: MatchSpec, b: MatchSpec): Parsed {
  if (a.optional !== b.optional || a.target !== b.target) throw new SpecError(`cannot merge '${a}' and '${b}': different options`);
  const conflict = (field: string, x: unknown, y: unknown) =>
    new SpecError(`cannot merge '${a}' and '${b}': ${field} '${String(x)}' conflicts with '${String(y)}'`);
  const p = parsedOf(a);
  const q = parsedOf(b);
  if (p.version !== undefined && q.version !== undefined && !p.version.isAny && !q.version.isAny) {
    const parts = [p.version.toString(), q.version.toString()].sort();
    p.version = VersionSpec.parse(parts.join(','));
  } else if (p.version === undefined || p.version.isAny) {
    p.version = q.version ?? p.version;
  }
  if (p.build !== undefined && q.build !== undefined) {
    const merged = mergeGlobPatterns(p.build.toString(), q.build.toString());
    if (merged === undefined) throw conflict('build', p.build, q.build);
    p.build = StringMatcher.parse(merged);
  } else p.build ??= q.build;
  if (p.channel !== undefined && q.channel !== undefined && p.channel !== q.channel) {
    const merged = mergeGlobPatterns(p.channel, q.channel);
    if (merged === undefined) throw conflict('channel', p.channel, q.channel);
    p.channel = merged;
  } else p.channel ??= q.channel;
  if (p.buildNumber !== undefined && q.buildNumber !== undefined) {
    if (p.buildNumber.toString() !== q.buildNumber.toString()) throw conflict('build_number', p.buildNumber, q.buildNumber);
  } else p.buildNumber ??= q.buildNumber;
  for (const key of ['subdir', 'md5', 'sha256', 'fn', 'url', 'when', 'namespace'] as const) {
    const x = p[key];
    const y = q[key];
    if (x !== undefined && y !== undefined && x !== y) throw conflict(key, x, y);
    p[key] ??= y;
  }
  for (const key of ['license', 'licenseFamily'] as const) {
    const x = p[key];
    const y = q[key];
    if (x !== undefined && y !== undefined && x.pattern !== y.pattern) throw conflict(key, x, y);
    p[key] ??= y;
  }
  for (const key of ['trackFeatures', 'features', 'extras', 'flags'] as const) {
    const x = p[key];
    const y = q[key];
    if (x !== undefined && y !== undefined && !sameSet(x, y)) throw conflict(key, x.join(' '), y.join(' '));
    p[key] ??= y;
  }
  return p;
}

function sortedCopy(list: readonly string[] | undefined): string[] | undefined {
  return list === undefined ? undefined : [...list].sort();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

