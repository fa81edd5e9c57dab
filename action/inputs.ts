// The action's inputs (action.yml), read from the INPUT_* variables the runner sets and validated:
// a bad value fails the step with a message naming the input and the values it accepts. Defaults
// here match action.yml, so the action behaves the same when run outside a runner.

import { parseTtl, type Ttl } from '../core/cache/ttl.ts';
import type { ChannelPriority } from '../core/solve/conda-solver.ts';

export class InputError extends Error {
  constructor(input: string, message: string) {
    super(`input '${input}': ${message}`);
    this.name = 'InputError';
  }
}

export type LogLevel = 'debug' | 'info' | 'warning';

export interface ActionInputs {
  environmentFile: string;
  /** Whether environment-file was given (a missing default file is fine when create-args name specs). */
  environmentFileGiven: boolean;
  environmentName: string | undefined;
  prefix: string | undefined;
  createArgs: string[];
  channels: string[];
  channelPriority: ChannelPriority | undefined;
  platform: string | undefined;
  condarc: string | undefined;
  condarcFile: string | undefined;
  cacheSpec: boolean;
  specTtl: Ttl;
  cacheEnvironment: boolean;
  environmentTtl: Ttl;
  environmentCacheMaxSize: number;
  cachePackages: boolean;
  cacheKey: string | undefined;
  simple: boolean;
  postLinkScripts: boolean;
  activate: boolean;
  prewarm: boolean;
  timingArtifact: string | undefined;
  summary: boolean;
  logLevel: LogLevel;
  cacheWrite: boolean;
  authToken: string | undefined;
  authHost: string | undefined;
}

/** Every input the action declares, with its default (as in action.yml). */
export const INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  'environment-file': 'environment.yml',
  'environment-name': '',
  prefix: '',
  'create-args': '',
  channels: '',
  'channel-priority': '',
  platform: '',
  condarc: '',
  'condarc-file': '',
  'cache-spec': 'true',
  'spec-ttl': '24h',
  'cache-environment': 'true',
  'environment-ttl': '24h',
  'environment-cache-max-size': '4GB',
  'cache-packages': 'true',
  'cache-key': '',
  simple: 'false',
  'post-link-scripts': 'true',
  activate: 'true',
  prewarm: 'false',
  'timing-artifact': 'env-setup-timings',
  summary: 'true',
  'log-level': 'info',
  'cache-write': 'true',
  'auth-token': '',
  'auth-host': '',
};

function raw(env: NodeJS.ProcessEnv, name: string): { value: string; given: boolean } {
  const v = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  if (v === undefined || v.trim() === '') return { value: INPUT_DEFAULTS[name] ?? '', given: false };
  return { value: v.trim(), given: true };
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean {
  const { value } = raw(env, name);
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(name, `'${value}' is not a boolean; use true or false`);
}

/** The log-level input alone, for the post step (the main step validated it): `info` when unreadable. */
export function readLogLevel(env: NodeJS.ProcessEnv): LogLevel {
  try {
    return choice(env, 'log-level', LOG_LEVELS) ?? 'info';
  } catch {
    return 'info';
  }
}

const LOG_LEVELS = ['debug', 'info', 'warning'] as const;

function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, accepted: readonly T[]): T | undefined {
  const { value } = raw(env, name);
  if (value === '') return undefined;
  if (!(accepted as readonly string[]).includes(value)) throw new InputError(name, `'${value}' is not one of ${accepted.join(', ')}`);
  return value as T;
}

function ttl(env: NodeJS.ProcessEnv, name: string): Ttl {
  try {
    return parseTtl(raw(env, name).value, name);
  } catch (e) {
    throw new InputError(name, (e as Error).message.replace(`${name}: `, ''));
  }
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** `4GB`, `500MB`, `2GiB`, `0` (never cache the environment as a tarball). */
export function parseSize(text: string, input: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m === null ? undefined : SIZE_UNITS[m[2]!.toLowerCase()];
  if (m === null || unit === undefined) throw new InputError(input, `'${text}' is not a size; write e.g. 4GB, 500MB, 2GiB or 0`);
  return Math.round(Number(m[1]) * unit);
}

/** A list input: one item a line or separated by commas/spaces (`create-args`, `channels`). */
function list(env: NodeJS.ProcessEnv, name: string, separators: RegExp): string[] {
  return raw(env, name)
    .value.split('\n')
    .flatMap((line) => line.replace(/(^|\s)#.*$/, '').split(separators))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads and validates every input; throws InputError naming the first bad one. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const text = (name: string) => raw(env, name).value || undefined;
  const platform = text('platform');
  if (platform !== undefined && !/^(linux|osx|win)-(64|32|aarch64|arm64|ppc64le|s390x|armv7l)$|^noarch$/.test(platform)) {
    throw new InputError('platform', `'${platform}' is not a conda platform; use e.g. linux-64, linux-aarch64, osx-64, osx-arm64`);
  }
  const cacheKey = text('cache-key');
  if (cacheKey !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(cacheKey)) throw new InputError('cache-key', `'${cacheKey}' may only hold letters, digits, '.', '_' and '-' (at most 64)`);
  const authToken = text('auth-token');
  const authHost = text('auth-host');
  if ((authToken === undefined) !== (authHost === undefined)) throw new InputError(authToken === undefined ? 'auth-token' : 'auth-host', 'auth-token and auth-host go together: give both or neither');
  const condarc = text('condarc');
  const condarcFile = text('condarc-file');
  if (condarc !== undefined && condarcFile !== undefined) throw new InputError('condarc', 'give condarc (the text) or condarc-file (a path), not both');
  const artifact = raw(env, 'timing-artifact');
  if (artifact.value !== '' && /[":<>|*?\r\n\\/]/.test(artifact.value)) throw new InputError('timing-artifact', `'${artifact.value}' cannot be an artifact name (no " : < > | * ? \\ / or line breaks)`);
  return {
    environmentFile: raw(env, 'environment-file').value,
    environmentFileGiven: raw(env, 'environment-file').given,
    environmentName: text('environment-name'),
    prefix: text('prefix'),
    createArgs: list(env, 'create-args', /[\s]+/),
    channels: list(env, 'channels', /[\s,]+/),
    channelPriority: choice(env, 'channel-priority', ['strict', 'flexible', 'disabled'] as const),
    platform,
    condarc,
    condarcFile,
    cacheSpec: bool(env, 'cache-spec'),
    specTtl: ttl(env, 'spec-ttl'),
    cacheEnvironment: bool(env, 'cache-environment'),
    environmentTtl: ttl(env, 'environment-ttl'),
    environmentCacheMaxSize: parseSize(raw(env, 'environment-cache-max-size').value, 'environment-cache-max-size'),
    cachePackages: bool(env, 'cache-packages'),
    cacheKey,
    simple: bool(env, 'simple'),
    postLinkScripts: bool(env, 'post-link-scripts'),
    activate: bool(env, 'activate'),
    prewarm: bool(env, 'prewarm'),
    // an input given as the empty string disables the upload; the runner passes the default otherwise
    timingArtifact: env['INPUT_TIMING-ARTIFACT'] !== undefined && env['INPUT_TIMING-ARTIFACT'].trim() === '' ? undefined : artifact.value || undefined,
    summary: bool(env, 'summary'),
    logLevel: choice(env, 'log-level', LOG_LEVELS) ?? 'info',
    cacheWrite: bool(env, 'cache-write'),
    authToken,
    authHost,
  };
}
