// A package's link scripts, run as conda runs them (conda/core/link.py run_script): the script is
// `<prefix>/bin/.<name>-<action>.sh`, run by bash (sh when there is no bash) from its folder, with
// conda's variables PREFIX, PKG_NAME, PKG_VERSION, PKG_BUILDNUM (and ROOT_PREFIX, which is the
// prefix itself: env-setup has no base environment) and `<prefix>/bin` first on PATH. A post-link
// script runs in the activated environment (CONDA_PREFIX set, `etc/conda/activate.d/*.sh` sourced
// in name order, then the script sourced), as conda does. The output (stdout and stderr together)
// is kept for the log; what the script leaves in `<prefix>/.messages.txt` is read and the file
// deleted, as conda shows those messages to the user.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';

export type LinkScriptAction = 'post-link' | 'pre-unlink';

export interface LinkScriptRun {
  /** `name-version-build` */
  package: string;
  action: LinkScriptAction;
  script: string;
  exitCode: number | null;
  /** stdout and stderr, interleaved as they came (at most 1 MiB). */
  output: string;
  /** What the script wrote to `$PREFIX/.messages.txt`. */
  messages: string | undefined;
}

export interface LinkScriptPackage {
  name: string;
  version: string;
  buildNumber: number;
  dist: string;
}

export interface RunLinkScriptOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const MAX_OUTPUT = 1024 * 1024;

/** The script's path in the prefix (whether or not it exists). */
export function linkScriptPath(prefix: string, name: string, action: LinkScriptAction): string {
  return join(prefix, 'bin', `.${name}-${action}.sh`);
}

function shell(): string {
  for (const candidate of ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash']) if (existsSync(candidate)) return candidate;
  return '/bin/sh';
}

/** Sources the activation scripts of the prefix, then the script named by $ENV_SETUP_SCRIPT. */
const ACTIVATED = [
  'export CONDA_PREFIX="$PREFIX"',
  'for __env_setup_f in "$PREFIX"/etc/conda/activate.d/*.sh; do',
  '  if [ -f "$__env_setup_f" ]; then . "$__env_setup_f"; fi',
  'done',
  'unset __env_setup_f',
  '. "$ENV_SETUP_SCRIPT"',
].join('\n');

/** Runs the package's `action` script if it has one; undefined when it has none. */
export async function runLinkScript(prefix: string, pkg: LinkScriptPackage, action: LinkScriptAction, options: RunLinkScriptOptions = {}): Promise<LinkScriptRun | undefined> {
  const script = linkScriptPath(prefix, pkg.name, action);
  if (!existsSync(script)) return undefined;
  const base = options.env ?? process.env;
  const env: NodeJS.ProcessEnv = {
    ...base,
    ROOT_PREFIX: prefix,
    PREFIX: prefix,
    PKG_NAME: pkg.name,
    PKG_VERSION: pkg.version,
    PKG_BUILDNUM: String(pkg.buildNumber),
    PATH: [dirname(script), base.PATH ?? ''].filter((p) => p !== '').join(delimiter),
    ENV_SETUP_SCRIPT: script,
  };
  const args = action === 'post-link' ? ['-c', ACTIVATED, `env-setup-${action}`] : [script];
  const { exitCode, output } = await new Promise<{ exitCode: number | null; output: string }>((resolve) => {
    const child = spawn(shell(), args, { cwd: dirname(script), env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    let out = '';
    const take = (chunk: Buffer) => {
      if (out.length < MAX_OUTPUT) out += chunk.toString();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => resolve({ exitCode: -1, output: out + error.message }));
    child.on('close', (code) => resolve({ exitCode: code, output: out.slice(0, MAX_OUTPUT) }));
  });
  return { package: pkg.dist, action, script, exitCode, output, messages: await takeMessages(prefix) };
}

/** Reads and deletes `<prefix>/.messages.txt`. */
export async function takeMessages(prefix: string): Promise<string | undefined> {
  const path = join(prefix, '.messages.txt');
  try {
    const text = await readFile(path, 'utf8');
    await rm(path, { force: true });
    return text;
  } catch {
    return undefined;
  }
}
