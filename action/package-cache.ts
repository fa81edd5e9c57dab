// The package cache (extracted packages and archives) of the action: restored through @actions/cache
// before an install (key by the spec hash, restore-keys by platform for partial reuse when the
// solution changed) and saved after one that downloaded something. On self-hosted runners the
// package cache lives in RUNNER_TOOL_CACHE (registered with @actions/tool-cache), so a persistent
// machine links without downloading and without a round trip to the cache service.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionsCache, type StoreLog } from './actions-cache-store.ts';

export const PACKAGE_CACHE_TOOL = 'env-setup-pkgs';
const TOOL_VERSION = '1.0.0';

export interface PackageCacheDir {
  dir: string;
  /** Whether the folder is the runner's tool cache (persistent: no @actions/cache round trip). */
  persistent: boolean;
}

/** Where packages go: the tool cache's folder on a self-hosted runner, else a folder under RUNNER_TEMP. */
export async function packageCacheDir(temp: string, selfHosted: boolean, arch: string): Promise<PackageCacheDir> {
  if (selfHosted && process.env.RUNNER_TOOL_CACHE) {
    // loaded here: a hosted runner never needs @actions/tool-cache
    const toolCache = await import('@actions/tool-cache');
    const found = toolCache.find(PACKAGE_CACHE_TOOL, TOOL_VERSION, arch);
    if (found !== '') return { dir: found, persistent: true };
    const dir = join(process.env.RUNNER_TOOL_CACHE, PACKAGE_CACHE_TOOL, TOOL_VERSION, arch);
    mkdirSync(dir, { recursive: true });
    return { dir, persistent: true };
  }
  return { dir: join(temp, 'env-setup', 'pkgs'), persistent: false };
}

/** Marks the tool-cache folder complete once it holds packages (the zero-length marker @actions/tool-cache's find() looks for). */
export function markToolCacheComplete(dir: PackageCacheDir): void {
  if (dir.persistent && !existsSync(`${dir.dir}.complete`)) writeFileSync(`${dir.dir}.complete`, '');
}

export function packageCacheKey(namespace: string, platform: string, specHash: string): { key: string; restoreKeys: string[] } {
  return { key: `${namespace}env-setup-pkgs-1-${platform}-${specHash}`, restoreKeys: [`${namespace}env-setup-pkgs-1-${platform}-`] };
}

/** Restores the package cache; the key restored (exact or partial) or undefined. Never throws. */
export async function restorePackageCache(dir: string, key: { key: string; restoreKeys: string[] }, log: StoreLog): Promise<string | undefined> {
  try {
    return await (await actionsCache()).restoreCache([dir], key.key, key.restoreKeys);
  } catch (e) {
    log.warning(`restoring the package cache failed: ${e instanceof Error ? e.message : String(e)}; packages will be downloaded`);
    return undefined;
  }
}

/** Saves the package cache under its key; false (with a warning) when that failed. Never throws. */
export async function savePackageCache(dir: string, key: string, log: StoreLog): Promise<boolean> {
  try {
    return (await (await actionsCache()).saveCache([dir], key)) !== -1;
  } catch (e) {
    log.warning(`saving the package cache failed: ${e instanceof Error ? e.message : String(e)}; the next run will download again`);
    return false;
  }
}
