// Reader for pixi lock files, versions 4 to 7 (rattler_lock's formats): `environments:` (channels,
// PyPI indexes, options, and per platform a list of references to packages) and one `packages:` list
// that the references point into.
//
//   version 4, 5  packages are tagged `kind: conda` / `kind: pypi` and found by `url` (or `path`);
//                 a URL listed once per subdir (noarch packages) is picked by the platform's subdir
//   version 6     packages are keyed by location (`conda: <url or path>`, `pypi: …`); a reference may
//                 add name, version, build or subdir to choose between packages at one location;
//                 a conda location that is not an archive is a source package
//   version 7     a top-level `platforms:` list (name, subdir, virtual-packages); binary packages are
//                 `conda: <url>`, source packages `conda_source: name[hash] @ location`, and a source
//                 package without version and subdir has not been evaluated yet (partial)

import { isScalar, type Node, type YAMLMap } from 'yaml';
import {
  archiveOf,
  binaryRecord,
  checkedHash,
  checkedSubdir,
  mergeRecords,
  optionalJson,
  optionalRecord,
  readCondaFields,
  sourceRecord,
} from './lock-file-record.ts';
import type {
  LockedCondaPackage,
  LockedPypiPackage,
  LockEnvironment,
  LockFile,
  LockPlatform,
  LockPlatformPackages,
  PartialSourcePackage,
} from './lock-file-types.ts';
import type { YamlReader } from './lock-file-yaml.ts';
import { quote } from './source-text.ts';

/** A package of the `packages:` list, with the location references use to find it. */
type Entry =
  | { kind: 'conda'; location: string; record: LockedCondaPackage }
  | { kind: 'partial'; location: string; record: PartialSourcePackage }
  | { kind: 'pypi'; location: string; record: LockedPypiPackage };

interface Packages {
  /** Conda entries by location (URL, path, or a version 7 source identifier). */
  conda: Map<string, Entry[]>;
  pypi: Map<string, LockedPypiPackage>;
}

export function readPixiLayout(reader: YamlReader, root: YAMLMap, version: number): LockFile {
  const platforms = readPlatforms(reader, root, version);
  const packages = readPackages(reader, root, version);

  const environmentsNode = reader.get(root, 'environments');
  if (environmentsNode === undefined) {
    throw reader.error(`a version ${version} lock file needs an "environments:" mapping; this one has none (is the file cut short?)`, root);
  }
  const environments: LockEnvironment[] = [];
  if (!reader.isNull(environmentsNode)) {
    const map = reader.map(environmentsNode, '"environments"', 'write one "<environment name>:" key per environment');
    for (const entry of reader.entries(map)) {
      environments.push(readEnvironment(reader, entry.key, entry.value, version, platforms, packages));
    }
  }
  return { kind: 'lock-file', fileName: reader.file, format: 'pixi', version, platforms: [...platforms.values()], environments };
}

// ---- platforms -------------------------------------------------------------------------------

function readPlatforms(reader: YamlReader, root: YAMLMap, version: number): Map<string, LockPlatform> {
  const platforms = new Map<string, LockPlatform>();
  const node = reader.get(root, 'platforms');
  if (version < 7) {
    if (node !== undefined) {
      throw reader.error(`a top-level "platforms:" list is new in version 7, but this file says version ${version}; remove it or fix the version`, node);
    }
    return platforms; // filled from the environments' platform keys
  }
  if (node === undefined) {
    throw reader.error('a version 7 lock file needs a top-level "platforms:" list (each "- name: <platform>"); this one has none', root);
  }
  if (reader.isNull(node)) return platforms;
  const seq = reader.seq(node, '"platforms"', 'write each platform as "- name: <platform>"');
  for (const item of reader.items(seq)) {
    const map = reader.map(item, 'a platform', 'write it as "- name: <platform>" with optional "subdir:" and "virtual-packages:"');
    const nameNode = reader.get(map, 'name');
    const name = reader.str(nameNode, 'the platform "name"', 'write "- name: <platform>"');
    if (platforms.has(name)) throw reader.error(`platform ${quote(name)} is listed twice in "platforms"; remove one`, nameNode);
    const subdirNode = reader.get(map, 'subdir');
    const subdir = reader.isNull(subdirNode)
      ? checkedPlatformName(reader, name, nameNode)
      : checkedSubdir(reader, reader.str(subdirNode, 'the platform "subdir"', 'write subdir: <subdir>'), subdirNode);
    platforms.set(name, { name, subdir, virtualPackages: reader.strList(map, 'virtual-packages', '"virtual-packages"') });
  }
  return platforms;
}

