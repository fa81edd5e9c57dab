// The env-setup command line: parses arguments, calls core, renders text or JSON.
// Exit codes: 0 success, 1 the request cannot be met, 2 bad input (usage or file errors).

import { readFileSync } from 'node:fs';
import { runCheck } from './check.ts';
import { runSolve } from './solve.ts';
import { runSpec } from './spec.ts';
import { type CliResult, UsageError } from './result.ts';

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
    switch (command) {
      case 'spec':
        return emit(runSpec(rest), json);
      case 'check':
        return emit(runCheck(rest), json);
      case 'solve':
        return emit(await runSolve(rest, { json, progress: process.stderr }), json);
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

process.exitCode = await main(process.argv.slice(2));
