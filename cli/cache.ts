// `env-setup cache list|clean`: what the local cache store holds (spec files and environment
// tarballs: key, kind, size, age) and removing entries — all of them, or with `--older-than 7d`
// those stored longer ago than that. The store is `<cache dir>/env-cache` (ENV_SETUP_CACHE_DIR or
// --cache-dir to move the cache dir).

import { keyKind } from '../core/cache/cache-keys.ts';
import { LocalStore } from '../core/cache/local-store.ts';
import type { CacheEntry } from '../core/cache/store.ts';
import { formatTtl, parseTtl } from '../core/cache/ttl.ts';
import { SpecError } from '../core/spec/errors.ts';
import type { CommandIo } from './prefix-common.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';

interface CacheArgs {
  action: 'list' | 'clean';
  cacheDir: string | undefined;
  olderThan: number | undefined;
}

function parseArgs(args: string[]): CacheArgs {
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'clean') throw new UsageError(`'cache' needs an action: env-setup cache list, or env-setup cache clean [--older-than 7d]${action === undefined ? '' : ` (not '${action}')`}`);
  const out: CacheArgs = { action, cacheDir: undefined, olderThan: undefined };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = () => optionValue(rest, ++i, a);
    if (a === '--cache-dir') out.cacheDir = value();
    else if (a === '--older-than' && action === 'clean') {
      try {
        out.olderThan = parseTtl(value(), '--older-than');
      } catch (e) {
        if (e instanceof SpecError) throw new UsageError(e.message);
        throw e;
      }
    } else throw new UsageError(`unknown option '${a}' for 'cache ${action}'`);
  }
  return out;
}

const KIND_NAMES = { spec: 'spec file', tarball: 'environment', other: 'other' } as const;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

const age = (entry: CacheEntry, now: number) => formatTtl(Math.max(1000, Math.floor((now - entry.created) / 1000) * 1000)).replace(/^(\d+[a-z])(\d+[a-z]).*$/, '$1$2');

const entryJson = (e: CacheEntry) => ({ key: e.key, kind: keyKind(e.key), size: e.size, created: new Date(e.created).toISOString() });

export async function runCache(argv: string[], io: CommandIo = { json: false }): Promise<CliResult> {
  const args = parseArgs(argv);
  const store = new LocalStore({ cacheDir: args.cacheDir, env: io.env });
  const now = Date.now();
  const entries = await store.list();
  if (args.action === 'list') {
    const total = entries.reduce((n, e) => n + e.size, 0);
    const rows = entries.map((e) => `${KIND_NAMES[keyKind(e.key)].padEnd(11)}  ${size(e.size).padStart(9)}  ${age(e, now).padStart(6)} old  ${e.key}`);
    const summary = `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ${size(total)} in ${store.location}`;
    return { exitCode: 0, text: [...rows, summary].join('\n'), json: { location: store.location, entries: entries.map(entryJson), size: total } };
  }
  const doomed = args.olderThan === undefined ? entries : entries.filter((e) => now - e.created >= args.olderThan!);
  let freed = 0;
  const removed: CacheEntry[] = [];
  for (const e of doomed) {
    if (await store.delete(e.key)) {
      freed += e.size;
      removed.push(e);
    }
  }
  // interrupted writes: temporaries older than an hour
  await store.removeStaleTemporaries(3600_000, now);
  const kept = entries.length - removed.length;
  const text = `removed ${removed.length} entr${removed.length === 1 ? 'y' : 'ies'} (${size(freed)})${args.olderThan === undefined ? '' : ` older than ${formatTtl(args.olderThan)}`}; ${kept} kept in ${store.location}`;
  return { exitCode: 0, text, json: { location: store.location, removed: removed.map(entryJson), freed, kept } };
}
