// Conda records inside lock files (shared by the conda-lock and pixi readers): reads the
// repodata.json-like fields of a package entry, and fills the fields a lock file leaves out the way
// rattler_lock does — name, version and build from the archive's file name, build_number from the
// digits closing the build string, subdir from the URL's folder, channel from the URL without its
// last two segments, noarch from a `noarch/` folder.

import type { Node, YAMLMap } from 'yaml';
import { isMap } from 'yaml';
import type { LockedCondaPackage, NoarchType } from './lock-file-types.ts';
import type { YamlReader } from './lock-file-yaml.ts';
import { isKnownSubdir } from './platform.ts';
import { quote, type Position } from './source-text.ts';
import { Version } from './version.ts';

const ARCHIVE_EXTENSIONS = ['.conda', '.tar.bz2'] as const;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

/** Whether a location is a URL (has a scheme) rather than a local path. `C:\…` is a path. */
export function isUrlLocation(location: string): boolean {
  return URL_SCHEME.test(location) && !WINDOWS_PATH.test(location);
}

/** The last segment of a URL or path, URL-decoded; '' when the location ends in a slash. */
export function lastSegment(location: string): string {
  const clean = location.replace(/[?#].*$/, '');
  const cut = Math.max(clean.lastIndexOf('/'), isUrlLocation(clean) ? -1 : clean.lastIndexOf('\\'));
  return decode(clean.slice(cut + 1));
}

export interface ArchiveName {
  fileName: string;
  name: string;
  version: string;
  build: string;
}

/** `numpy-1.26.4-py312h0_0.conda` → name, version, build; undefined when it is not a conda archive name. */
export function parseArchiveName(fileName: string): ArchiveName | undefined {
  const extension = ARCHIVE_EXTENSIONS.find((ext) => fileName.endsWith(ext));
  if (extension === undefined) return undefined;
  const stem = fileName.slice(0, -extension.length);
  const buildDash = stem.lastIndexOf('-');
  const versionDash = buildDash <= 0 ? -1 : stem.lastIndexOf('-', buildDash - 1);
  if (versionDash <= 0 || versionDash + 1 === buildDash || buildDash === stem.length - 1) return undefined;
  return { fileName, name: stem.slice(0, versionDash), version: stem.slice(versionDash + 1, buildDash), build: stem.slice(buildDash + 1) };
}

/** The archive a location points at, if its last segment is a conda archive name. */
export function archiveOf(location: string): ArchiveName | undefined {
  return parseArchiveName(lastSegment(location));
}

/** The subdir folder of an `http(s)://…/<subdir>/<archive>` or `file://` URL, when it is a known subdir. */
export function subdirOfUrl(location: string): string | undefined {
  if (!/^(?:https?|file):/i.test(location) || archiveOf(location) === undefined) return undefined;
  const parts = location.replace(/[?#].*$/, '').split('/');
  const folder = decode(parts[parts.length - 2] ?? '');
  return isKnownSubdir(folder) ? folder : undefined;
}

/** The channel of a package URL: the URL without its last two segments (subdir and file name). */
export function channelOfUrl(location: string): string | undefined {
  if (!isUrlLocation(location) || !URL.canParse(location)) return undefined;
  const url = new URL(location);
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') return undefined;
  const segments = url.pathname.split('/');
  segments.splice(-2, 2);
  url.pathname = segments.join('/');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/$/, '');
}

/** The digits closing a build string (`py312h0_3` → 3, `2` → 2); undefined when it does not end in digits. */
export function buildNumberOfBuild(build: string): number | undefined {
  const digits = /(\d+)$/.exec(build)?.[1];
  if (digits === undefined) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** rattler's guess for a record without `noarch`: a package in `noarch/` is python when its build mentions `py`. */
export function noarchOfLocation(subdir: string, build: string): NoarchType | undefined {
  if (subdir !== 'noarch') return undefined;
  return build.includes('py') ? 'python' : 'generic';
}

const ARCH_OF_CPU: Record<string, string> = { '32': 'x86', '64': 'x86_64' };

/** rattler's `arch` and `platform` of a subdir: `linux-aarch64` → aarch64, linux; `win-64` → x86_64, win; noarch → none. */
export function archAndPlatformOf(subdir: string): { arch?: string; platform?: string } {
  if (!isKnownSubdir(subdir) || subdir === 'noarch') return {};
  const dash = subdir.indexOf('-');
  const cpu = subdir.slice(dash + 1);
  return { arch: ARCH_OF_CPU[cpu] ?? cpu, platform: subdir.slice(0, dash) };
}

/** The fields of a conda package entry that every lock format writes the same way (absent ones undefined). */
export interface CondaFields {
  name?: string;
  version?: string;
  build?: string;
  build_number?: number;
  subdir?: string;
  /** `null` for an explicit `noarch: false` / `noarch: null`. */
  noarch?: NoarchType | null;
  md5?: string;
  sha256?: string;
  legacy_bz2_md5?: string;
  legacy_bz2_size?: number;
  depends: string[];
  constrains: string[];
  track_features: string[];
  features?: string[];
  license?: string;
  license_family?: string;
  size?: number;
  timestamp?: number;
  arch?: string;
  platform?: string;
  /** `null` for an explicit `channel: null` (no channel). */
  channel?: string | null;
  file_name?: string;
  purls?: string[];
  python_site_packages_path?: string;
  extra_depends?: Record<string, string[]>;
  flags?: string[];
  run_exports?: unknown;
}

/** Reads the repodata-like fields of a package entry; `depends` is read by the caller when its form differs. */
export function readCondaFields(reader: YamlReader, map: YAMLMap, options: { depends?: boolean } = {}): CondaFields {
  const fields: CondaFields = {
    depends: options.depends === false ? [] : reader.strList(map, 'depends', 'depends'),
    constrains: reader.strList(map, 'constrains', 'constrains'),
    track_features: reader.strList(map, 'track_features', 'track_features', { oneOrMany: true }),
  };
  fields.name = reader.optStr(map, 'name', 'the package name');
  const versionNode = reader.get(map, 'version');
  if (!reader.isNull(versionNode)) fields.version = checkedVersion(reader, reader.str(versionNode, 'the version', 'write version: <version>'), versionNode);
  fields.build = reader.optStr(map, 'build', 'the build string');
  fields.build_number = reader.optInt(map, 'build_number', 'build_number');
  const subdirNode = reader.get(map, 'subdir');
  if (!reader.isNull(subdirNode)) fields.subdir = checkedSubdir(reader, reader.str(subdirNode, 'subdir', 'write subdir: <subdir>'), subdirNode);
  const noarchNode = reader.get(map, 'noarch');
  if (noarchNode !== undefined) fields.noarch = readNoarch(reader, noarchNode);
  fields.md5 = checkedHash(reader, map, 'md5', 32);
  fields.sha256 = checkedHash(reader, map, 'sha256', 64);
  fields.legacy_bz2_md5 = checkedHash(reader, map, 'legacy_bz2_md5', 32);
  fields.legacy_bz2_size = reader.optInt(map, 'legacy_bz2_size', 'legacy_bz2_size');
  if (reader.has(map, 'features')) fields.features = reader.strList(map, 'features', 'features', { oneOrMany: true });
  fields.license = reader.optStr(map, 'license', 'license');
  fields.license_family = reader.optStr(map, 'license_family', 'license_family');
  fields.size = reader.optInt(map, 'size', 'size');
  fields.timestamp = readTimestamp(reader, map);
  fields.arch = reader.optStr(map, 'arch', 'arch');
  fields.platform = reader.optStr(map, 'platform', 'platform');
  const channelNode = reader.get(map, 'channel');
  if (channelNode !== undefined) fields.channel = reader.isNull(channelNode) ? null : reader.str(channelNode, 'channel', 'write channel: <url>').replace(/\/+$/, '');
  fields.file_name = reader.optStr(map, 'file_name', 'file_name');
  if (reader.has(map, 'purls')) fields.purls = reader.strList(map, 'purls', 'purls');
  fields.python_site_packages_path = reader.optStr(map, 'python_site_packages_path', 'python_site_packages_path');
  const extra = reader.get(map, 'extra_depends');
  if (!reader.isNull(extra)) {
    const extraMap = reader.map(extra, 'extra_depends', 'write one "<extra>:" key per extra, each with a list of specs');
    fields.extra_depends = {};
    for (const entry of reader.entries(extraMap)) fields.extra_depends[entry.key] = reader.strList(extraMap, entry.key, `extra_depends.${entry.key}`);
  }
  if (reader.has(map, 'flags')) fields.flags = reader.strList(map, 'flags', 'flags');
  const runExports = reader.get(map, 'run_exports');
  if (runExports !== undefined) fields.run_exports = reader.json(runExports);
  return fields;
}

function readNoarch(reader: YamlReader, node: Node | null): NoarchType | null {
  if (reader.isNull(node)) return null;
  const value = (node as { value?: unknown }).value;
  if (value === false) return null;
  if (value === true || value === 'generic') return 'generic';
  if (value === 'python') return 'python';
  throw reader.error(`noarch must be "python", "generic" or false, but it is ${reader.describe(node)}`, node);
}

function readTimestamp(reader: YamlReader, map: YAMLMap): number | undefined {
  const value = reader.optInt(map, 'timestamp', 'timestamp');
  // rattler and conda write milliseconds; old records used seconds
  return value !== undefined && value < 1e11 ? value * 1000 : value;
}

/** A lowercase hex digest of `length` digits, or a SpecError at its value. */
export function checkedHash(reader: YamlReader, map: YAMLMap, key: string, length: 32 | 64): string | undefined {
  const node = reader.get(map, key);
  if (reader.isNull(node)) return undefined;
  const text = reader.str(node, key, `write ${key}: <hex digest>`).trim();
  if (new RegExp(`^[0-9a-fA-F]{${length}}$`).test(text)) return text.toLowerCase();
  const kind = length === 32 ? 'an md5 hash (32 hex digits)' : 'a sha256 hash (64 hex digits)';
  throw reader.error(`${key} ${quote(text)} is not ${kind}; copy the hash again from the package's repodata, or remove the line`, node);
}

export function checkedVersion(reader: YamlReader, version: string, at: Node | null | undefined | Position): string {
  if (Version.tryParse(version) !== undefined) return version;
  throw reader.error(`${quote(version)} is not a valid conda version; write the version exactly as the package's repodata has it`, at);
}

export function checkedSubdir(reader: YamlReader, subdir: string, at: Node | null | undefined | Position): string {
  if (isKnownSubdir(subdir)) return subdir;
  throw reader.error(`${quote(subdir)} is not a conda subdir; use one such as linux-64, osx-arm64, win-64 or noarch`, at);
}

/**
 * A binary package's record from its fields and location, with the missing fields derived from the
 * location. `fallbackSubdir` is used when neither the entry nor the URL gives one (conda-lock's
 * `platform`); `deriveNoarch: false` keeps an absent `noarch` absent (pixi versions 4 and 5 did not
 * derive it). Errors name `at` when name, version or subdir cannot be known.
 */
export function binaryRecord(
  reader: YamlReader,
  fields: CondaFields,
  location: string,
  at: Node,
  options: { fallbackSubdir?: string; deriveNoarch?: boolean } = {},
): LockedCondaPackage {
  const archive = archiveOf(location);
  const name = fields.name ?? archive?.name;
  const versionFromName = fields.version === undefined && archive !== undefined;
  const version = fields.version ?? archive?.version;
  if (name === undefined || version === undefined) {
    const missing = name === undefined ? 'name' : 'version';
    throw reader.error(
      `the package at ${quote(location)} has no ${missing}, and its location is not a conda archive name (<name>-<version>-<build>.conda) to read it from; add "${missing}:"`,
      at,
    );
  }
  if (versionFromName) checkedVersion(reader, version, at);
  const build = fields.build !== undefined && fields.build !== '' ? fields.build : (archive?.build ?? fields.build ?? '');
  const subdir = fields.subdir ?? subdirOfUrl(location) ?? options.fallbackSubdir;
  if (subdir === undefined) {
    throw reader.error(`the package at ${quote(location)} has no subdir, and its URL does not name one; add "subdir:" (linux-64, noarch, …)`, at);
  }
  const derivedSubdir = subdirOfUrl(location);
  const derived = options.deriveNoarch === false ? undefined : noarchOfLocation(derivedSubdir ?? subdir, archive?.build ?? build);
  const noarch = fields.noarch === undefined ? derived : (fields.noarch ?? undefined);
  const channel = fields.channel === undefined ? channelOfUrl(location) : (fields.channel ?? undefined);
  return finish(fields, {
    kind: 'binary',
    name: name.toLowerCase(),
    version,
    build,
    build_number: fields.build_number ?? buildNumberOfBuild(build) ?? 0,
    subdir,
    noarch,
    fn: fields.file_name ?? archive?.fileName ?? `${name}-${version}-${build}.conda`,
    url: location,
    channel,
    position: reader.pos(at),
  });
}

/**
 * A source package's record (its metadata is known: name, version and subdir are given). Version 6
 * derives an absent build_number from the build string (`deriveBuildNumber`); version 7 reads it as 0.
 */
export function sourceRecord(
  reader: YamlReader,
  fields: CondaFields,
  name: string,
  location: string,
  at: Node,
  options: { deriveBuildNumber?: boolean } = {},
): LockedCondaPackage {
  if (fields.version === undefined) {
    throw reader.error(`the source package ${quote(name)} at ${quote(location)} has no version; add "version:"`, at);
  }
  if (fields.subdir === undefined) {
    throw reader.error(`the source package ${quote(name)} at ${quote(location)} has no subdir; add "subdir:" (noarch, linux-64, …)`, at);
  }
  const build = fields.build ?? '';
  return finish(fields, {
    kind: 'source',
    name: name.toLowerCase(),
    version: fields.version,
    build,
    build_number: fields.build_number ?? (options.deriveBuildNumber ? buildNumberOfBuild(build) : undefined) ?? 0,
    subdir: fields.subdir,
    noarch: fields.noarch ?? undefined,
    fn: `${name}-${fields.version}-${build}.conda`,
    url: location,
    channel: undefined,
    position: reader.pos(at),
  });
}

interface Core {
  kind: 'binary' | 'source';
  name: string;
  version: string;
  build: string;
  build_number: number;
  subdir: string;
  noarch: NoarchType | undefined;
  fn: string;
  url: string;
  channel: string | undefined;
  position: Position;
}

function finish(fields: CondaFields, core: Core): LockedCondaPackage {
  const record: LockedCondaPackage = {
    kind: core.kind,
    name: core.name,
    version: core.version,
    build: core.build,
    build_number: core.build_number,
    subdir: core.subdir,
    depends: fields.depends,
    constrains: fields.constrains,
    track_features: fields.track_features,
    fn: core.fn,
    url: core.url,
    position: core.position,
  };
  const optional: Partial<LockedCondaPackage> = {
    noarch: core.noarch,
    channel: core.channel,
    features: fields.features,
    license: fields.license,
    license_family: fields.license_family,
    md5: fields.md5,
    sha256: fields.sha256,
    size: fields.size,
    timestamp: fields.timestamp,
    arch: fields.arch ?? archAndPlatformOf(core.subdir).arch,
    platform: fields.platform ?? archAndPlatformOf(core.subdir).platform,
    purls: fields.purls,
    python_site_packages_path: fields.python_site_packages_path,
    legacy_bz2_md5: fields.legacy_bz2_md5,
    legacy_bz2_size: fields.legacy_bz2_size,
    extra_depends: fields.extra_depends,
    flags: fields.flags,
    run_exports: fields.run_exports,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
  return record;
}

/** Fills a record's missing optional fields from another record of the same package (duplicate entries). */
export function mergeRecords(first: LockedCondaPackage, other: LockedCondaPackage): LockedCondaPackage {
  const merged: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(other)) if (merged[key] === undefined) merged[key] = value;
  return merged as unknown as LockedCondaPackage;
}

/** A mapping node's JSON, or undefined when the key is absent or empty. */
export function optionalJson(reader: YamlReader, map: YAMLMap, key: string): unknown {
  const node = reader.get(map, key);
  return reader.isNull(node) ? undefined : reader.json(node);
}

/** A mapping's JSON as a record (for `variants`, `sources`), or undefined when absent. */
export function optionalRecord(reader: YamlReader, map: YAMLMap, key: string, what: string): Record<string, unknown> | undefined {
  const node = reader.get(map, key);
  if (reader.isNull(node)) return undefined;
  if (!node || !isMap(node)) throw reader.error(`${what} must be a mapping, but it is ${reader.describe(node)}`, node);
  return reader.json(node) as Record<string, unknown>;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
