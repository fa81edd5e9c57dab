// Reads .condarc files (YAML) and merges them as conda does: lists (`channels`, `default_channels`)
// are concatenated with the higher-precedence file first, maps (`custom_channels`, `proxy_servers`)
// are merged key by key, single values are taken from the highest-precedence file that sets them.
// Only the channel and network settings are read; other keys are left alone. `$VAR` and `${VAR}` in
// values are expanded from the environment, as conda does (tokens are often kept in variables).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { SpecError } from '../spec/errors.ts';
import type { CondarcLocation } from './condarc-search-path.ts';

export type ChannelPriority = 'strict' | 'flexible' | 'disabled';

/** The settings of one .condarc file that concern channels and the network. */
export interface CondarcFile {
  file: string;
  channels?: string[];
  channelAlias?: string;
  defaultChannels?: string[];
  customChannels?: Record<string, string>;
  channelPriority?: ChannelPriority;
  /** `true`, `false`, or the path of a CA bundle. */
  sslVerify?: boolean | string;
  /** conda's `proxy_servers`: `http`, `https` (or `scheme://host`) → proxy URL. */
  proxyServers?: Record<string, string>;
}

/** Several .condarc files merged. */
export interface CondarcSettings {
  /** The files that were read, lowest precedence first. */
  files: string[];
  channels: string[] | undefined;
  channelAlias: string | undefined;
  defaultChannels: string[] | undefined;
  customChannels: Record<string, string>;
  channelPriority: ChannelPriority | undefined;
  sslVerify: boolean | string | undefined;
  proxyServers: Record<string, string>;
}

/** Expands `$NAME` and `${NAME}` from `env`; unknown variables are left as written (like os.path.expandvars). */
export function expandEnvVars(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = env[(braced ?? bare)!];
    return value === undefined ? whole : value;
  });
}

/** conda's spellings of channel_priority: the three names, or true (flexible) / false (disabled). */
export function readChannelPriority(value: unknown): ChannelPriority | undefined {
  if (value === true) return 'flexible';
  if (value === false) return 'disabled';
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'strict' || v === 'flexible' || v === 'disabled') return v;
  if (v === 'true' || v === 'yes' || v === 'on') return 'flexible';
  if (v === 'false' || v === 'no' || v === 'off') return 'disabled';
  return undefined;
}

/** conda's spellings of ssl_verify: booleans, `truststore` (= verify), or a CA bundle path. */
export function readSslVerify(value: unknown): boolean | string | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  const lower = v.toLowerCase();
  if (lower === 'true' || lower === 'yes' || lower === 'on' || lower === 'truststore') return true;
  if (lower === 'false' || lower === 'no' || lower === 'off') return false;
  return v;
}

interface Ctx {
  file: string;
  lines: LineCounter;
  env: NodeJS.ProcessEnv;
}

function errorAtNode(ctx: Ctx, node: Node | null | undefined, message: string): SpecError {
  const offset = node?.range?.[0] ?? 0;
  const pos = ctx.lines.linePos(offset);
  return new SpecError(message, { file: ctx.file, position: { line: pos.line, column: pos.col } });
}

function scalarString(ctx: Ctx, node: unknown, key: string, what: string): string {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return expandEnvVars(String(node.value), ctx.env);
  throw errorAtNode(ctx, node as Node, `"${key}" must be ${what}`);
}

function stringList(ctx: Ctx, node: unknown, key: string, example: string): string[] {
  if (!isSeq(node)) throw errorAtNode(ctx, node as Node, `"${key}" must be a list, e.g.\n${key}:\n  - ${example}`);
  return node.items.map((item) => scalarString(ctx, item, key, `a list of strings such as "${example}"`).trim()).filter((s) => s !== '');
}

function stringMap(ctx: Ctx, node: unknown, key: string, example: string): Record<string, string> {
  if (!isMap(node)) throw errorAtNode(ctx, node as Node, `"${key}" must be a mapping, e.g.\n${key}:\n  ${example}`);
  const out: Record<string, string> = {};
  for (const pair of node.items as Pair[]) {
    const k = scalarString(ctx, pair.key, key, 'a mapping of strings');
    out[k] = scalarString(ctx, pair.value, key, `a mapping of strings, e.g. ${example}`).trim();
  }
  return out;
}

