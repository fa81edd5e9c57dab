// Reader for lock files: conda-lock v1 (`conda-lock.yml`) and pixi lock files (`pixi.lock`) of every
// format version rattler_lock knows (1 to 7). `readLockFile` picks the layout by the `version:` key and
// returns one normalised structure: environments → platforms → conda records in repodata.json form,
// with PyPI packages and not-yet-evaluated source packages listed apart. Fields a lock file leaves out
// are filled as rattler does (see lock-file-record.ts). Every problem is a SpecError naming the file,
// line and column, and what to do.
//
//   lock-file-types.ts       the normalised structure
//   lock-file-yaml.ts        YAML access with positions
//   lock-file-record.ts      conda records: fields, and what is derived from a package's URL
//   lock-file-conda-lock.ts  versions 1–3 (conda-lock's `metadata:` / `package:` layout)
//   lock-file-pixi.ts        versions 4–7 (`environments:` / `packages:`)

import { isMap, isScalar } from 'yaml';
import { readCondaLockLayout } from './lock-file-conda-lock.ts';
import { readPixiLayout } from './lock-file-pixi.ts';
import type { LockFile, LockPlatformPackages } from './lock-file-types.ts';
import { YamlReader } from './lock-file-yaml.ts';

export type * from './lock-file-types.ts';

/** The newest lock file format version this reader understands. */
export const NEWEST_LOCK_FILE_VERSION = 7;

/** Reads a conda-lock or pixi lock file. `path` names the file in errors. */
export function readLockFile(text: string, path: string): LockFile {
  const { reader, root } = YamlReader.parse(text, path);
  if (reader.isNull(root)) {
    throw reader.error('empty lock file: it has no content; lock again (conda-lock lock, pixi lock) to write it', { line: 1, column: 1 });
  }
  if (!root || !isMap(root)) {
    throw reader.error(`a lock file must be a YAML mapping with "version:" and its packages, but this one is ${reader.describe(root)}`, root);
  }
  const versionNode = reader.get(root, 'version');
  if (versionNode === undefined) {
    const hint = reader.has(root, 'dependencies')
      ? 'it has "dependencies:", so it may be an environment.yml; read it as an environment file instead'
      : 'conda-lock and pixi write "version: <n>" at the top or bottom of the file; lock again, or add the version the file was written with';
    throw reader.error(`not a lock file: there is no "version:" key; ${hint}`, root);
  }
  const value = versionNode && isScalar(versionNode) ? versionNode.value : undefined;
  const version = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw reader.error(`the lock file version must be a whole number from 1 to ${NEWEST_LOCK_FILE_VERSION}, but it is ${reader.describe(versionNode)}`, versionNode);
  }
  if (version > NEWEST_LOCK_FILE_VERSION) {
    throw reader.error(
      `this lock file has format version ${version}, but env-setup reads versions 1 to ${NEWEST_LOCK_FILE_VERSION} only (it was written by a newer pixi or conda-lock); update env-setup, or lock again with a tool that writes version ${NEWEST_LOCK_FILE_VERSION} or older`,
      versionNode,
    );
  }
  return version <= 3 ? readCondaLockLayout(reader, root, version) : readPixiLayout(reader, root, version);
}

/** The packages one environment locks for one platform (by platform name), or undefined. */
export function lockedPackages(lock: LockFile, environment: string, platform: string): LockPlatformPackages | undefined {
  const env = lock.environments.find((e) => e.name === environment);
  if (env === undefined) return undefined;
  return env.packages.find((p) => p.platform === platform);
}
