// The user's list of environments, `~/.conda/environments.txt`, as conda and mamba keep it: a
// created environment's prefix is appended (once), a removed one taken out, so `conda env list`,
// `mamba env list` and editors that read the file see environments env-setup made. conda's
// `register_envs: false` setting has its environment form here: CONDA_REGISTER_ENVS=false (or 0,
// no, off) leaves the file alone. A file that cannot be written is a warning, never a failure.

import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** `~/.conda/environments.txt` (HOME from `env`, as conda's expanduser reads it). */
export function environmentsTxtPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), '.conda', 'environments.txt');
}

function registering(env: NodeJS.ProcessEnv): boolean {
  return !/^(0|false|no|off)$/i.test((env.CONDA_REGISTER_ENVS ?? '').trim());
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}

/** Adds `prefix` to the list unless it is there; a warning to show, or undefined. */
export function registerEnvironment(prefix: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!registering(env)) return undefined;
  const path = environmentsTxtPath(env);
  const location = resolve(prefix);
  if (readLines(path).some((l) => resolve(l.trim()) === location)) return undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `${location}\n`);
    return undefined;
  } catch (error) {
    return `could not register ${location} in ${path}: ${(error as Error).message}`;
  }
}

/** Takes `prefix` out of the list; a warning to show, or undefined. */
export function unregisterEnvironment(prefix: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!registering(env)) return undefined;
  const path = environmentsTxtPath(env);
  const location = resolve(prefix);
  const lines = readLines(path);
  const kept = lines.filter((l) => resolve(l.trim()) !== location);
  if (kept.length === lines.length) return undefined;
  try {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, kept.map((l) => `${l}\n`).join(''));
    renameSync(tmp, path);
    return undefined;
  } catch (error) {
    return `could not take ${location} out of ${path}: ${(error as Error).message}`;
  }
}