function checkedPlatformName(reader: YamlReader, name: string, at: Node | null | undefined): string {
  if (name === 'noarch') throw reader.error('"noarch" is not a platform to lock for; use a platform such as linux-64', at);
  try {
    return checkedSubdir(reader, name, at);
  } catch {
    throw reader.error(`${quote(name)} is not a conda platform; use one such as linux-64, osx-arm64 or win-64 (version 7 files may give other names a "subdir:")`, at);
  }
}

// ---- packages --------------------------------------------------------------------------------

function readPackages(reader: YamlReader, root: YAMLMap, version: number): Packages {
  const result: Packages = { conda: new Map(), pypi: new Map() };
  const node = reader.get(root, 'packages');
  if (node === undefined) {
    throw reader.error(`a version ${version} lock file needs a "packages:" list; this one has none (is the file cut short?)`, root);
  }
  if (reader.isNull(node)) return result;
  const seq = reader.seq(node, '"packages"', 'write each package as a "- …" mapping');
  reader.items(seq).forEach((item, index) => {
    const map = reader.map(item, `package entry ${index + 1}`, 'write it as a mapping');
    const entry = version <= 5 ? readTaggedEntry(reader, map) : readKeyedEntry(reader, map, version);
    if (entry.kind === 'pypi') {
      if (!result.pypi.has(entry.location)) result.pypi.set(entry.location, entry.record);
    } else {
      const list = result.conda.get(entry.location) ?? [];
      list.push(entry);
      result.conda.set(entry.location, list);
    }
  });
  return result;
}

/** Versions 4 and 5: `kind: conda` / `kind: pypi`. */
function readTaggedEntry(reader: YamlReader, map: YAMLMap): Entry {
  const kindNode = reader.get(map, 'kind');
  const kind = reader.str(kindNode, 'the package "kind"', 'write kind: conda (or pypi)');
  if (kind === 'conda') {
    const urlNode = reader.get(map, 'url');
    const url = reader.str(urlNode, 'the "url" of a conda package', 'add url: <package URL>');
    const record = binaryRecord(reader, readCondaFields(reader, map), url, map, { deriveNoarch: false });
    return { kind: 'conda', location: url, record };
  }
  if (kind === 'pypi') {
    const location = reader.optStr(map, 'url', 'url') ?? reader.optStr(map, 'path', 'path');
    if (location === undefined) throw reader.error('a pypi package needs "url:" or "path:"', map);
    return { kind: 'pypi', location, record: readPypi(reader, map, location) };
  }
  throw reader.error(`unknown package kind ${quote(kind)}; version 4 and 5 lock files use "conda" or "pypi"`, kindNode);
}

