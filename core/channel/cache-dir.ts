// Where env-setup keeps its caches: ENV_SETUP_CACHE_DIR, else $XDG_CACHE_HOME/env-setup, else
// %LOCALAPPDATA%\env-setup on Windows, else ~/.cache/env-setup. Repodata goes in `<dir>/repodata`.

import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CacheDirOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  hostPlatform?: NodeJS.Platform;
}

export function defaultCacheDir(options: CacheDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (env.ENV_SETUP_CACHE_DIR) return env.ENV_SETUP_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'env-setup');
  if ((options.hostPlatform ?? process.platform) === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'env-setup');
  return join(options.home ?? homedir(), '.cache', 'env-setup');
}
