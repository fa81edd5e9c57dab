// Conda match specs (CEP 29): `numpy>=1.2`, `conda-forge::numpy 1.26.* py312*`, `numpy=1.2=py3_0`,
// `python[version='>=3.10',build_number='>1']`, package URLs and file names, `*` names, `feature@`.
//
// Parsing follows conda's MatchSpec step by step; `toString()` is conda's canonical string, which
// parses back to an equal spec; `matches(record)` tests a repodata-style record.

import { BuildNumberSpec } from './build-number-spec.ts';
import { channelNameMatches, channelOfPackageUrl, splitChannel, stripCredentials } from './channel-name.ts';
import { SpecError } from './errors.ts';
import { assertPackageName } from './package-name.ts';
import { isKnownSubdir } from './platform.ts';
import { type RecordLike, recordFeatures } from './record-like.ts';
import { escapeRegExp, StringMatcher } from './string-matcher.ts';
import { VersionSpec } from './version-spec.ts';
import { parseBracketList, type BracketValue } from './match-spec-brackets.ts';
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

const BRACKET_KEYS = new Set([
  'name', 'version', 'build', 'build_number', 'channel', 'subdir', 'md5', 'sha256', 'license', 'license_family',
  'track_features', 'features', 'fn', 'url', 'when', 'extras', 'flags', 'namespace',
]);
const PACKAGE_FILE = /\.(conda|tar\.bz2)(#[0-9a-fA-F]{32}|#sha256:[0-9a-fA-F]{64}|#[0-9a-fA-F]{64})?$/;
const VERSION_BUILD = /((?:.+?)[^><!,|]?)(?:(?<![=!|,<>~])(?:[ =])([^-=,|<>~]+?))?$/;
const NAME_REST = /^([^ =<>!~]+)?([><!=~ ].*)?$/s;

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
    for (const group of groups.values()) merged.push(group.reduce((a, b) => mergeTwo(a, b)));
    return [...merged, ...unmergeable];
  }
}

// ---- parsing ---------------------------------------------------------------------------------

const CACHE_LIMIT = 200_000;
const specCache = new Map<string, MatchSpec>();
const versionCache = new Map<string, VersionSpec>();
const buildCache = new Map<string, StringMatcher>();