/** Versions 6 and 7: the key naming the location says what the package is. */
function readKeyedEntry(reader: YamlReader, map: YAMLMap, version: number): Entry {
  if (reader.has(map, 'pypi')) {
    const location = reader.str(reader.get(map, 'pypi'), 'the "pypi" location', 'write pypi: <URL or path>');
    return { kind: 'pypi', location, record: readPypi(reader, map, location) };
  }
  if (version >= 7 && reader.has(map, 'conda_source')) {
    const idNode = reader.get(map, 'conda_source');
    const id = reader.str(idNode, 'the "conda_source" identifier', 'write conda_source: <name>[<hash>] @ <location>');
    const parsed = /^(.+?)\[([0-9A-Za-z]+)\] @ (.+)$/.exec(id.trim());
    if (!parsed) {
      throw reader.error(`${quote(id)} is not a source package identifier; write conda_source: <name>[<hash>] @ <path or URL>`, idNode);
    }
    const [, name, , location] = parsed as unknown as [string, string, string, string];
    return readSourceEntry(reader, map, name, location.trim(), id, version);
  }
  if (reader.has(map, 'conda')) {
    const locationNode = reader.get(map, 'conda');
    const location = reader.str(locationNode, 'the "conda" location', 'write conda: <URL or path>');
    if (archiveOf(location) !== undefined) {
      return { kind: 'conda', location, record: binaryRecord(reader, readCondaFields(reader, map), location, map) };
    }
    if (version >= 7) {
      throw reader.error(
        `${quote(location)} is not a conda archive (<name>-<version>-<build>.conda or .tar.bz2); in version 7 source packages are written "conda_source: <name>[<hash>] @ <location>"`,
        locationNode,
      );
    }
    const name = reader.optStr(map, 'name', 'name');
    if (name === undefined) throw reader.error(`the source package at ${quote(location)} has no "name"; add name: <package name>`, map);
    return readSourceEntry(reader, map, name, location, undefined, version);
  }
  const keys = reader.entries(map).map((e) => e.key).slice(0, 3).join(', ');
  const expected = version >= 7 ? '"conda:", "conda_source:" or "pypi:"' : '"conda:" or "pypi:"';
  throw reader.error(`a package entry must start with ${expected} and its location, but this one has ${keys || 'no keys'}`, map);
}

function readSourceEntry(reader: YamlReader, map: YAMLMap, name: string, location: string, identifier: string | undefined, version: number): Entry {
  const fields = readCondaFields(reader, map);
  const variants = optionalRecord(reader, map, 'variants', '"variants"');
  const build = optionalJson(reader, map, version >= 7 ? 'source' : 'package_build_source');
  const sourceDepends = optionalRecord(reader, map, version >= 7 ? 'source_depends' : 'sources', version >= 7 ? '"source_depends"' : '"sources"');
  const key = identifier ?? location;
  if (version >= 7 && (fields.version === undefined || fields.subdir === undefined)) {
    const partial: PartialSourcePackage = { name: name.toLowerCase(), location, depends: fields.depends, constrains: fields.constrains, position: reader.pos(map) };
    const optional: Partial<PartialSourcePackage> = {
      identifier,
      extra_depends: fields.extra_depends,
      flags: fields.flags,
      license: fields.license,
      purls: fields.purls,
      run_exports: fields.run_exports,
      variants,
      build,
      sourceDepends,
    };
    for (const [k, value] of Object.entries(optional)) if (value !== undefined) (partial as unknown as Record<string, unknown>)[k] = value;
    return { kind: 'partial', location: key, record: partial };
  }
  const record = sourceRecord(reader, fields, name, location, map, { deriveBuildNumber: version === 6 });
  const source: NonNullable<LockedCondaPackage['source']> = { location };
  if (identifier !== undefined) source.identifier = identifier;
  if (variants !== undefined) source.variants = variants;
  if (build !== undefined) source.build = build;
  if (sourceDepends !== undefined) source.sourceDepends = sourceDepends;
  const input = optionalJson(reader, map, 'input');
  if (input !== undefined) source.input = input;
  const buildPackages = optionalJson(reader, map, 'build_packages');
  if (Array.isArray(buildPackages)) source.buildPackages = buildPackages;
  const hostPackages = optionalJson(reader, map, 'host_packages');
  if (Array.isArray(hostPackages)) source.hostPackages = hostPackages;
  record.source = source;
  return { kind: 'conda', location: key, record };
}