/** Reads the channel and network settings of one .condarc file's text. Throws SpecError (with line and column) on bad YAML or a badly typed setting. */
export function parseCondarc(text: string, file: string, env: NodeJS.ProcessEnv = {}): CondarcFile {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false });
  const ctx: Ctx = { file, lines, env };
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    throw new SpecError(`YAML syntax error in .condarc: ${syntax.message.split('\n')[0]}`, { file, position: { line: pos.line, column: pos.col }, cause: syntax });
  }
  const result: CondarcFile = { file };
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) return result;
  if (!isMap(contents)) throw errorAtNode(ctx, contents, 'a .condarc file must be a YAML mapping of settings such as "channels:"');
  for (const pair of contents.items as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    switch (key) {
      case 'channels':
        result.channels = stringList(ctx, value, key, 'conda-forge');
        break;
      case 'default_channels':
        result.defaultChannels = stringList(ctx, value, key, 'https://repo.anaconda.com/pkgs/main');
        break;
      case 'channel_alias':
        result.channelAlias = scalarString(ctx, value, key, 'a URL such as https://conda.anaconda.org').trim();
        break;
      case 'custom_channels':
        result.customChannels = stringMap(ctx, value, key, 'my-channel: https://conda.example.com');
        break;
      case 'proxy_servers':
        result.proxyServers = stringMap(ctx, value, key, 'https: http://proxy.example.com:8080');
        break;
      case 'channel_priority': {
        const priority = isScalar(value) ? readChannelPriority(value.value) : undefined;
        if (priority === undefined) throw errorAtNode(ctx, value, '"channel_priority" must be strict, flexible or disabled');
        result.channelPriority = priority;
        break;
      }
      case 'ssl_verify': {
        const raw = isScalar(value) ? value.value : undefined;
        const verify = readSslVerify(typeof raw === 'string' ? expandEnvVars(raw, env) : raw);
        if (verify === undefined) throw errorAtNode(ctx, value, '"ssl_verify" must be true, false or the path of a CA bundle');
        result.sslVerify = verify;
        break;
      }
    }
  }
  return result;
}

/** Merges files given lowest precedence first. */
export function mergeCondarc(files: readonly CondarcFile[]): CondarcSettings {
  const out: CondarcSettings = {
    files: files.map((f) => f.file),
    channels: undefined,
    channelAlias: undefined,
    defaultChannels: undefined,
    customChannels: {},
    channelPriority: undefined,
    sslVerify: undefined,
    proxyServers: {},
  };
  for (const f of files) {
    if (f.channels) out.channels = uniqueConcat(f.channels, out.channels ?? []);
    if (f.defaultChannels) out.defaultChannels = uniqueConcat(f.defaultChannels, out.defaultChannels ?? []);
    if (f.channelAlias !== undefined) out.channelAlias = f.channelAlias;
    if (f.channelPriority !== undefined) out.channelPriority = f.channelPriority;
    if (f.sslVerify !== undefined) out.sslVerify = f.sslVerify;
    Object.assign(out.customChannels, f.customChannels);
    Object.assign(out.proxyServers, f.proxyServers);
  }
  return out;
}

/** `first` then the items of `rest` not already in it. */
export function uniqueConcat(first: readonly string[], rest: readonly string[]): string[] {
  return [...new Set([...first, ...rest])];
}

/**
 * Reads the .condarc files at `locations` (missing ones are skipped; `condarc.d` folders give their
 * *.yml/*.yaml files in name order) and then `explicitPath`, which must exist.
 */
export function loadCondarc(locations: readonly CondarcLocation[], env: NodeJS.ProcessEnv, explicitPath?: string): CondarcSettings {
  const files: CondarcFile[] = [];
  for (const loc of locations) {
    for (const path of loc.isDir ? yamlFilesIn(loc.path) : [loc.path]) {
      const text = readIfFile(path);
      if (text !== undefined) files.push(parseCondarc(text, path, env));
    }
  }
  if (explicitPath !== undefined) {
    const text = readIfFile(explicitPath);
    if (text === undefined) throw new SpecError(`the .condarc file ${explicitPath} does not exist or is not a file`, { file: explicitPath });
    files.push(parseCondarc(text, explicitPath, env));
  }
  return mergeCondarc(files);
}

function yamlFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => /\.ya?ml$/i.test(n))
      .sort()
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

function readIfFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
