// Cache service v2 of GitHub Actions (twirp at ACTIONS_RESULTS_URL, blobs at signed URLs), as
// github.com runners speak it, for our own client (cache-service-read.ts, cache-service-write.ts):
// whether it applies, and on the same terms as @actions/cache, so entries stay interchangeable
// with it — the same version of an entry (a SHA-256 over the paths, the compression method and a
// salt, as its getCacheVersion), the same archive (a tar of the file under its path relative to
// the workspace, zstd-compressed, gzip where the runner has no zstd), the same cache-mode rules.
// Where v2 does not apply (protocol v1, GitHub Enterprise Server) `cacheServiceV2` answers
// undefined and the caller uses @actions/cache.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { isGhes, type ResultsService } from './results-twirp.ts';

/** Where and how to reach cache service v2, and what the runner's cache mode allows. */
export interface CacheServiceV2 extends ResultsService {
  /** The origin of ACTIONS_RESULTS_URL, with a trailing slash. */
  url: string;
  token: string;
  /** GITHUB_WORKSPACE (the folder archive paths are relative to). */
  workspace: string;
  /** ACTIONS_CACHE_MODE allows reads (unset and unknown modes allow everything, as in @actions/cache). */
  read: boolean;
  write: boolean;
}

const CACHE_MODES = ['none', 'read', 'write', 'write-only'];

/** @actions/cache's rule: v2 when ACTIONS_CACHE_SERVICE_V2 is set, never on GitHub Enterprise Server; undefined otherwise. */
export function cacheServiceV2(env: NodeJS.ProcessEnv): CacheServiceV2 | undefined {
  if (!env.ACTIONS_CACHE_SERVICE_V2 || isGhes(env)) return undefined;
  const url = env.ACTIONS_RESULTS_URL;
  const token = env.ACTIONS_RUNTIME_TOKEN;
  if (!url || !token) return undefined;
  let origin: string;
  try {
    // the twirp path is absolute: only the origin counts, as @actions/cache resolves it
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  const mode = (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
  const known = CACHE_MODES.includes(mode);
  return {
    url: `${origin}/`,
    token,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    read: !known || mode === 'read' || mode === 'write',
    write: !known || mode === 'write' || mode === 'write-only',
  };
}


export type CompressionMethod = 'zstd-without-long' | 'gzip';

let compression: CompressionMethod | undefined;

/** What @actions/cache compresses with on this runner: zstd when a `zstd` program answers `--version`, else gzip. */
export function compressionMethod(): CompressionMethod {
  if (compression === undefined) {
    const r = spawnSync('zstd', ['--quiet', '--version'], { encoding: 'utf8', timeout: 10_000 });
    compression = r.error === undefined && `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() !== '' ? 'zstd-without-long' : 'gzip';
  }
  return compression;
}

/** The version @actions/cache gives an entry saved from `paths` (its getCacheVersion). */
export function cacheVersion(paths: readonly string[], method: CompressionMethod, platform: NodeJS.Platform = process.platform): string {
  const components = [...paths, method];
  if (platform === 'win32') components.push('windows-only');
  components.push('1.0');
  return createHash('sha256').update(components.join('|')).digest('hex');
}