function readPypi(reader: YamlReader, map: YAMLMap, location: string): LockedPypiPackage {
  const name = reader.str(reader.get(map, 'name'), 'the "name" of a pypi package', 'add name: <package name>');
  const pkg: LockedPypiPackage = { name, location, requires_dist: reader.strList(map, 'requires_dist', '"requires_dist"'), position: reader.pos(map) };
  const version = reader.optStr(map, 'version', 'version');
  if (version !== undefined) pkg.version = version;
  const sha256 = checkedHash(reader, map, 'sha256', 64);
  if (sha256 !== undefined) pkg.sha256 = sha256;
  const md5 = checkedHash(reader, map, 'md5', 32);
  if (md5 !== undefined) pkg.md5 = md5;
  const requiresPython = reader.optStr(map, 'requires_python', 'requires_python');
  if (requiresPython !== undefined) pkg.requires_python = requiresPython;
  const editable = reader.optBool(map, 'editable', 'editable');
  if (editable !== undefined) pkg.editable = editable;
  const index = reader.optStr(map, 'index', 'index');
  if (index !== undefined) pkg.index = index;
  return pkg;
}

// ---- environments ----------------------------------------------------------------------------

function readEnvironment(
  reader: YamlReader,
  name: string,
  node: Node | null,
  version: number,
  platforms: Map<string, LockPlatform>,
  packages: Packages,
): LockEnvironment {
  const map = reader.map(node, `environment ${quote(name)}`, 'it holds "channels:" and "packages:"');
  const environment: LockEnvironment = { name, channels: [], pypiIndexes: [], options: {}, packages: [] };
  const channels = reader.get(map, 'channels');
  if (!reader.isNull(channels)) {
    const seq = reader.seq(channels, `the channels of environment ${quote(name)}`, 'write each channel as "- url: <channel>"');
    for (const item of reader.items(seq)) {
      if (isScalar(item)) environment.channels.push(reader.str(item, 'a channel', 'write it as "- url: <channel>"'));
      else environment.channels.push(reader.str(reader.get(reader.map(item, 'a channel', 'write it as "- url: <channel>"'), 'url'), 'the channel "url"', 'write it as "- url: <channel>"'));
    }
  }
  environment.pypiIndexes = reader.strList(map, 'indexes', `the indexes of environment ${quote(name)}`);
  const options = optionalRecord(reader, map, 'options', `the options of environment ${quote(name)}`);
  if (options !== undefined) environment.options = options;

  const packagesNode = reader.get(map, 'packages');
  if (reader.isNull(packagesNode)) return environment;
  const byPlatform = reader.map(packagesNode, `the packages of environment ${quote(name)}`, 'write one "<platform>:" key per platform, each with a list of packages');
  for (const entry of reader.entries(byPlatform)) {
    let platform = platforms.get(entry.key);
    if (platform === undefined) {
      if (version >= 7) {
        throw reader.error(`environment ${quote(name)} uses platform ${quote(entry.key)}, which the top-level "platforms:" list does not declare; add "- name: ${entry.key}" there`, entry.keyNode);
      }
      platform = { name: entry.key, subdir: checkedPlatformName(reader, entry.key, entry.keyNode), virtualPackages: [] };
      platforms.set(entry.key, platform);
    }
    const target: LockPlatformPackages = { platform: platform.name, subdir: platform.subdir, conda: [], partialSources: [], pypi: [] };
    if (!reader.isNull(entry.value)) {
      const seq = reader.seq(entry.value, `the packages of ${quote(name)} for ${quote(entry.key)}`, 'write each package as "- conda: <url>" or "- pypi: <url>"');
      for (const item of reader.items(seq)) resolveReference(reader, item, version, name, platform, packages, target);
    }
    environment.packages.push(target);
  }
  return environment;
}

