// Runs the bundled action (dist/action/main.js, post.js) as the GitHub runner does, for the end-to-end
// tests and `npm run bench -- action`: each step a child process with INPUT_* variables, the command
// files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY, GITHUB_STATE) and STATE_*
// handed from main to post; the files are read back afterwards.
//
//   const home = mkdtempSync(...);                       // home/work holds environment.yml
//   const env = runnerEnv(home, services, 'v2');         // RUNNER_*, GITHUB_WORKSPACE, cache service
//   const { main, post } = await runJob(home, { ...env, INPUT_PREFIX: join(home, 'envs', 'x') });
//
// A job starts in a fresh RUNNER_TEMP (home/temp) and without home/envs, as a new hosted runner would.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionsServices } from './actions-cache-server.ts';

/** The committed bundles, which the tests run; the benchmark passes bundles it built from the current sources. */
export const DIST_ACTION = fileURLToPath(new URL('../../dist/action/', import.meta.url));

export interface StepResult {
  code: number | null;
  /** stdout and stderr, interleaved. */
  stdout: string;
  outputs: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  summary: string;
  state: Record<string, string>;
  /** Wall time of the child process, node's start included. */
  ms: number;
}

/** Parses the `name<<delimiter\nvalue\ndelimiter` (and `name=value`) file format of GITHUB_OUTPUT and friends. */
export function readCommandFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(path)) return out;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const value: string[] = [];
      while (i + 1 < lines.length && lines[++i] !== m[2]) value.push(lines[i]!);
      out[m[1]!] = value.join('\n');
    } else if (lines[i]!.includes('=')) out[lines[i]!.split('=')[0]!] = lines[i]!.slice(lines[i]!.indexOf('=') + 1);
  }
  return out;
}

/** Runs one step of the bundled action (`bundle`/main.js or post.js) in `dir` (the workspace) with `env` plus the command files, which are kept in `dir`. */
export async function runActionStep(script: 'main' | 'post', env: Record<string, string>, dir: string, state: Record<string, string> = {}, bundle = DIST_ACTION): Promise<StepResult> {
  const files = { GITHUB_OUTPUT: join(dir, `${script}-output`), GITHUB_ENV: join(dir, `${script}-env`), GITHUB_PATH: join(dir, `${script}-path`), GITHUB_STEP_SUMMARY: join(dir, `${script}-summary`), GITHUB_STATE: join(dir, `${script}-state`) };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const stateVars = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(bundle, `${script}.js`)], { cwd: dir, env: { PATH: process.env.PATH, ...env, ...files, ...stateVars } });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - t0;
  return {
    code,
    stdout,
    outputs: readCommandFile(files.GITHUB_OUTPUT),
    env: readCommandFile(files.GITHUB_ENV),
    path: readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    state: readCommandFile(files.GITHUB_STATE),
    ms,
  };
}

/**
 * The variables a hosted Linux x64 runner gives a step, under `home` (temp, toolcache, work), with
 * the cache service in protocol v1 (ACTIONS_CACHE_URL) or v2 (ACTIONS_CACHE_SERVICE_V2 + twirp at
 * ACTIONS_RESULTS_URL, and no ACTIONS_CACHE_URL). The artifact service is at ACTIONS_RESULTS_URL in both.
 */
export function runnerEnv(home: string, services: ActionsServices, protocol: 'v1' | 'v2'): Record<string, string> {
  return {
    HOME: home,
    RUNNER_TEMP: join(home, 'temp'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TOOL_CACHE: join(home, 'toolcache'),
    GITHUB_WORKSPACE: join(home, 'work'),
    ...(protocol === 'v1' ? { ACTIONS_CACHE_URL: `${services.url}/` } : { ACTIONS_CACHE_SERVICE_V2: 'true' }),
    ACTIONS_RESULTS_URL: `${services.url}/`,
    ACTIONS_RUNTIME_TOKEN: services.token,
    CONDARC: '',
    CONDA_PKGS_DIRS: '',
  };
}

/** One job: main then post (with main's state), in a fresh RUNNER_TEMP (home/temp) and without home/envs. */
export async function runJob(home: string, env: Record<string, string>, bundle = DIST_ACTION): Promise<{ main: StepResult; post: StepResult }> {
  rmSync(join(home, 'temp'), { recursive: true, force: true });
  rmSync(join(home, 'envs'), { recursive: true, force: true });
  mkdirSync(join(home, 'temp'), { recursive: true });
  const main = await runActionStep('main', env, join(home, 'work'), {}, bundle);
  const post = await runActionStep('post', env, join(home, 'work'), main.state, bundle);
  return { main, post };
}

/** How many package archives (.conda, .tar.bz2) a channel server's request log holds. */
export function packageDownloads(requests: readonly { path: string }[]): number {
  return requests.filter((r) => r.path.endsWith('.conda') || r.path.endsWith('.tar.bz2')).length;
}
