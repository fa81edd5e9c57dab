// Which extractor restores an environment tarball: the system's `zstd` and GNU `tar` when both are
// there (env-tarball-extract-system.ts), else env-setup's own (env-tarball-extract.ts).
//
//   const tools = await systemExtractor();   // undefined: use the in-process extractor
//
// Why two: node's bundled libzstd decompresses about half as fast as the `zstd` program (no
// assembly in its build), and decompression is half of a restore; `zstd -dc | tar -x` restores a
// 380 MB environment in about half the time the in-process extractor takes (bench/RESULTS.md). Only
// GNU tar is used, because the restore's safety leans on its defaults (see the other module); bsdtar
// (macOS's `tar`) is not, but Homebrew's `gtar` is. GitHub's runners have both programs (@actions/cache
// itself relies on them).
//
// ENV_SETUP_EXTRACTOR chooses: `node` (always in-process), `system` (the programs when found, as
// does the default `auto`). The answer is found once per process (two `--version` runs, a few ms).

import { execFile } from 'node:child_process';

export interface SystemTools {
  zstd: string;
  tar: string;
}

export type ExtractorChoice = 'auto' | 'node' | 'system';

/** ENV_SETUP_EXTRACTOR, read when asked: `node` or `system`; anything else is `auto`. */
export function extractorChoice(env: NodeJS.ProcessEnv = process.env): ExtractorChoice {
  const v = (env.ENV_SETUP_EXTRACTOR ?? '').trim().toLowerCase();
  return v === 'node' || v === 'system' ? v : 'auto';
}

let found: Promise<SystemTools | undefined> | undefined;
let foundFor: string | undefined;

/** The programs to extract with, or undefined when the in-process extractor is to be used. */
export async function systemExtractor(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<SystemTools | undefined> {
  if (extractorChoice(env) === 'node' || (platform !== 'linux' && platform !== 'darwin')) return undefined;
  const path = env.PATH ?? '';
  if (found === undefined || foundFor !== path) {
    foundFor = path;
    found = findTools(platform === 'darwin' ? ['gtar', 'tar'] : ['tar'], env);
  }
  return found;
}

async function findTools(tars: readonly string[], env: NodeJS.ProcessEnv): Promise<SystemTools | undefined> {
  const [zstd, tar] = await Promise.all([
    versionOf('zstd', env).then((out) => (out !== undefined && /zstandard/i.test(out) ? 'zstd' : undefined)),
    (async () => {
      for (const name of tars) if ((await versionOf(name, env))?.includes('GNU tar')) return name;
      return undefined;
    })(),
  ]);
  return zstd !== undefined && tar !== undefined ? { zstd, tar } : undefined;
}

function versionOf(program: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(program, ['--version'], { timeout: 5000, env: { ...env, LC_ALL: 'C' } }, (error, stdout) => resolve(error ? undefined : String(stdout)));
  });
}
