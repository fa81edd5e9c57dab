// Whether an environment may be cached as a tarball, as far as link scripts go. A package's
// pre-link, post-link and pre-unlink scripts (`bin/.<name>-<action>.sh`, `Scripts/.<name>-<action>.bat`
// on Windows; see install/link-scripts.ts) can write files no record lists, holding the prefix path
// or facts of the machine they ran on; a tarball restores their results without running them, and
// relocation cannot find what they wrote. So tarball caching is off by default for an environment
// with such packages, with a notice naming them; the user can force it on, or turn tarballs off
// altogether.
//
//   const found = linkScriptPackages(readRecordFiles(prefix));            // an installed prefix
//   const found = linkScriptPackages(packages.map(p => ({ name, dist, paths })));  // about to install
//   const decision = tarballDecision(found, { tarballs: 'auto' });
//   if (!decision.enabled) log(decision.notice);

import type { PrefixRecordFile } from './env-tarball-scan.ts';

export type LinkScriptKind = 'pre-link' | 'post-link' | 'pre-unlink';

export interface LinkScriptPackage {
  /** `name-version-build`. */
  dist: string;
  scripts: LinkScriptKind[];
}

/** A package by its name and the paths it installs (prefix-relative). */
export interface PackagePaths {
  name: string;
  dist: string;
  paths: Iterable<string>;
}

const KINDS: readonly LinkScriptKind[] = ['pre-link', 'post-link', 'pre-unlink'];

/** The link scripts among a package's paths. */
export function linkScriptsOf(name: string, paths: Iterable<string>): LinkScriptKind[] {
  const wanted = new Map<string, LinkScriptKind>();
  for (const kind of KINDS) {
    wanted.set(`bin/.${name}-${kind}.sh`, kind);
    wanted.set(`Scripts/.${name}-${kind}.bat`, kind);
  }
  const found = new Set<LinkScriptKind>();
  for (const path of paths) {
    const kind = wanted.get(path);
    if (kind !== undefined) found.add(kind);
  }
  return KINDS.filter((k) => found.has(k));
}

/** The packages with link scripts, in the order given: from conda-meta records (their `files`) or from packages' path lists. */
export function linkScriptPackages(packages: Iterable<PrefixRecordFile | PackagePaths>): LinkScriptPackage[] {
  const out: LinkScriptPackage[] = [];
  for (const p of packages) {
    const info = 'json' in p ? fromRecord(p) : p;
    if (info === undefined) continue;
    const scripts = linkScriptsOf(info.name, info.paths);
    if (scripts.length > 0) out.push({ dist: info.dist, scripts });
  }
  return out;
}

function fromRecord(record: PrefixRecordFile): PackagePaths | undefined {
  const { name, version, build, files } = record.json;
  if (typeof name !== 'string') return undefined;
  const dist = `${name}-${String(version ?? '')}-${String(build ?? '')}`;
  return { name, dist, paths: Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [] };
}

/** The user's setting: `auto` (the default: off when a package has link scripts), `on` (forced), `off`. */
export type TarballSetting = 'auto' | 'on' | 'off';

export interface TarballDecision {
  enabled: boolean;
  /** Why, for the log and the timing export. */
  reason: 'no-link-scripts' | 'forced' | 'link-scripts' | 'disabled';
  /** A notice for the user when tarballs are off because of link scripts (or forced on despite them). */
  notice: string | undefined;
}

/** Whether to pack / restore tarballs for an environment with these link-script packages. */
export function tarballDecision(found: readonly LinkScriptPackage[], options: { tarballs?: TarballSetting } = {}): TarballDecision {
  const setting = options.tarballs ?? 'auto';
  if (setting === 'off') return { enabled: false, reason: 'disabled', notice: undefined };
  const names = found.map((p) => `${p.dist} (${p.scripts.join(', ')})`);
  const list = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  if (setting === 'on') {
    return { enabled: true, reason: 'forced', notice: found.length === 0 ? undefined : `environment tarball forced on although ${list} ${found.length === 1 ? 'has link scripts' : 'have link scripts'}, whose results are restored without running them` };
  }
  if (found.length === 0) return { enabled: true, reason: 'no-link-scripts', notice: undefined };
  return {
    enabled: false,
    reason: 'link-scripts',
    notice:
      `environment tarball caching is off for this environment: ${list} ${found.length === 1 ? 'runs' : 'run'} link scripts, ` +
      'whose effects a restored tarball may not reproduce (files they write are not moved to another prefix, and they do not run again); ' +
      'the spec file is still cached. Force tarballs on (`--tarballs on`) if the scripts are known to be harmless',
  };
}
