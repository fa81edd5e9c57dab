// The `pip:` requirements of an environment file, installed as `conda env create` installs them
// (conda/env/installers/pip.py `_pip_install_via_requirements`, conda/env/pip_util.py
// `pip_subprocess`): after the conda packages are linked, the lines are written to a temporary
// `condaenv.<random>.requirements.txt` in the environment file's folder — so `-r requirements.txt`,
// `-e ./src`, `--find-links wheels` and `./local-pkg` resolve against that folder — and
//
//   <prefix>/bin/python -m pip install -U -r <that file> --exists-action=b
//
// runs with that folder as its working directory, in the activated environment
// (activated-command.ts); the file is deleted afterwards. When the folder is not writable the file
// goes to the system temp folder, as conda's does (pip still runs in the environment file's
// folder). pip's output (stdout and stderr together) is passed on as it comes and kept; what it
// reports as "Successfully installed" is returned, as conda returns it. A failing pip, or a prefix
// with no `bin/python` to run it with, is a PipError (the CLI's exit 1) whose message ends with
// the tail of pip's output. Span: `install.pip`.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, constants, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { redactUrlsInText } from '../spec/url-credentials.ts';
import { Tracer } from '../timing/tracer.ts';
import { activatedCommand } from './activated-command.ts';

export interface PipInstallOptions {
  prefix: string;
  /** The `pip:` lines of the environment file, as written. */
  requirements: readonly string[];
  /** The environment file: its folder holds the temporary requirements file and is pip's working directory. */
  environmentFile: string;
  env?: NodeJS.ProcessEnv;
  tracer?: Tracer;
  /** The command about to run (for the log; the requirements file by its name only). */
  onStart?: (command: string) => void;
  /** pip's output as it comes (stdout and stderr together). */
  onOutput?: (text: string) => void;
}

export interface PipInstallResult {
  /** What ran, for the log. */
  command: string;
  /** pip's output, stdout and stderr interleaved (the last 1 MiB). */
  output: string;
  /** `name-version` of what pip says it installed (its "Successfully installed" line); empty when it installed nothing new. */
  installed: string[];
}

export class PipError extends Error {
  /** 'no-python': the prefix has no bin/python; 'failed': pip could not be run or exited with an error. */
  readonly kind: 'no-python' | 'failed';
  /** pip's output (the last 1 MiB), when it ran. */
  readonly output: string | undefined;
  readonly exitCode = 1;
  constructor(kind: 'no-python' | 'failed', message: string, output?: string) {
    super(message);
    this.name = 'PipError';
    this.kind = kind;
    this.output = output;
  }
}

const MAX_OUTPUT = 1024 * 1024;
const TAIL_LINES = 25;

/** A pip line safe to show: passwords and channel tokens in its URLs removed. */
export function shownPipLine(line: string): string {
  return redactUrlsInText(line);
}

/** The last `count` lines of `text`, indented, for an error message. */
export function outputTail(text: string, count = TAIL_LINES): string {
  const lines = text.trimEnd().split(/\r?\n/);
  const shown = lines.slice(-count).map((l) => `    ${l}`);
  return (lines.length > count ? ['    …', ...shown] : shown).join('\n');
}

/** The packages pip reports in its "Successfully installed a-1 b-2" line (conda's get_pip_installed_packages). */
export function pipInstalled(output: string): string[] {
  const m = /Successfully installed (.*)/.exec(output);
  return m === null ? [] : m[1]!.trim().split(/\s+/);
}

/** Writes the requirements file next to the environment file (or in the temp folder when that is read-only); its path. */
async function writeRequirementsFile(folder: string, lines: readonly string[]): Promise<string> {
  const name = `condaenv.${randomBytes(4).toString('hex')}.requirements.txt`;
  const text = `${lines.join('\n')}\n`;
  const writable = await access(folder, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (writable) {
    try {
      const path = join(folder, name);
      // the lines may hold index credentials: readable by the user only, and never left behind
      await writeFile(path, text, { flag: 'wx', mode: 0o600 });
      return path;
    } catch {
      // a read-only file system, say: the temp folder, as conda does
    }
  }
  const path = join(tmpdir(), name);
  await writeFile(path, text, { flag: 'wx', mode: 0o600 });
  return path;
}

/** Runs pip for the requirements (see the header); throws PipError when it fails. */
export async function installPipRequirements(options: PipInstallOptions): Promise<PipInstallResult> {
  const tracer = options.tracer ?? Tracer.disabled();
  const { prefix, requirements } = options;
  const environmentFile = resolve(options.environmentFile);
  const python = join(prefix, 'bin', 'python');
  if (!existsSync(python)) {
    throw new PipError(
      'no-python',
      `${options.environmentFile} has ${requirements.length} pip requirement(s), but the environment at ${prefix} has no bin/python to run pip with: add python and pip to the file's dependencies`,
    );
  }
  return tracer.span(
    'install.pip',
    async (span) => {
      const folder = dirname(environmentFile);
      const file = await writeRequirementsFile(folder, requirements);
      const pipArgs = ['-m', 'pip', 'install', '-U', '-r', file, '--exists-action=b'];
      const shownFile = dirname(file) === folder ? basename(file) : file;
      const command = [python, ...pipArgs.map((a) => (a === file ? shownFile : a))].join(' ');
      try {
        options.onStart?.(command);
        const run = await activatedCommand(prefix, options.env ?? process.env, [python, ...pipArgs]);
        const { exitCode, signal, output, error } = await new Promise<{ exitCode: number | null; signal: string | null; output: string; error?: string }>((done) => {
          const child = spawn(run.file, run.args, { cwd: folder, env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          const take = (chunk: Buffer) => {
            const text = chunk.toString();
            options.onOutput?.(text);
            out += text;
            if (out.length > 2 * MAX_OUTPUT) out = out.slice(-MAX_OUTPUT);
          };
          child.stdout.on('data', take);
          child.stderr.on('data', take);
          child.on('error', (e) => done({ exitCode: null, signal: null, output: out.slice(-MAX_OUTPUT), error: e.message }));
          child.on('close', (code, sig) => done({ exitCode: code, signal: sig, output: out.slice(-MAX_OUTPUT) }));
        });
        span.setAttribute('exitCode', exitCode ?? -1);
        if (exitCode !== 0) {
          const why = error !== undefined ? `could not be run (${error})` : signal !== null ? `was stopped by ${signal}` : `failed (exit ${exitCode})`;
          const hint = /No module named pip\b/.test(output) ? "\nthe environment has python but not pip: add pip to the file's dependencies" : '';
          const tail = output.trim() === '' ? '' : `; its output ends:\n${outputTail(output)}`;
          throw new PipError('failed', `pip ${why} installing the pip requirements of ${options.environmentFile} into ${prefix}${tail}${hint}`, output);
        }
        const installed = pipInstalled(output);
        span.setAttribute('installed', installed.length);
        return { command, output, installed };
      } finally {
        await rm(file, { force: true });
      }
    },
    { requirements: requirements.length },
  );
}
