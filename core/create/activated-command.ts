// A command run in an environment as if it were activated, the way conda runs pip for an
// environment file (conda's wrap_subprocess_call): `<prefix>/bin` first on PATH, CONDA_PREFIX /
// CONDA_DEFAULT_ENV / CONDA_SHLVL set, the file's `variables:` (conda-meta/state `env_vars`), and
// the packages' `etc/conda/activate.d/*.sh` scripts sourced in name order by bash before the
// command replaces the shell (so compilers' activation variables such as CC reach a pip build).
//
//   const { file, args, env } = await activatedCommand(prefix, process.env, ['python', '-m', 'pip', '-V']);
//   spawn(file, args, { env });

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { readStateVars } from '../install/link-record.ts';

export interface ActivatedCommand {
  /** The program to spawn: the command itself, or a shell when there are activation scripts. */
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

const ACTIVATE = ['for __env_setup_f in "$@"; do', '  case "$__env_setup_f" in --) shift; break;; esac', '  . "$__env_setup_f"; shift', 'done', 'unset __env_setup_f', 'exec "$@"'].join('\n');

/** How to spawn `command` (program and arguments) activated in `prefix`, on top of the variables `base`. */
export async function activatedCommand(prefix: string, base: NodeJS.ProcessEnv, command: readonly string[]): Promise<ActivatedCommand> {
  if (command.length === 0) throw new Error('activatedCommand needs a command');
  const vars = readStateVars(await readFile(join(prefix, 'conda-meta', 'state'), 'utf8').catch(() => undefined));
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: [join(prefix, 'bin'), base.PATH ?? ''].filter((p) => p !== '').join(delimiter),
    CONDA_PREFIX: prefix,
    CONDA_DEFAULT_ENV: prefix,
    CONDA_SHLVL: '1',
    ...vars,
  };
  const activateDir = join(prefix, 'etc', 'conda', 'activate.d');
  const scripts = (await readdir(activateDir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.sh'))
    .sort()
    .map((f) => join(activateDir, f));
  if (scripts.length === 0) return { file: command[0]!, args: command.slice(1), env };
  const shell = ['/bin/bash', '/usr/bin/bash'].find((s) => existsSync(s)) ?? '/bin/sh';
  return { file: shell, args: ['-c', ACTIVATE, 'env-setup-activate', ...scripts, '--', ...command], env };
}