/** Finds the package a reference of an environment points at and adds it to the platform's lists. */
function resolveReference(
  reader: YamlReader,
  item: Node | null,
  version: number,
  environment: string,
  platform: LockPlatform,
  packages: Packages,
  target: LockPlatformPackages,
): void {
  const map = reader.map(item, 'a package reference', version >= 7 ? 'write it as "- conda: <url>", "- conda_source: <id>" or "- pypi: <url>"' : 'write it as "- conda: <url>" or "- pypi: <url>"');
  const missing = (location: string, at: Node | null | undefined) =>
    reader.error(
      `environment ${quote(environment)}, platform ${quote(platform.name)} refers to ${quote(location)}, but the "packages:" list has no such package${version <= 6 ? ' for this platform' : ''}; re-lock (pixi lock) or add the package`,
      at,
    );

  if (reader.has(map, 'pypi')) {
    const locationNode = reader.get(map, 'pypi');
    const location = reader.str(locationNode, 'the "pypi" location', 'write pypi: <URL or path>');
    const pkg = packages.pypi.get(location);
    if (pkg === undefined) throw missing(location, locationNode);
    const extras = reader.strList(map, 'extras', '"extras"');
    target.pypi.push(extras.length > 0 ? { ...pkg, extras } : pkg);
    return;
  }
  const key = version >= 7 && reader.has(map, 'conda_source') ? 'conda_source' : 'conda';
  const locationNode = reader.get(map, key);
  if (locationNode === undefined) {
    throw reader.error(`a package reference must name a package with "conda:"${version >= 7 ? ', "conda_source:"' : ''} or "pypi:"`, map);
  }
  const location = reader.str(locationNode, `the "${key}" location`, `write ${key}: <location>`);
  const candidates = packages.conda.get(location) ?? [];

  if (key === 'conda_source') {
    const found = candidates.find((c) => c.kind === 'partial' || (c.kind === 'conda' && c.record.kind === 'source'));
    if (found === undefined) throw missing(location, locationNode);
    addEntry(found, target);
    return;
  }
  const records = candidates.filter((c): c is Extract<Entry, { kind: 'conda' }> => c.kind === 'conda');
  if (version <= 5) {
    // one entry per subdir for a noarch URL: take this platform's (or a noarch one), merging duplicates
    let matching = records.filter((c) => c.record.subdir === platform.subdir || c.record.subdir === 'noarch');
    if (matching.length === 0) matching = records;
    if (matching.length === 0) throw missing(location, locationNode);
    target.conda.push(matching.slice(1).reduce((acc, c) => mergeRecords(acc, c.record), matching[0]!.record));
    return;
  }
  if (version === 6) {
    const want = {
      name: reader.optStr(map, 'name', 'name')?.toLowerCase(),
      version: reader.optStr(map, 'version', 'version'),
      build: reader.optStr(map, 'build', 'build'),
      subdir: reader.optStr(map, 'subdir', 'subdir'),
    };
    const found = records.find(
      (c) =>
        (want.name === undefined || c.record.name === want.name) &&
        (want.version === undefined || c.record.version === want.version) &&
        (want.build === undefined || c.record.build === want.build) &&
        (want.subdir === undefined || c.record.subdir === want.subdir),
    );
    if (found === undefined) throw missing(location, locationNode);
    target.conda.push(found.record);
    return;
  }
  const found = records.find((c) => c.record.kind === 'binary' && (c.record.subdir === platform.subdir || c.record.subdir === 'noarch'));
  if (found === undefined) {
    const other = records[0];
    if (other !== undefined) {
      throw reader.error(
        `environment ${quote(environment)}, platform ${quote(platform.name)} (subdir ${platform.subdir}) refers to ${quote(location)}, which is a package for ${other.record.subdir}; re-lock (pixi lock)`,
        locationNode,
      );
    }
    throw missing(location, locationNode);
  }
  target.conda.push(found.record);
}

function addEntry(entry: Entry, target: LockPlatformPackages): void {
  if (entry.kind === 'partial') target.partialSources.push(entry.record);
  else if (entry.kind === 'conda') target.conda.push(entry.record);
  else target.pypi.push(entry.record);
}
