// Where conda looks for .condarc files, lowest precedence first (conda's SEARCH_PATH): system dirs,
// $CONDA_ROOT, $XDG_CONFIG_HOME/conda, ~/.config/conda, ~/.conda, ~/.condarc, $CONDA_PREFIX, $CONDARC.
// Each dir contributes `.condarc`, `condarc` and the `condarc.d/` folder (its *.yml/*.yaml files).

import { join } from 'node:path';

export interface CondarcSearchPathOptions {
  env: NodeJS.ProcessEnv;
  home: string;
  /** System-wide folders read first. Default: `/etc/conda`, `/var/lib/conda` (`C:/ProgramData/conda` on Windows). Tests pass `[]`. */
  systemDirs?: readonly string[];
  /** The host OS (default `process.platform`); only picks the default system dirs. */
  hostPlatform?: NodeJS.Platform;
}

export interface CondarcLocation {
  path: string;
  /** A `condarc.d` folder: every *.yml / *.yaml file in it, in name order. */
  isDir: boolean;
}

export function defaultSystemConfigDirs(hostPlatform: NodeJS.Platform = process.platform): string[] {
  return hostPlatform === 'win32' ? ['C:/ProgramData/conda'] : ['/etc/conda', '/var/lib/conda'];
}

/** The search path in increasing precedence (a later file overrides an earlier one). Duplicates are dropped. */
export function condarcSearchPath(options: CondarcSearchPathOptions): CondarcLocation[] {
  const { env, home } = options;
  const out: CondarcLocation[] = [];
  const dir = (d: string | undefined): void => {
    if (!d) return;
    out.push({ path: join(d, '.condarc'), isDir: false }, { path: join(d, 'condarc'), isDir: false }, { path: join(d, 'condarc.d'), isDir: true });
  };
  for (const d of options.systemDirs ?? defaultSystemConfigDirs(options.hostPlatform)) dir(d);
  dir(env.CONDA_ROOT);
  if (env.XDG_CONFIG_HOME) dir(join(env.XDG_CONFIG_HOME, 'conda'));
  dir(join(home, '.config', 'conda'));
  dir(join(home, '.conda'));
  out.push({ path: join(home, '.condarc'), isDir: false });
  dir(env.CONDA_PREFIX);
  if (env.CONDARC) out.push({ path: env.CONDARC, isDir: false });
  const seen = new Set<string>();
  return out.filter((l) => !seen.has(l.path) && (seen.add(l.path), true));
}
