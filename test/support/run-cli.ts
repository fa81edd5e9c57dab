// Runs the real `env-setup` command (bin/env-setup.js) in a child process for end-to-end tests:
// the exit code and everything it wrote to stdout and stderr.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = fileURLToPath(new URL('../../bin/env-setup.js', import.meta.url));

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** `env-setup ...args` with `env` added to this process's environment, in `cwd` (default: this one). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI_BIN, ...args], { env: { ...process.env, ...env }, cwd });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}