/** The common shapes of repodata dependencies (`name`, `name >=1.2,<2`, `name 1.2.* *_cp312`), read without the general machinery. */
const FAST = /^([a-z0-9_][a-z0-9_.-]*)(?: ([^\s=[\]#:@()'"]+|[<>!=~]=[^\s=[\]#:@()'"]+|[<>][^\s=[\]#:@()'"]+))?(?: ([^\s\-=,|<>~[\]#:@()'"]+))?$/;
const DOUBLED_SEPARATORS = /\.\.|--|\.-|-\./;

function parseFast(text: string): Parsed | undefined {
  const m = FAST.exec(text);
  if (m === null) return undefined;
  const name = m[1]!;
  const version = m[2];
  const build = m[3];
  if (DOUBLED_SEPARATORS.test(name) || (version !== undefined && /[=<>!~,|]$/.test(version)) || version === 'if') return undefined;
  const p = emptyParsed();
  p.name = name;
  p.nameMatcher = exactName(name);
  if (version !== undefined) {
    let v = versionCache.get(version);
    if (v === undefined) {
      try {
        v = VersionSpec.parse(/^\*(\.\*)+$/.test(version) ? '*' : version);
      } catch {
        return undefined; // the general parser gives the error message
      }
      if (versionCache.size >= CACHE_LIMIT) versionCache.clear();
      versionCache.set(version, v);
    }
    p.version = v;
  }
  if (build !== undefined) {
    let b = buildCache.get(build);
    if (b === undefined) {
      b = StringMatcher.parse(build);
      if (buildCache.size >= CACHE_LIMIT) buildCache.clear();
      buildCache.set(build, b);
    }
    p.build = b;
  }
  return p;
}

const nameCache = new Map<string, StringMatcher>();
function exactName(name: string): StringMatcher {
  let m = nameCache.get(name);
  if (m === undefined) {
    m = StringMatcher.parse(name, { caseInsensitive: true });
    if (nameCache.size >= CACHE_LIMIT) nameCache.clear();
    nameCache.set(name, m);
  }
  return m;
}

interface Parsed {
  name: string;
  nameMatcher: StringMatcher;
  version: VersionSpec | undefined;
  build: StringMatcher | undefined;
  buildNumber: BuildNumberSpec | undefined;
  channel: string | undefined;
  subdir: string | undefined;
  md5: string | undefined;
  sha256: string | undefined;
  license: StringMatcher | undefined;
  licenseFamily: StringMatcher | undefined;
  trackFeatures: readonly string[] | undefined;
  features: readonly string[] | undefined;
  fn: string | undefined;
  url: string | undefined;
  when: string | undefined;
  extras: readonly string[] | undefined;
  flags: readonly string[] | undefined;
  namespace: string | undefined;
  optional: boolean;
  target: string | undefined;
}

const ANY_NAME = StringMatcher.parse('*');

function emptyParsed(): Parsed {
  return {
    name: '*', nameMatcher: ANY_NAME, version: undefined, build: undefined, buildNumber: undefined, channel: undefined, subdir: undefined,
    md5: undefined, sha256: undefined, license: undefined, licenseFamily: undefined, trackFeatures: undefined, features: undefined,
    fn: undefined, url: undefined, when: undefined, extras: undefined, flags: undefined, namespace: undefined, optional: false, target: undefined,
  };
}

function parsedOf(s: MatchSpec): Parsed {
  const p = emptyParsed();
  for (const k of Object.keys(p) as (keyof Parsed)[]) {
    if (k === 'nameMatcher') continue;
    (p as unknown as Record<string, unknown>)[k] = (s as unknown as Record<string, unknown>)[k];
  }
  p.nameMatcher = s.name === '*' ? ANY_NAME : StringMatcher.parse(s.name, { caseInsensitive: true });
  return p;
}

function fail(input: string, why: string): SpecError {
  return new SpecError(`invalid match spec '${input}': ${why}`, { input });
}

function parseSpec(input: string, options: MatchSpecOptions): Parsed {
  const p = emptyParsed();
  let s = input.trim();
  if (s === '') {
    if (options.strict) throw fail(input, 'empty spec');
    return p;
  }

  // `mkl@`: the old way to ask for a feature
  if (/^[A-Za-z0-9_.-]+@$/.test(s)) {
    p.trackFeatures = [s.slice(0, -1)];
    return p;
  }

  // a package file or URL, possibly with `#md5` / `#sha256:`
  if (PACKAGE_FILE.test(s)) return parsePackageFile(s, input, p);

  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash).trim();
  const cond = s.indexOf(' if ');
  if (cond >= 0) s = s.slice(0, cond);
  if (s === '') throw fail(input, 'nothing before the comment');

  // mamba's `channel[subdir]::name`
  const mambaChannel = /^([^[\s:]+)\[([a-z0-9-]+)\]::/.exec(s);
  let channelText: string | undefined;
  let subdirFromChannel: string | undefined;
  if (mambaChannel) {
    channelText = mambaChannel[1];
    subdirFromChannel = mambaChannel[2];
    s = s.slice(mambaChannel[0].length);
  }

  // brackets
  let brackets: Map<string, BracketValue> | undefined;
  const open = s.indexOf('[');
  if (open >= 0) {
    const result = parseBracketList(s, open, input);
    brackets = result.pairs;
    const after = s.slice(result.end);
    if (after.includes('[')) throw fail(input, 'only one bracket section is allowed');
    s = s.slice(0, open) + after;
  }

  // trailing `(target=…, optional)`
  const parens = /\(([^()]*)\)\s*$/.exec(s);
  if (parens && /^\s*(?:[A-Za-z0-9_-]+=[^,()]*|optional)(?:\s*,\s*(?:[A-Za-z0-9_-]+=[^,()]*|optional))*\s*$/.test(parens[1]!)) {
    for (const item of parens[1]!.split(',').map((x) => x.trim())) {
      if (item === 'optional') p.optional = true;
      else if (item.startsWith('target=')) p.target = item.slice(7);
    }
    s = s.slice(0, parens.index);
  }

  // channel::namespace:name
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0) {
    const head = s.slice(0, lastColon);
    const prev = head.lastIndexOf(':');
    const beforeAuthority = prev >= 0 && head.slice(prev, prev + 3) === '://';
    if (prev >= 0 && !beforeAuthority) {
      channelText = head.slice(0, prev);
      p.namespace = head.slice(prev + 1);
    } else {
      p.namespace = head;
    }
    s = s.slice(lastColon + 1);
    if (channelText !== undefined) {
      if (!isValidChannelText(channelText)) throw fail(input, `invalid channel '${channelText}'`);
    }
  }
  if (channelText !== undefined && channelText !== '') {
    const c = channelText.includes('*') ? { name: channelText.split('/')[0]!, subdir: channelText.split('/')[1] } : splitChannel(channelText);
    p.channel = c.name;
    p.subdir = subdirFromChannel ?? c.subdir;
  }

  // `>=   1.0` means `>=1.0` (mamba reads it so; conda would split it into version and build)
  s = s.replace(/([=<>!~])\s+(?=[^\s=<>!~,|])/g, '$1');

  // name and version/build
  let rest: string | undefined;
  let nameText: string | undefined;
  if (options.nameless) {
    rest = s.trim();
  } else {
    const m = NAME_REST.exec(s.trimStart());
    if (m === null || m[1] === undefined) throw fail(input, 'no package name found');
    nameText = m[1];
    rest = m[2]?.trim();
  }
  if (nameText !== undefined) setName(p, nameText, input, options);

  let positionalVersion = false;
  let positionalBuild = false;
  if (rest !== undefined && rest !== '' && rest !== '=') {
    if (rest.includes('[')) throw fail(input, 'only one bracket section is allowed');
    const vb = VERSION_BUILD.exec(rest);
    let version: string | undefined;
    let build: string | undefined;
    if (vb) {
      version = vb[1];
      build = vb[2]?.trim();
      if (options.strict && build !== undefined && rest[vb.index + vb[1]!.length] === '=') {
        throw fail(input, `'${rest}' joins version and build with '='; strict mode wants '${vb[1]!.replace(/^=(?!=)/, '')} ${build}' or brackets`);
      }
    } else {
      version = rest;
    }
    version = version?.replaceAll(' ', '');
    if (version !== undefined && /^\*(\.\*)+$/.test(version)) version = '*'; // `blas *.* mkl`: any version
    if (version !== undefined && options.strict) checkStrictVersion(version, input);
    if (version !== undefined) version = sanitizeVersion(version, build);
    if (version !== undefined && version !== '') {
      applyField(p, 'version', { kind: 'scalar', text: version }, input, false, options);
      positionalVersion = true;
    }
    if (build !== undefined && build !== '') {
      applyField(p, 'build', { kind: 'scalar', text: build }, input, false, options);
      positionalBuild = true;
    }
  }

  if (brackets) {
    let bracketChannel: { name: string; subdir: string | undefined } | undefined;
    for (const [key, value] of brackets) {
      if (key === 'name') {
        if (nameText === undefined && value.kind === 'scalar') setName(p, value.text, input, options);
        continue;
      }
      if (options.strict && ((key === 'version' && positionalVersion) || (key === 'build' && positionalBuild))) {
        throw fail(input, `'${key}' is given both before and inside the brackets`);
      }
      if (key === 'channel') {
        if (value.kind !== 'scalar') throw fail(input, 'channel takes one value');
        bracketChannel = value.text.includes('*') ? { name: value.text, subdir: undefined } : splitChannel(value.text);
        continue;
      }
      applyField(p, key, value, input, true, options);
    }
    if (bracketChannel) {
      p.channel = bracketChannel.name;
      if (bracketChannel.subdir !== undefined && !brackets.has('subdir')) p.subdir = bracketChannel.subdir;
    }
  }
  return p;
}

/** A channel name, path or URL: no `::`, no backslash, and colons only in a scheme, a port or a drive letter. */
function isValidChannelText(text: string): boolean {
  if (text.includes('::') || text.includes('\\')) return false;
  const rest = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^\/?[A-Za-z]:(?=\/)/, '').replace(/:\d+(?=\/|$)/, '');
  return !rest.includes(':');
}

function setName(p: Parsed, nameText: string, input: string, options: MatchSpecOptions): void {
  const isRegex = nameText.startsWith('^') && nameText.endsWith('$');
  if (options.exactNamesOnly && (isRegex || nameText.includes('*'))) throw fail(input, `'${nameText}' is not an exact package name`);
  if (!isRegex) assertPackageName(nameText, input, true);
  p.nameMatcher = nameText === '*' ? ANY_NAME : StringMatcher.parse(nameText, { caseInsensitive: true });
  p.name = isRegex ? nameText : nameText.toLowerCase();
}

/** Strict mode reads the version as written, before conda's `=1.2` → `1.2.*` rewriting. */
function checkStrictVersion(text: string, input: string): void {
  try {
    VersionSpec.parse(text, { strict: true });
  } catch (e) {
    throw fail(input, (e as Error).message);
  }
}

/** conda's `_sanitize_version_str`: `=1.2` means `1.2.*`, `==1.2` means exactly 1.2. */
function sanitizeVersion(version: string, build: string | undefined): string {
  if (version === '==' || version === '=') return version;
  if (!version.startsWith('=')) return version;
  const bare = version.replace(/^=+/, '');
  if (version.startsWith('==') && build === undefined) return bare;
  if (!/[=,|]/.test(bare)) {
    if (build === undefined && !bare.endsWith('*')) return bare + '*';
    return bare;
  }
  return version;
}

function scalar(value: BracketValue, key: string, input: string): string {
  if (value.kind !== 'scalar') throw fail(input, `'${key}' takes a single value, not a list`);
  return value.text;
}

function listOf(value: BracketValue): string[] {
  if (value.kind === 'list') return value.items;
  return value.text.replaceAll(' ', ',').split(',').map((x) => x.trim()).filter((x) => x !== '');
}

function applyField(p: Parsed, key: string, value: BracketValue, input: string, fromBrackets: boolean, options: MatchSpecOptions): void {
  if (!BRACKET_KEYS.has(key)) {
    throw fail(input, `unknown field '${key}'; use one of ${[...BRACKET_KEYS].join(', ')}`);
  }
  switch (key) {
    case 'version': {
      let text = scalar(value, key, input);
      if (fromBrackets && options.strict) checkStrictVersion(text, input);
      if (fromBrackets) text = sanitizeVersion(text, undefined);
      try {
        p.version = VersionSpec.parse(text);
      } catch (e) {
        throw fail(input, (e as Error).message);
      }
      return;
    }
    case 'build':
      p.build = StringMatcher.parse(scalar(value, key, input));
      return;
    case 'build_number':
      try {
        p.buildNumber = BuildNumberSpec.parse(scalar(value, key, input));
      } catch (e) {
        throw fail(input, (e as Error).message);
      }
      return;
    case 'channel': {
      const c = splitChannel(scalar(value, key, input));
      p.channel = c.name;
      if (c.subdir !== undefined) p.subdir = c.subdir;
      return;
    }
    case 'subdir':
      p.subdir = scalar(value, key, input);
      return;
    case 'md5':
      p.md5 = scalar(value, key, input);
      if (options.strict && !/^[0-9a-fA-F]{32}$/.test(p.md5)) throw fail(input, `md5 '${p.md5}' is not 32 hex digits`);
      return;
    case 'sha256':
      p.sha256 = scalar(value, key, input);
      if (options.strict && !/^[0-9a-fA-F]{64}$/.test(p.sha256)) throw fail(input, `sha256 '${p.sha256}' is not 64 hex digits`);
      return;
    case 'license':
      p.license = StringMatcher.parse(scalar(value, key, input), { caseInsensitive: true });
      return;
    case 'license_family':
      p.licenseFamily = StringMatcher.parse(scalar(value, key, input), { caseInsensitive: true });
      return;
    case 'track_features':
      p.trackFeatures = listOf(value);
      return;
    case 'features':
      p.features = listOf(value);
      return;
    case 'fn':
      p.fn = scalar(value, key, input);
      return;
    case 'url':
      p.url = scalar(value, key, input);
      return;
    case 'namespace':
      p.namespace = scalar(value, key, input);
      return;
    case 'when': {
      const text = scalar(value, key, input).trim().replace(/\\(["'])/g, '$1');
      if (text === '') throw fail(input, "'when' needs a condition");
      validateCondition(text, input);
      p.when = text;
      return;
    }
    case 'extras':
    case 'flags': {
      const items = value.kind === 'list' ? value.items : [value.text];
      if (items.length === 0 || items.some((x) => x === '')) throw fail(input, `'${key}' needs one or more names`);
      if (key === 'extras') p.extras = items;
      else p.flags = items;
      return;
    }
  }
}

/** A `when` condition: match specs joined by `and` / `or`, with parentheses. Nested conditions are refused. */
function validateCondition(text: string, input: string): void {
  const atoms = text.replace(/[()]/g, ' ').split(/\s+(?:and|or)\s+/);
  for (const atom of atoms) {
    const a = atom.trim();
    if (a === '') throw fail(input, `empty operand in condition '${text}'`);
    let spec: MatchSpec;
    try {
      spec = MatchSpec.parse(a);
    } catch (e) {
      throw fail(input, `bad condition '${text}': ${(e as Error).message}`);
    }
    if (spec.when !== undefined) throw fail(input, `conditions cannot be nested ('${text}')`);
  }
}

function parsePackageFile(s: string, input: string, p: Parsed): Parsed {
  let url = s;
  const hashAt = url.lastIndexOf('#');
  if (hashAt > 0 && /^#(sha256:)?[0-9a-fA-F]{32,64}$/.test(url.slice(hashAt))) {
    const h = url.slice(hashAt + 1);
    if (h.length === 32) p.md5 = h.toLowerCase();
    else p.sha256 = h.replace(/^sha256:/, '').toLowerCase();
    url = url.slice(0, hashAt);
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = pathToFileUrl(url);
  const fileName = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
  const stem = fileName.replace(/\.(conda|tar\.bz2)$/, '');
  const channel = channelOfPackageUrl(url);
  p.url = url;
  p.fn = fileName;
  if (channel === undefined) return p;
  const parts = stem.split('-');
  if (parts.length < 3) throw fail(input, `'${fileName}' is not a package file name (name-version-build)`);
  const build = parts.pop()!;
  const version = parts.pop()!;
  const name = parts.join('-');
  setName(p, name, input, {});
  p.version = VersionSpec.parse(version);
  p.build = StringMatcher.parse(build);
  p.channel = channel.name;
  p.subdir = channel.subdir;
  return p;
}

function pathToFileUrl(path: string): string {
  let s = path.replaceAll('\\', '/');
  if (s.startsWith('~/')) s = (process.env.HOME ?? '') + s.slice(1);
  if (/^[A-Za-z]:\//.test(s)) return 'file:///' + s;
  if (!s.startsWith('/')) s = process.cwd().replaceAll('\\', '/') + '/' + s;
  return 'file://' + s;
}

// ---- printing --------------------------------------------------------------------------------

/** The file name when it says more than the URL's last segment (conda prints only the url then). */
function fnUnlessDerived(fn: string | undefined, url: string | undefined): string | undefined {
  if (fn === undefined || url === undefined) return fn;
  const base = url.slice(url.lastIndexOf('/') + 1);
  let decoded = base;
  try {
    decoded = decodeURIComponent(base);
  } catch {
    // keep the raw segment
  }
  return fn === base || fn === decoded ? undefined : fn;
}

function quoteIfNeeded(key: string, value: string): string {
  return /[, =]/.test(value) ? `${key}='${value}'` : `${key}=${value}`;
}

function pyList(items: readonly string[]): string {
  return '[' + [...items].sort().map((x) => `'${x}'`).join(', ') + ']';
}

function renderCanonical(m: MatchSpec): string {
  const builder: string[] = [];
  const brackets: string[] = [];
  const channelExact = m.channel !== undefined && !m.channel.includes('*');
  if (channelExact) builder.push(m.channel!);
  else if (m.channel !== undefined && m.channel !== '*') brackets.push(quoteIfNeeded('channel', m.channel));
  if (m.subdir !== undefined) {
    // an unknown subdir after the channel would read back as part of the channel name
    if (channelExact && isKnownSubdir(m.subdir)) builder.push(`/${m.subdir}`);
    else brackets.push(quoteIfNeeded('subdir', m.subdir));
  }
  const ns = m.namespace !== undefined && m.namespace !== '' ? m.namespace : '';
  builder.push(builder.length > 0 ? `:${ns}:${m.name}` : ns !== '' ? `${ns}:${m.name}` : m.name);

  let versionExact = false;
  if (m.version !== undefined && !m.version.isAny) {
    const v = m.version.toString();
    if (/[><$^|,]/.test(v)) brackets.push(`version='${v}'`);
    else if (v.startsWith('!=') || v.startsWith('~=')) {
      if (m.build !== undefined) brackets.push(`version='${v}'`);
      else builder.push(v);
    } else if (m.version.root.kind !== 'operator') {
      // a glob such as `1.*.3` or `0.15*.*` is a pattern, not a prefix: `=` would change its meaning
      brackets.push(`version='${v}'`);
    } else if (v.endsWith('.*')) builder.push('=' + v.slice(0, -2));
    else if (v.endsWith('*')) builder.push('=' + v.slice(0, -1));
    else if (v.startsWith('==')) {
      builder.push(v);
      versionExact = true;
    } else if (v.startsWith('=')) {
      builder.push(v);
    } else {
      builder.push('==' + v);
      versionExact = true;
    }
  }
  if (m.build !== undefined) {
    const b = m.build.toString();
    if (/[><$^|,]/.test(b)) brackets.push(`build='${b}'`);
    else if (b.includes('*')) brackets.push(`build=${b}`);
    else if (versionExact) builder.push('=' + b);
    else brackets.push(`build=${b}`);
  }
  if (m.buildNumber !== undefined) brackets.push(quoteIfNeeded('build_number', m.buildNumber.toString()));
  if (m.trackFeatures !== undefined) brackets.push(quoteIfNeeded('track_features', [...m.trackFeatures].sort().join(' ')));
  if (m.features !== undefined) brackets.push(quoteIfNeeded('features', [...m.features].sort().join(' ')));
  // conda leaves the url out when channel/subdir::name==version=build already name the file
  const namesFile = m.channel !== undefined && m.subdir !== undefined && m.exactValue('version') !== undefined && m.exactValue('build') !== undefined;
  if (m.url !== undefined && !namesFile) brackets.push(quoteIfNeeded('url', m.url));
  if (m.md5 !== undefined) brackets.push(quoteIfNeeded('md5', m.md5));
  if (m.sha256 !== undefined) brackets.push(quoteIfNeeded('sha256', m.sha256));
  if (m.license !== undefined) brackets.push(quoteIfNeeded('license', m.license.toString()));
  if (m.licenseFamily !== undefined) brackets.push(quoteIfNeeded('license_family', m.licenseFamily.toString()));
  const fn = fnUnlessDerived(m.fn, m.url);
  if (fn !== undefined) brackets.push(quoteIfNeeded('fn', fn));
  if (m.when !== undefined) brackets.push(quoteIfNeeded('when', m.when));
  if (m.extras !== undefined) brackets.push(`extras=${pyList(m.extras)}`);
  if (m.flags !== undefined) brackets.push(`flags=${pyList(m.flags)}`);
  if (brackets.length > 0) builder.push(`[${brackets.join(',')}]`);
  let out = builder.join('');
  if (m.optional || m.target !== undefined) {
    const opts = [m.target !== undefined ? `target=${m.target}` : undefined, m.optional ? 'optional' : undefined].filter((x) => x !== undefined);
    out += `(${opts.join(',')})`;
  }
  return out;
}

// ---- merging ---------------------------------------------------------------------------------

function mergeTwo(a: MatchSpec, b: MatchSpec): MatchSpec {
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
  return MatchSpec.fromFields({}, specFromParsed(p));
}

function specFromParsed(p: Parsed): MatchSpec {
  // fromFields with no fields copies the base; build the base through the private constructor
  return Reflect.construct(MatchSpec, [p, undefined]) as MatchSpec;
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

export { escapeRegExp, stripCredentials };
