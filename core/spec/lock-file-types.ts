// The normalised shape every lock file is read into (conda-lock v1 and pixi lock files of every
// version): environments → platforms → conda records in repodata.json form, pypi packages kept
// apart (env-setup does not install them), and source packages pixi still has to build.

import type { Position } from './source-text.ts';

export type LockFileFormat = 'conda-lock' | 'pixi';

export interface LockFile {
  kind: 'lock-file';
  fileName: string;
  /** `conda-lock` for conda-lock's own format (version 1); `pixi` for the pixi / rattler_lock versions 2–7. */
  format: LockFileFormat;
  /** The `version:` of the file. */
  version: number;
  /** Every platform of the file, in file order (versions before 7 name platforms by their subdir). */
  platforms: LockPlatform[];
  /** Environments in file order; versions before 4 have one, named `default`. */
  environments: LockEnvironment[];
}

export interface LockPlatform {
  /** The name environments use for it (a subdir, or any name in version 7). */
  name: string;
  /** The conda subdir its packages are for. */
  subdir: string;
  /** Virtual package specs the platform declares (version 7 `virtual-packages`), as written. */
  virtualPackages: string[];
}

export interface LockEnvironment {
  name: string;
  /** Channel URLs or names, in priority order, as written. */
  channels: string[];
  /** PyPI indexes (`indexes`), as written. */
  pypiIndexes: string[];
  /** Solve options as written (`strategy`, `channel-priority`, `exclude-newer`, …). */
  options: Record<string, unknown>;
  /** One entry per platform the environment lists packages for, in file order. */
  packages: LockPlatformPackages[];
}

export interface LockPlatformPackages {
  /** The platform's name (see LockPlatform.name). */
  platform: string;
  subdir: string;
  /** Conda records: binary packages and source packages whose metadata is known. */
  conda: LockedCondaPackage[];
  /** Source packages whose metadata pixi has not evaluated yet (no version, build or subdir). */
  partialSources: PartialSourcePackage[];
  /** PyPI packages; env-setup does not install them, callers report them. */
  pypi: LockedPypiPackage[];
}

export type NoarchType = 'python' | 'generic';

/**
 * A conda package as a repodata.json record plus where it is. Fields the file leaves out are filled
 * as conda and rattler do: name, version and build from the file name of the URL, build_number from
 * the digits at the end of the build string, subdir from the URL's folder, channel from the URL
 * without the subdir and file name. Optional fields are absent (not undefined) when unknown.
 */
export interface LockedCondaPackage {
  /** `binary`: a package archive; `source`: a package pixi builds from source (`url` is its location). */
  kind: 'binary' | 'source';
  name: string;
  version: string;
  build: string;
  build_number: number;
  subdir: string;
  noarch?: NoarchType;
  depends: string[];
  constrains: string[];
  track_features: string[];
  features?: string[];
  license?: string;
  license_family?: string;
  md5?: string;
  sha256?: string;
  size?: number;
  /** Milliseconds since the epoch. */
  timestamp?: number;
  /** The archive's file name (for source packages, the name the built archive will have). */
  fn: string;
  /** The package's URL, or for local packages and source packages its path, as written. */
  url: string;
  /** The channel's base URL (`https://conda.anaconda.org/conda-forge`), when known. */
  channel?: string;
  arch?: string;
  platform?: string;
  purls?: string[];
  python_site_packages_path?: string;
  legacy_bz2_md5?: string;
  legacy_bz2_size?: number;
  extra_depends?: Record<string, string[]>;
  flags?: string[];
  run_exports?: unknown;
  /** conda-lock v1: the dependency category (`main`, `dev`, …) and whether it is optional. */
  category?: string;
  optional?: boolean;
  /** Source packages: where they are built from and how. */
  source?: SourcePackageInfo;
  /** Where the package's entry starts in the lock file. */
  position: Position;
}

export interface SourcePackageInfo {
  /** The path or URL of the source, as written. */
  location: string;
  /** Version 7's `name[hash] @ location` identifier. */
  identifier?: string;
  variants?: Record<string, unknown>;
  /** Where the source is fetched from (version 6 `package_build_source`, version 7 `source`). */
  build?: unknown;
  /** Sources of dependencies built alongside (version 6 `sources`, version 7 `source_depends`). */
  sourceDepends?: Record<string, unknown>;
  /** Version 6 `input` (hash and globs of the inputs). */
  input?: unknown;
  /** Version 7 `build_packages` / `host_packages` selectors, as written. */
  buildPackages?: unknown[];
  hostPackages?: unknown[];
}

export interface PartialSourcePackage {
  name: string;
  location: string;
  identifier?: string;
  depends: string[];
  constrains: string[];
  extra_depends?: Record<string, string[]>;
  flags?: string[];
  license?: string;
  purls?: string[];
  run_exports?: unknown;
  variants?: Record<string, unknown>;
  build?: unknown;
  sourceDepends?: Record<string, unknown>;
  position: Position;
}

export interface LockedPypiPackage {
  name: string;
  version?: string;
  /** The wheel / sdist URL, VCS URL or local path, as written. */
  location: string;
  sha256?: string;
  md5?: string;
  requires_dist: string[];
  requires_python?: string;
  editable?: boolean;
  /** The index the package came from (version 7 `index`). */
  index?: string;
  /** Extras the environment enables for it. */
  extras?: string[];
  position: Position;
}
