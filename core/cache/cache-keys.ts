// The key strings cache entries are stored under, shared by the CLI's folder store and the Action's
// @actions/cache store, so both name the same thing the same way:
//
//   spec file    env-setup-spec-<spec format major>-<platform>-<environment key>
//                  e.g. env-setup-spec-1-linux-64-3f5a…(64 hex)
//                  The environment key (environment-key.ts) is a SHA-256 over everything that
//                  changes the solve, so an unchanged environment file finds its spec file.
//   tarball      env-setup-env-<tarball format>-<platform>-<prefix hash>-<spec file hash>
//                  e.g. env-setup-env-1-linux-64-9c1d2e3f4a5b6c7d-77ab…(64 hex)
//                  <spec file hash> is specFileHash (spec-file.ts): the solved packages, not the
//                  request, so a re-solve that finds the same packages keeps its tarball;
//                  <prefix hash> is the first 16 hex digits of SHA-256(absolute prefix path);
//                  <tarball format> is the tarball/installer layout version, so a layout change
//                  never restores an old tarball.
//                  When pip installs the environment file's `pip:` requirements into the prefix,
//                  <spec file hash> is instead tarballContentHash: a SHA-256 over the spec file
//                  hash, the pip lines, the requirement files they name and the local sources
//                  pip builds from (pip-local-sources.ts), so two files with the
//                  same conda packages but different pip lines never share a tarball (without pip
//                  lines it is the spec file hash itself, unchanged).
//
// Every part is lower-case ASCII without spaces; keys pass store.ts's checkCacheKey.

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { SpecError } from '../spec/errors.ts';
import { canonicalPip } from './environment-key.ts';
import type { ReferencedFile } from './referenced-files.ts';
import { SPEC_FORMAT_VERSION } from './spec-file.ts';

export const SPEC_KEY_PREFIX = 'env-setup-spec-';
export const TARBALL_KEY_PREFIX = 'env-setup-env-';

const HEX64 = /^[0-9a-f]{64}$/;
const PART = /^[a-z0-9][a-z0-9._]*$/;

function checkPart(value: string, what: string): void {
  if (!PART.test(value)) throw new SpecError(`invalid ${what} '${value}' for a cache key: use lower-case letters, digits, '.' and '_'`, { input: value });
}

function checkPlatform(platform: string): void {
  if (!/^[a-z0-9]+-[a-z0-9]+$|^noarch$/.test(platform)) throw new SpecError(`invalid platform '${platform}' for a cache key (expected a subdir such as linux-64)`, { input: platform });
}

/** The key of the spec file for an environment key (64 hex digits) and platform. */
export function specFileKey(environmentKey: string, platform: string): string {
  if (!HEX64.test(environmentKey)) throw new SpecError(`invalid environment key '${environmentKey}': expected 64 lower-case hex digits`);
  checkPlatform(platform);
  return `${SPEC_KEY_PREFIX}${SPEC_FORMAT_VERSION.split('.')[0]}-${platform}-${environmentKey}`;
}

/** The first 16 hex digits of SHA-256 of the absolute, normalised prefix path. */
export function prefixHash(prefix: string): string {
  return createHash('sha256').update(resolve(prefix)).digest('hex').slice(0, 16);
}

export interface TarballKeyParts {
  /** specFileHash of the spec file the environment was installed from. */
  specFileHash: string;
  platform: string;
  /** The environment's prefix (made absolute). */
  prefix: string;
  /** The tarball / installer layout version, e.g. `1`. */
  formatVersion: string | number;
}

/** The key of the environment tarball for a spec file, platform, prefix and tarball format. */
export function tarballKey(parts: TarballKeyParts): string {
  if (!HEX64.test(parts.specFileHash)) throw new SpecError(`invalid spec file hash '${parts.specFileHash}': expected 64 lower-case hex digits`);
  checkPlatform(parts.platform);
  const format = String(parts.formatVersion);
  checkPart(format, 'tarball format version');
  return `${TARBALL_KEY_PREFIX}${format}-${parts.platform}-${prefixHash(parts.prefix)}-${parts.specFileHash}`;
}

/** What pip installs on top of the conda packages: the file's `pip:` lines and the files they refer to. */
export interface PipContent {
  requirements: readonly string[];
  files: readonly ReferencedFile[];
}

/**
 * The hash a tarball key ends with: the spec file hash when pip installs nothing (undefined or no
 * lines), else SHA-256 over it, the pip lines (read as the environment key reads them: whitespace
 * collapsed, credentials removed, sorted, duplicates dropped) and the referenced files (path and
 * content hash, sorted by path).
 */
export function tarballContentHash(specFileHash: string, pip?: PipContent): string {
  if (pip === undefined || pip.requirements.length === 0) return specFileHash;
  const { pip: requirements, files } = canonicalPip(pip.requirements, pip.files);
  return createHash('sha256').update(JSON.stringify({ specFileHash, pip: requirements, files })).digest('hex');
}

/** What a key names: a spec file, an environment tarball, or something else in the store. */
export function keyKind(key: string): 'spec' | 'tarball' | 'other' {
  if (key.startsWith(SPEC_KEY_PREFIX)) return 'spec';
  if (key.startsWith(TARBALL_KEY_PREFIX)) return 'tarball';
  return 'other';
}
