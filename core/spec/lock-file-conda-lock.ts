// Reader for lock files in conda-lock's layout: conda-lock v1 (`version: 1`) and the pixi versions 2
// and 3 that kept it. One `metadata:` mapping (channels, platforms) and one `package:` list whose
// entries each name their `platform` and `manager` (conda or pip); a conda entry carries `url`,
// `hash: {md5, sha256}` and `dependencies` as a `name: spec` mapping (conda-lock) or a list of match
// specs (pixi). Everything lands in one environment, `default`, as rattler_lock reads it.

import { isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { binaryRecord, checkedHash, checkedSubdir, readCondaFields } from './lock-file-record.ts';
import type { LockedCondaPackage, LockedPypiPackage, LockFile, LockPlatform, LockPlatformPackages } from './lock-file-types.ts';
import type { YamlReader } from './lock-file-yaml.ts';
import { quote } from './source-text.ts';

export function readCondaLockLayout(reader: YamlReader, root: YAMLMap, version: number): LockFile {
  const metadataNode = reader.get(root, 'metadata');
  if (metadataNode === undefined) {
    throw reader.error(`a version ${version} lock file needs a "metadata:" mapping with its channels and platforms; this one has none (is the file cut short?)`, root);
  }
  const metadata = reader.map(metadataNode, '"metadata"', 'it holds "channels:" and "platforms:"');

  const channels: string[] = [];
  const channelsNode = reader.get(metadata, 'channels');
  if (!reader.isNull(channelsNode)) {
    const seq = reader.seq(channelsNode, 'metadata.channels', 'write each channel as "- url: <channel>"');
    for (const item of reader.items(seq)) channels.push(channelUrl(reader, item));
  }

  const platforms: LockPlatform[] = [];
  const byPlatform = new Map<string, LockPlatformPackages>();
  const addPlatform = (subdir: string) => {
    if (byPlatform.has(subdir)) return byPlatform.get(subdir)!;
    platforms.push({ name: subdir, subdir, virtualPackages: [] });
    const packages: LockPlatformPackages = { platform: subdir, subdir, conda: [], partialSources: [], pypi: [] };
    byPlatform.set(subdir, packages);
    return packages;
  };
  const platformsNode = reader.get(metadata, 'platforms');
  if (!reader.isNull(platformsNode)) {
    const seq = reader.seq(platformsNode, 'metadata.platforms', 'write each platform as "- <subdir>"');
    for (const item of reader.items(seq)) addPlatform(checkedSubdir(reader, reader.str(item, 'a platform', 'write it as "- linux-64"'), item));
  }

  const packageNode = reader.get(root, 'package');
  if (packageNode === undefined) {
    throw reader.error(`a version ${version} lock file needs a "package:" list; this one has none (is the file cut short?)`, root);
  }
  const seenUrls = new Map<string, Set<string>>();
  if (!reader.isNull(packageNode)) {
    const seq = reader.seq(packageNode, '"package"', 'write each package as a "- name: …" mapping');
    reader.items(seq).forEach((item, index) => {
      const entry = reader.map(item, `package entry ${index + 1}`, 'write it as a mapping with name, version, manager, platform, url and hash');
      const platformNode = reader.get(entry, 'platform');
      const subdir = checkedSubdir(reader, reader.str(platformNode, '"platform" of a package', 'write platform: <subdir>, e.g. platform: linux-64'), platformNode ?? entry);
      const target = addPlatform(subdir);
      const seen = seenUrls.get(subdir) ?? new Set<string>();
      seenUrls.set(subdir, seen);
      const managerNode = reader.get(entry, 'manager');
      const manager = reader.str(managerNode, '"manager" of a package', 'write manager: conda (or pip)');
      if (manager === 'conda') {
        const record = readConda(reader, entry, subdir);
        if (seen.has(`conda ${record.url}`)) return;
        seen.add(`conda ${record.url}`);
        target.conda.push(record);
      } else if (manager === 'pip' || manager === 'pypi') {
        const pkg = readPip(reader, entry);
        if (seen.has(`pip ${pkg.location}`)) return;
        seen.add(`pip ${pkg.location}`);
        target.pypi.push(pkg);
      } else {
        throw reader.error(`unknown package manager ${quote(manager)}; conda-lock files use "conda" or "pip"`, managerNode);
      }
    });
  }

  return {
    kind: 'lock-file',
    fileName: reader.file,
    format: version === 1 ? 'conda-lock' : 'pixi',
    version,
    platforms,
    environments: [{ name: 'default', channels, pypiIndexes: [], options: {}, packages: [...byPlatform.values()] }],
  };
}

function channelUrl(reader: YamlReader, item: Node | null): string {
  if (isScalar(item)) return reader.str(item, 'a channel', 'write it as "- url: <channel>"');
  const map = reader.map(item, 'a channel', 'write it as "- url: <channel>"');
  return reader.str(reader.get(map, 'url'), 'the channel "url"', 'write it as "- url: <channel>"');
}

function readConda(reader: YamlReader, entry: YAMLMap, platform: string): LockedCondaPackage {
  const fields = readCondaFields(reader, entry, { depends: false });
  // here `platform` is the lock's platform (a subdir), not repodata's operating system
  fields.platform = undefined;
  fields.depends = readDependencies(reader, entry, 'conda');
  const name = reader.str(reader.get(entry, 'name'), 'the package "name"', 'add name: <package name>');
  fields.name = name;
  if (fields.version === undefined) throw reader.error(`the package ${quote(name)} has no "version"; add version: <version>`, entry);
  const urlNode = reader.get(entry, 'url');
  const url = reader.str(urlNode, `the "url" of ${quote(name)}`, 'add url: <package URL>');
  const hashNode = reader.get(entry, 'hash');
  if (reader.isNull(hashNode)) {
    throw reader.error(`the package ${quote(name)} has no "hash"; conda-lock records carry hash: {md5: …, sha256: …} (re-lock to get them)`, entry);
  }
  const hash = reader.map(hashNode, `the "hash" of ${quote(name)}`, 'write it as hash: {md5: …, sha256: …}');
  fields.md5 = checkedHash(reader, hash, 'md5', 32);
  fields.sha256 = checkedHash(reader, hash, 'sha256', 64);
  if (fields.md5 === undefined && fields.sha256 === undefined) {
    throw reader.error(`the "hash" of ${quote(name)} has neither md5 nor sha256; write hash: {md5: …, sha256: …}`, hashNode);
  }
  const record = binaryRecord(reader, fields, url, entry, { fallbackSubdir: platform });
  const category = reader.optStr(entry, 'category', 'category');
  if (category !== undefined) record.category = category;
  const optional = reader.optBool(entry, 'optional', 'optional');
  if (optional !== undefined) record.optional = optional;
  return record;
}

function readPip(reader: YamlReader, entry: YAMLMap): LockedPypiPackage {
  const name = reader.str(reader.get(entry, 'name'), 'the package "name"', 'add name: <package name>');
  const pkg: LockedPypiPackage = {
    name,
    location: reader.str(reader.get(entry, 'url'), `the "url" of ${quote(name)}`, 'add url: <wheel or sdist URL>'),
    requires_dist: readDependencies(reader, entry, 'pip'),
    position: reader.pos(entry),
  };
  const version = reader.optStr(entry, 'version', 'version');
  if (version !== undefined) pkg.version = version;
  const requiresPython = reader.optStr(entry, 'requires_python', 'requires_python');
  if (requiresPython !== undefined) pkg.requires_python = requiresPython;
  const hashNode = reader.get(entry, 'hash');
  if (!reader.isNull(hashNode)) {
    const hash = reader.map(hashNode, `the "hash" of ${quote(name)}`, 'write it as hash: {sha256: …}');
    const md5 = checkedHash(reader, hash, 'md5', 32);
    const sha256 = checkedHash(reader, hash, 'sha256', 64);
    if (md5 !== undefined) pkg.md5 = md5;
    if (sha256 !== undefined) pkg.sha256 = sha256;
  }
  return pkg;
}

/** `dependencies` as conda-lock's `name: spec` mapping or pixi's list of specs; `name: ""` is just the name. */
function readDependencies(reader: YamlReader, entry: YAMLMap, manager: 'conda' | 'pip'): string[] {
  const key = reader.has(entry, 'dependencies') ? 'dependencies' : manager === 'pip' ? 'requires_dist' : 'depends';
  const node = reader.get(entry, key);
  if (reader.isNull(node)) return [];
  if (isSeq(node)) return reader.strList(entry, key, `"${key}"`);
  const map = reader.map(node, `"${key}"`, 'write it as a mapping of "name: spec" or a list of match specs');
  return reader.entries(map).map((dependency) => {
    const spec = reader.isNull(dependency.value)
      ? ''
      : reader.str(dependency.value, `the spec of dependency ${quote(dependency.key)}`, 'write it as "name: <version spec>"').trim();
    return spec === '' ? dependency.key : `${dependency.key} ${spec}`;
  });
}
