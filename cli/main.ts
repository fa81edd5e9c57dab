// The env-setup command line: parses arguments, calls core, renders text or JSON.
// Exit codes: 0 success, 1 the request cannot be met, 2 bad input (usage or file errors).

import { readFileSync } from 'node:fs';
import { declareOneShotProcess } from '../core/install/one-shot-process.ts';
import { type CliResult, UsageError } from './result.ts';

// Each command's module is loaded when it runs (not all at start): loading them all, with what they
// import (the language server, the solver, the installer), costs more than many commands take.
const load = {
  cache: () => import('./cache.ts'),
  check: () => import('./check.ts'),
  create: () => import('./create.ts'),
  install: () => import('./install.ts'),
  list: () => import('./list.ts'),
  lsp: () => import('./lsp.ts'),
  lock: () => import('./lock.ts'),
  remove: () => import('./remove.ts'),
  run: () => import('./run.ts'),
  solve: () => import('./solve.ts'),
  spec: () => import('./spec.ts'),
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const HELP = `env-setup ${pkg.version} — fast, reproducible conda environments

Usage:
  env-setup <command> [options]

Commands:
  spec <spec>...           Read conda match specs and print their canonical form
                           (--strict refuses ambiguous spellings; --record <json> tests a record)
  check [-f FILE]          Read an environment file (environment.yml, explicit or plain spec list)
                           and report errors with file, line and column (default: environment.yml)
  solve [-f FILE] [SPEC...] [-c CHANNEL...] [--platform P] [--virtual-package NAME=VERSION...]
        [--channel-priority strict|flexible|disabled] [--override-channels] [--offline] [--condarc PATH] [--cache-dir DIR]
        [-p PREFIX [--freeze-installed | --update-all]]
                           Solve the environment and list the packages (exit 1 with an explanation
                           naming the file lines involved, when it cannot be solved); repodata is
                           cached (ENV_SETUP_CACHE_DIR). With -p, solve against that installed
                           environment as conda install does, and list what changes
  create [-f FILE] [SPEC...] (-p PREFIX | -n NAME) [--dry-run] [-c CHANNEL...] [--offline]
         [--pkgs-dir DIR] [--no-scripts] [--no-compile] [--copy] [--no-pip]
                           Solve, download and link an environment (default file: environment.yml;
                           -n defaults to the file's name:). An existing environment there is
                           changed to exactly the solved packages; then the file's pip: lines are
                           installed with its pip, as conda does (--no-pip: not). --dry-run shows
                           the plan only
  install (-p PREFIX | -n NAME) SPEC... [--freeze-installed | --update-all] [--dry-run] [-c ...]
                           Add or change packages in an environment, as conda install does
  remove (-p PREFIX | -n NAME) (NAME... [--force] | --all) [--dry-run]
                           Remove packages and the installed packages that depend on them
                           (--force: only the named ones); pre-unlink scripts run
  lock [-f FILE] [--platform P...] [-o FILE] [--format explicit|conda-lock] [-c CHANNEL...]
       [--virtual-package NAME=VERSION...] [--no-cache]
                           Solve for each platform (default: the file's platforms:, else this
                           machine) and write the solves: spec files (@EXPLICIT, conda create
                           --file reads them; conda-<platform>.lock, or -o with {platform}) or one
                           conda-lock.yml. Spec files are also cached, so create skips the solve
  cache list|clean [--older-than 7d] [--cache-dir DIR]
                           The cached spec files and environments (<cache dir>/env-cache), and
                           removing them (all, or those stored longer ago than --older-than)
  list (-p PREFIX | -n NAME)
                           The packages installed in an environment (from its conda-meta)
  lsp --stdio              Run the language server (diagnostics, pins, hovers, completion for
                           environment files) over stdio, for editors that speak LSP
  run (-p PREFIX | -n NAME) [--] CMD [ARG...]
                           Run a command in the activated environment (PATH, CONDA_PREFIX, the
                           file's variables, etc/conda/activate.d scripts); exits with its code

Environments: -n NAME is <envs dir>/NAME; the envs dir is ENV_SETUP_ENVS_DIR, else the first of
CONDA_ENVS_PATH/CONDA_ENVS_DIRS, else ~/.conda/envs. Packages are cached in CONDA_PKGS_DIRS's first
folder, else <cache dir>/pkgs (--pkgs-dir to choose). Changes to an environment are all or nothing:
an interrupted one is rolled back by the next command. Post-link scripts run unless --no-scripts.
Installing is not supported on Windows yet.

Options:
  --json                   Print machine-readable JSON
  -h, --help               Show this help
  -V, --version            Show the version

Exit codes: 0 success, 1 the request cannot be met, 2 bad input.
`;

function emit(result: CliResult, json: boolean): number {
  if (json) process.stdout.write(JSON.stringify(result.json, null, 2) + '\n');
  else {
    if (result.text) process.stdout.write(result.text.endsWith('\n') ? result.text : result.text + '\n');
    if (result.errorText) process.stderr.write(result.errorText.endsWith('\n') ? result.errorText : result.errorText + '\n');
  }
  return result.exitCode;
}

export async function main(argv: string[]): Promise<number> {
  // `run` passes everything after its own options to the command, --json and --help included
  if (argv[0] === 'run' && !(argv.length === 2 && (argv[1] === '-h' || argv[1] === '--help'))) return runCommand(argv.slice(1));
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  try {
    if (args.length === 0 || args[0] === '-h' || args[0] === '--help' || args[0] === 'help') {
      return emit({ exitCode: 0, text: HELP, json: { help: HELP } }, json);
    }
    if (args[0] === '-V' || args[0] === '--version') {
      return emit({ exitCode: 0, text: pkg.version, json: { version: pkg.version } }, json);
    }
    const [command, ...rest] = args;
    if (rest.includes('-h') || rest.includes('--help')) return emit({ exitCode: 0, text: HELP, json: { help: HELP } }, json);
    // one-shot commands tune V8 for it (one-shot-process.ts); the language server lives long
    if (command !== 'lsp') declareOneShotProcess();
    switch (command) {
      case 'spec':
        return emit((await load.spec()).runSpec(rest), json);
      case 'check':
        return emit((await load.check()).runCheck(rest), json);
      case 'solve':
        return emit(await (await load.solve()).runSolve(rest, { json, progress: process.stderr }), json);
      case 'create':
        return emit(await (await load.create()).runCreate(rest, { json, progress: process.stderr }), json);
      case 'install':
        return emit(await (await load.install()).runInstall(rest, { json, progress: process.stderr }), json);
      case 'remove':
        return emit(await (await load.remove()).runRemove(rest, { json, progress: process.stderr }), json);
      case 'list':
        return emit(await (await load.list()).runList(rest, { json }), json);
      case 'lsp':
        return await (await load.lsp()).runLsp(rest);
      case 'lock':
        return emit(await (await load.lock()).runLock(rest, { json, progress: process.stderr }), json);
      case 'cache':
        return emit(await (await load.cache()).runCache(rest, { json }), json);
      default:
        throw new UsageError(`unknown command '${command}'; run 'env-setup --help' for the list`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      if (json) process.stdout.write(JSON.stringify({ error: e.message }, null, 2) + '\n');
      else process.stderr.write(`env-setup: ${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    if (json) process.stdout.write(JSON.stringify({ error: `internal error: ${message}` }, null, 2) + '\n');
    else process.stderr.write(`env-setup: internal error: ${message}\nPlease report this with the command you ran.\n`);
    return 1;
  }
}

async function runCommand(args: string[]): Promise<number> {
  try {
    return emit(await (await load.run()).runRun(args), false);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`env-setup: ${e instanceof UsageError ? '' : 'internal error: '}${message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
