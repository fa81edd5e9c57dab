// Reading match-spec text, step by step as conda's _parse_spec_str does: feature specs (`mkl@`),
// package URLs and paths, `#` comments, the bracket section, `(target=…, optional)`,
// `channel:namespace:name`, then name, version and build. The common repodata shapes take a fast path
// whose results the tests compare against the general parser on every real dependency.

import { BuildNumberSpec } from './build-number-spec.ts';
import { channelOfPackageUrl, splitChannel } from './channel-name.ts';
import { SpecError } from './errors.ts';
import { parseBracketList, type BracketValue } from './match-spec-brackets.ts';
import { MatchSpec, type MatchSpecOptions } from './match-spec.ts';
import { assertPackageName } from './package-name.ts';
import { StringMatcher } from './string-matcher.ts';
import { VersionSpec } from './version-spec.ts';

const BRACKET_KEYS = new Set([
  'name', 'version', 'build', 'build_number', 'channel', 'subdir', 'md5', 'sha256', 'license', 'license_family',
  'track_features', 'features', 'fn', 'url', 'when', 'extras', 'flags', 'namespace',
]);
const PACKAGE_FILE = /\.(conda|tar\.bz2)(#[0-9a-fA-F]{32}|#sha256:[0-9a-fA-F]{64}|#[0-9a-fA-F]{64})?$/;
const VERSION_BUILD = /((?:.+?)[^><!,|]?)(?:(?<![=!|,<>~])(?:[ =])([^-=,|<>~]+?))?$/;
const NAME_REST = /^([^ =<>!~]+)?([><!=~ ].*)?$/s;

export const CACHE_LIMIT = 200_000;
export const specCache = new Map<string, MatchSpec>();
export const versionCache = new Map<string, VersionSpec>();
export const buildCache = new Map<string, StringMatcher>();

/** The common shapes of repodata dependencies (`name`, `name >=1.2,<2`, `name 1.2.* *_cp312`), read without the general machinery. */
const FAST = /^([a-z0-9_][a-z0-9_.-]*)(?: ([^\s=[\]#:@()'"]+|[<>!=~]=[^\s=[\]#:@()'"]+|[<>][^\s=[\]#:@()'"]+))?(?: ([^\s\-=,|<>~[\]#:@()'"]+))?$/;
const DOUBLED_SEPARATORS = /\.\.|--|\.-|-\./;

export function parseFast(text: string): Parsed | undefined {
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

export const nameCache = new Map<string, StringMatcher>();
function exactName(name: string): StringMatcher {
  let m = nameCache.get(name);
  if (m === undefined) {
    m = StringMatcher.parse(name, { caseInsensitive: true });
    if (nameCache.size >= CACHE_LIMIT) nameCache.clear();
    nameCache.set(name, m);
  }
  return m;
}

export interface Parsed {
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

export function emptyParsed(): Parsed {
  return {
    name: '*', nameMatcher: ANY_NAME, version: undefined, build: undefined, buildNumber: undefined, channel: undefined, subdir: undefined,
    md5: undefined, sha256: undefined, license: undefined, licenseFamily: undefined, trackFeatures: undefined, features: undefined,
    fn: undefined, url: undefined, when: undefined, extras: undefined, flags: undefined, namespace: undefined, optional: false, target: undefined,
  };
}

export function parsedOf(s: MatchSpec): Parsed {
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

export function parseSpec(input: string, options: MatchSpecOptions): Parsed {
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

export function setName(p: Parsed, nameText: string, input: string, options: MatchSpecOptions): void {
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

export function applyField(p: Parsed, key: string, value: BracketValue, input: string, fromBrackets: boolean, options: MatchSpecOptions): void {
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
