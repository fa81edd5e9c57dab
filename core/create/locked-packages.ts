// The packages of an input that is already a lock — an @EXPLICIT file (ours or another tool's), a
// conda-lock.yml or a pixi.lock — for one platform, in the form the installer takes. Nothing is
// solved: they are installed exactly as written. A local path in an explicit file is relative to
// the file; pip packages of a lock are reported, not installed; a lock that has no packages for the
// platform, or packages pixi still has to build from source, is an error saying what to do.

import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LockedInput } from '../cache/environment-input.ts';
import type { FetchRecord } from '../install/fetch-packages.ts';
import { SpecError } from '../spec/errors.ts';
import type { ExplicitFile } from '../spec/explicit-file.ts';
import type { LockFile } from '../spec/lock-file-types.ts';

/** A package to install: what fetchPackages and diffPrefix need. */
export interface InstallRecord extends FetchRecord {
  name: string;
  version: string;
  build: string;
  url: string;
  fn: string;
  channel: string;
}

export interface LockedPackages {
  packages: InstallRecord[];
  /** Things the user should know (pip packages left out). */
  warnings: string[];
}

/** An entry as a URL: a local path (relative to the file) becomes a file:// URL. */
export function entryUrl(entry: string, file: string): string {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry) ? entry : pathToFileURL(resolve(dirname(file), entry)).href;
}

/** The packages of an explicit file, in file order (see the header). */
export function explicitPackages(file: ExplicitFile): InstallRecord[] {
  return file.packages.map((p) => {
    const out: InstallRecord = { name: p.name, version: p.version, build: p.build, url: entryUrl(p.url, file.fileName), fn: p.fileName, channel: p.channel, md5: p.md5, sha256: p.sha256 };
    if (p.subdir !== undefined) out.subdir = p.subdir;
    return out;
  });
}

/**
 * The packages a lock file holds for `platform` (a subdir): of the environment `environment`
 * (default: `default`, else the only one). Throws SpecError naming the file when there are none.
 */
export function lockFilePackages(lock: LockFile, platform: string, environment?: string): LockedPackages {
  const env = environment !== undefined ? lock.environments.find((e) => e.name === environment) : (lock.environments.find((e) => e.name === 'default') ?? (lock.environments.length === 1 ? lock.environments[0] : undefined));
  if (env === undefined) {
    const names = lock.environments.map((e) => e.name).join(', ');
    throw new SpecError(`${lock.fileName}: ${environment === undefined ? 'has no environment named default' : `has no environment named ${environment}`} (it has: ${names || 'none'})`);
  }
  const forPlatform = env.packages.find((p) => p.subdir === platform || p.platform === platform);
  if (forPlatform === undefined) {
    const have = env.packages.map((p) => p.subdir).join(', ');
    throw new SpecError(`${lock.fileName}: the environment ${env.name} locks no packages for ${platform} (it has: ${have || 'none'}); lock it for ${platform} first`);
  }
  if (forPlatform.partialSources.length > 0 || forPlatform.conda.some((p) => p.kind === 'source')) {
    const names = [...forPlatform.partialSources.map((p) => p.name), ...forPlatform.conda.filter((p) => p.kind === 'source').map((p) => p.name)];
    throw new SpecError(`${lock.fileName}: ${names.join(', ')} must be built from source, which env-setup does not do; build them with pixi first`);
  }
  const packages = forPlatform.conda.map((p): InstallRecord => {
    const out: InstallRecord = { name: p.name, version: p.version, build: p.build, url: entryUrl(p.url, lock.fileName), fn: p.fn, channel: p.channel ?? '', subdir: p.subdir };
    if (p.md5 !== undefined) out.md5 = p.md5;
    if (p.sha256 !== undefined) out.sha256 = p.sha256;
    if (p.size !== undefined) out.size = p.size;
    return out;
  });
  const warnings = forPlatform.pypi.length > 0 ? [`the ${forPlatform.pypi.length} PyPI package(s) of ${lock.fileName} are not installed (pip is not supported yet)`] : [];
  return { packages, warnings };
}

/** The packages of a locked input for `platform`. */
export function lockedInputPackages(input: LockedInput, platform: string): LockedPackages {
  if (input.explicit !== undefined) {
    if (input.explicit.platform !== undefined && input.explicit.platform !== platform) {
      throw new SpecError(`${input.explicit.fileName} is for ${input.explicit.platform} (its '# platform:' line), not ${platform}`);
    }
    return { packages: explicitPackages(input.explicit), warnings: [] };
  }
  if (input.lock !== undefined) return lockFilePackages(input.lock, platform);
  throw new SpecError('the locked input has neither an explicit file nor a lock file');
}
