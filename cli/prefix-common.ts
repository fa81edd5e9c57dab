// What `create`, `install`, `remove`, `list` and `run` share: choosing the prefix (`-p PATH`, or
// `-n NAME` under the envs folder: ENV_SETUP_ENVS_DIR, else the first of CONDA_ENVS_PATH /
// CONDA_ENVS_DIRS, else ~/.conda/envs — where conda looks for named environments too), the channel
// options, fetching the packages to link and running the transaction with progress on stderr, and
// turning results and errors into CliResults with the documented exit codes.

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { EnvTarballError } from '../core/cache/env-tarball-errors.ts';
import { ChannelError } from '../core/channel/errors.ts';
import { PipError } from '../core/create/pip-requirements.ts';
import { InstallError } from '../core/install/errors.ts';
import type { FetchedPackage, FetchRecord } from '../core/install/fetch-packages.ts';
import { installProgressReporter } from '../core/install/progress-reporter.ts';
import type { TransactionOptions, TransactionResult } from '../core/install/transaction.ts';
import type { InstalledPackage } from '../core/install/transaction-plan.ts';
import type { ChannelPriority } from '../core/solve/conda-solver.ts';
import { SpecError } from '../core/spec/errors.ts';
import type { Tracer } from '../core/timing/index.ts';
import type { ProgressStream } from './progress.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';

export interface CommandIo {
  json: boolean;
  /** Where progress goes (stderr); omitted, none is shown. */
  progress?: ProgressStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

/** The folder named environments live in (see the header). */
export function envsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ENV_SETUP_ENVS_DIR) return env.ENV_SETUP_ENVS_DIR;
  for (const key of ['CONDA_ENVS_PATH', 'CONDA_ENVS_DIRS']) {
    const first = (env[key] ?? '')
      .split(/[,:]/)
      .map((s) => s.trim())
      .find((s) => s !== '');
    if (first) return first === '~' || first.startsWith('~/') ? join(env.HOME ?? homedir(), first.slice(1)) : first;
  }
  return join(env.HOME ?? homedir(), '.conda', 'envs');
}

/** The prefix of `-p PATH` or `-n NAME` (exactly one of them). */
export function resolvePrefixArg(prefix: string | undefined, name: string | undefined, command: string, env: NodeJS.ProcessEnv = process.env): string {
  if (prefix !== undefined && name !== undefined) throw new UsageError(`'${command}' takes -p PREFIX or -n NAME, not both`);
  if (prefix !== undefined) return resolve(prefix);
  if (name !== undefined) {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || isAbsolute(name)) throw new UsageError(`-n takes an environment name, not a path ('${name}'); use -p for a path`);
    return join(envsDir(env), name);
  }
  throw new UsageError(`'${command}' needs the environment: -p PREFIX or -n NAME`);
}

/** Channel and cache options shared by the commands that solve. */
export interface ChannelArgs {
  channels: string[];
  channelPriority: ChannelPriority | undefined;
  offline: boolean;
  condarc: string | undefined;
  cacheDir: string | undefined;
  pkgsDir: string | undefined;
  overrideChannels: boolean;
}

export const emptyChannelArgs = (): ChannelArgs => ({ channels: [], channelPriority: undefined, offline: false, condarc: undefined, cacheDir: undefined, pkgsDir: undefined, overrideChannels: false });

/** Reads one channel option at `args[i]` into `out`; the index of the last argument used, or -1 when `args[i]` is not one. */
export function channelOption(args: readonly string[], i: number, out: ChannelArgs): number {
  const a = args[i]!;
  const value = () => optionValue(args, i + 1, a);
  if (a === '-c' || a === '--channel') out.channels.push(value());
  else if (a === '--channel-priority') {
    const v = value();
    if (v !== 'strict' && v !== 'flexible' && v !== 'disabled') throw new UsageError(`--channel-priority must be strict, flexible or disabled, not '${v}'`);
    out.channelPriority = v;
  } else if (a === '--condarc') out.condarc = value();
  else if (a === '--cache-dir') out.cacheDir = value();
  else if (a === '--pkgs-dir') out.pkgsDir = value();
  else if (a === '--offline') return ((out.offline = true), i);
  else if (a === '--override-channels') return ((out.overrideChannels = true), i);
  else return -1;
  return i + 1;
}

/** Options of the transaction that the commands pass through. */
export interface LinkArgs {
  runScripts: boolean;
  compile: boolean;
  copy: boolean;
}

export const defaultLinkArgs = (): LinkArgs => ({ runScripts: true, compile: true, copy: false });

export function linkOption(a: string, out: LinkArgs): boolean {
  if (a === '--no-scripts') out.runScripts = false;
  else if (a === '--no-compile') out.compile = false;
  else if (a === '--copy') out.copy = true;
  else return false;
  return true;
}

