// `env-setup run -p PREFIX | -n NAME [--] CMD ARGS…`: runs a command in an environment as if it were
// activated: `<prefix>/bin` first on PATH, CONDA_PREFIX / CONDA_DEFAULT_ENV / CONDA_SHLVL set, the
// environment file's `variables:` (conda-meta/state `env_vars`), and the packages'
// `etc/conda/activate.d/*.sh` scripts sourced in name order by bash before the command replaces
// the shell (core/create/activated-command.ts, which pip also runs under). The exit code is the
// command's (127 when it cannot be found; 128+N for a signal).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { activatedCommand } from '../core/create/activated-command.ts';
import { recoverPrefix } from '../core/install/prefix-lock.ts';
import { resolvePrefixArg, type CommandIo } from './prefix-common.ts';
import { type CliResult, UsageError } from './result.ts';

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

export async function runRun(argv: string[], io: CommandIo = { json: false }): Promise<CliResult> {
  let prefixArg: string | undefined;
  let name: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-p' || a === '--prefix' || a === '-n' || a === '--name') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '-p' || a === '--prefix') prefixArg = v;
      else name = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}' for 'run' (put the command after --)`);
    else break;
  }
  const command = argv.slice(i);
  const prefix = resolvePrefixArg(prefixArg, name, 'run', io.env);
  if (command.length === 0) throw new UsageError("'run' needs a command: env-setup run -p PREFIX -- python -V");
  if (!existsSync(join(prefix, 'conda-meta'))) throw new UsageError(`${prefix} is not a conda environment (no conda-meta folder)`);
  if (process.platform === 'win32') return { exitCode: 1, text: '', errorText: 'error: env-setup run is not supported on Windows yet', json: { error: { kind: 'unsupported', message: 'run is not supported on Windows yet' } } };
  await recoverPrefix(prefix);
  const { file, args, env } = await activatedCommand(prefix, io.env ?? process.env, command);
  // the command gets the terminal's signals itself; env-setup waits for it and passes its code on
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  const outcome = await new Promise<{ code: number; error?: string }>((resolve) => {
    const child = spawn(file, args, { env, stdio: 'inherit' });
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('error', (e) => resolve({ code: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126, error: `${command[0]}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'command not found' : e.message}` }));
    child.on('exit', (code, signal) => resolve({ code: code ?? 128 + (SIGNALS[signal ?? ''] ?? 0) }));
  }).finally(() => {
    process.off('SIGINT', ignore);
    process.removeAllListeners('SIGTERM');
  });
  return { exitCode: outcome.code, text: '', errorText: outcome.error ? `env-setup run: ${outcome.error}` : undefined, json: { exitCode: outcome.code } };
}