export interface ApplyOptions {
  prefix: string;
  link: readonly FetchRecord[];
  unlink: readonly InstalledPackage[];
  channel: ChannelArgs;
  linkArgs: LinkArgs;
  tracer: Tracer;
  io: CommandIo;
  transaction: Pick<TransactionOptions, 'requestedSpecs' | 'history' | 'envVars'>;
}

/** Fetches the packages to link (progress on stderr) and runs the transaction. */
export async function applyChanges(o: ApplyOptions): Promise<{ result: TransactionResult; fetched: FetchedPackage[] }> {
  const tty = o.io.progress?.isTTY === true;
  const show = o.io.progress !== undefined && (tty || !o.io.json);
  const reporter = show && o.link.length > 0 ? installProgressReporter(o.io.progress!, { tty }) : undefined;
  const write = (line: string) => {
    if (show) o.io.progress!.write(line + '\n');
  };
  const { installPackages } = await import('../core/install/install-packages.ts');
  const { result, fetched } = await installPackages({
    prefix: o.prefix,
    link: o.link,
    unlink: o.unlink,
    pkgsDir: o.channel.pkgsDir,
    env: o.io.env,
    offline: o.channel.offline,
    tracer: o.tracer,
    onFetchProgress: reporter?.onProgress,
    onFetched: () => {
      reporter?.finish();
      if (o.link.length + o.unlink.length > 0) write(`linking: ${o.unlink.length} to remove, ${o.link.length} to add in ${o.prefix}`);
    },
    transaction: { ...o.transaction, runScripts: o.linkArgs.runScripts, compile: o.linkArgs.compile, linkMode: o.linkArgs.copy ? 'copy' : 'auto' },
    onEvent: (e) => {
      if (e.type === 'script') write(`${e.run.action} script of ${e.run.package}: exit ${e.run.exitCode}${e.run.output.trim() ? `\n${indent(e.run.output.trim())}` : ''}`);
      else if (e.type === 'rollback') write(`rolling back: ${e.reason.split('\n')[0]}`);
    },
  }).finally(() => reporter?.finish());
  return { result, fetched };
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/** The warnings and script messages of a transaction, for stderr. */
export function transactionNotes(result: TransactionResult): string {
  const lines = result.warnings.map((w) => `warning: ${w}`);
  for (const m of result.messages) lines.push(`message from a package script:\n${indent(m.trim())}`);
  return lines.join('\n');
}

/** The JSON of a transaction's outcome (the parts every command prints). */
export function transactionJson(result: TransactionResult): Record<string, unknown> {
  return {
    linked: result.linked,
    unlinked: result.unlinked,
    warnings: result.warnings,
    clobbers: result.clobbers,
    scripts: result.scripts.map((s) => ({ package: s.package, action: s.action, exitCode: s.exitCode, output: s.output, messages: s.messages })),
    messages: result.messages,
    counts: result.counts,
    recovered: result.recovered.kind,
  };
}

/** The CliResult of the errors commands expect; undefined for others (main reports those as internal errors). */
export function errorResult(e: unknown, timings?: unknown): CliResult | undefined {
  const extra = timings === undefined ? {} : { timings };
  if (e instanceof SpecError) return { exitCode: 2, text: '', errorText: `error: ${e.message}`, json: { error: { kind: 'bad-input', message: e.message }, ...extra } };
  if (e instanceof ChannelError) return { exitCode: e.exitCode, text: '', errorText: `error: ${e.message}`, json: { error: { kind: e.kind, message: e.message, url: e.url }, ...extra } };
  if (e instanceof EnvTarballError) {
    return { exitCode: e.kind === 'prefix' ? 2 : 1, text: '', errorText: `error: ${e.message}`, json: { error: { kind: `environment-${e.kind}`, message: e.message, file: e.file }, ...extra } };
  }
  if (e instanceof PipError) return { exitCode: e.exitCode, text: '', errorText: `error: ${e.message}`, json: { error: { kind: e.kind === 'no-python' ? 'pip-no-python' : 'pip', message: e.message }, ...extra } };
  if (e instanceof InstallError) {
    return { exitCode: e.exitCode, text: '', errorText: `error: ${e.message}`, json: { error: { kind: e.kind, message: e.message, package: e.package, file: e.file, url: e.url }, ...extra } };
  }
  return undefined;
}

/** `name  version  build  channel` rows with a `+`/`-` mark, aligned. */
export function changeTable(rows: readonly (readonly [string, { name: string; version: string; build: string; channel?: string }])[]): string {
  const width = Math.max(0, ...rows.map(([, p]) => p.name.length));
  return rows.map(([m, p]) => `${m} ${p.name.padEnd(width)}  ${p.version}  ${p.build}${p.channel ? `  ${p.channel}` : ''}`).join('\n');
}
