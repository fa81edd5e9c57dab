// The integrity scan of an environment: every path a `conda-meta/*.json` PrefixRecord lists in its
// `paths_data` is compared with what is on disk, as conda's own verification does it —
//
//   files          SHA-256 against `sha256_in_prefix` (what linking wrote), else `sha256` (the
//                  package's); the size against `size_in_bytes` unless the file has a prefix
//                  placeholder (the recorded size is the package's, before the prefix went in)
//   symbolic links must be symbolic links (their targets are files checked on their own)
//   skipped        folders, and paths without a recorded hash (byte-compiled .pyc files, entry
//                  points): conda does not record what they hold
//
// A path two records list with different contents (a clobbered file) is checked for existence only.
// `expectedFiles` is also what a restore checks while extracting (env-tarball-restore.ts), so the
// bytes are hashed as they pass instead of being read back. Simple mode (`ENV_SETUP_SIMPLE=1`, the
// `--simple` flag) skips the scan and trusts the cache key: see `isSimpleMode`.

import { createHash } from 'node:crypto';
import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TaskPool } from '../install/task-pool.ts';
import { Tracer } from '../timing/tracer.ts';

/** What one listed path must be. */
export interface ExpectedFile {
  /** `name-version-build` of the record listing it. */
  package: string;
  /** 'any' when two records disagree on it (only existence is checked then). */
  type: 'file' | 'softlink' | 'any';
  /** Undefined when two records disagree (only existence and type are checked). */
  sha256: string | undefined;
  size: number | undefined;
}

export interface ScanDifference {
  /** Prefix-relative path. */
  path: string;
  package: string;
  problem: 'missing' | 'type' | 'size' | 'sha256';
  expected: string;
  actual: string;
}

export interface ScanResult {
  ok: boolean;
  /** Paths compared. */
  checked: number;
  /** Bytes hashed. */
  bytes: number;
  differences: ScanDifference[];
}

export interface PrefixRecordFile {
  /** conda-meta file name (`numpy-1.26.4-py312h0_0.json`). */
  file: string;
  json: Record<string, unknown>;
}

/** Whether simple mode is on: `ENV_SETUP_SIMPLE` set to 1 / true / yes (any case). */
export function isSimpleMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes|on)$/i.test((env.ENV_SETUP_SIMPLE ?? '').trim());
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const HEX64 = /^[0-9a-f]{64}$/i;

/**
 * The conda-meta/*.json records of `prefix`, sorted by file name: its regular files only, each
 * opened without following a link or waiting on a FIFO (a restore reads them from an archive not yet
 * trusted); one that is not a JSON object, or larger than 256 MiB, is skipped: it lists nothing to
 * check. Throws when conda-meta cannot be listed.
 */
export function readRecordFiles(prefix: string): PrefixRecordFile[] {
  const dir = join(prefix, 'conda-meta');
  const out: PrefixRecordFile[] = [];
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.json'))
    .map((d) => d.name)
    .sort();
  for (const file of files) {
    const text = readRegularFile(join(dir, file), RECORD_LIMIT);
    if (text === undefined) continue;
    try {
      const json: unknown = JSON.parse(text);
      if (isObject(json)) out.push({ file, json });
    } catch {
      // not a record
    }
  }
  return out;
}

const RECORD_LIMIT = 256 << 20;

/**
 * A regular file's text, read without following a link in its last place or waiting on a FIFO;
 * undefined when it is something else, cannot be opened, or is larger than `limit` bytes.
 */
export function readRegularFile(path: string, limit: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > limit) return undefined;
    const buf = Buffer.alloc(st.size);
    let n = 0;
    for (let got; n < buf.length && (got = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += got;
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** `name-version-build` of a record (its file name without `.json` when the fields are missing). */
export function recordDist(record: PrefixRecordFile): string {
  const { name, version, build } = record.json;
  return typeof name === 'string' && typeof version === 'string' && typeof build === 'string' ? `${name}-${version}-${build}` : record.file.replace(/\.json$/, '');
}

/** Every path the records list that the scan checks (see the header), by prefix-relative path. */
export function expectedFiles(records: readonly PrefixRecordFile[]): Map<string, ExpectedFile> {
  const out = new Map<string, ExpectedFile>();
  for (const record of records) {
    const pathsData = record.json.paths_data;
    if (!isObject(pathsData) || !Array.isArray(pathsData.paths)) continue;
    const dist = recordDist(record);
    for (const entry of pathsData.paths as unknown[]) {
      if (!isObject(entry) || typeof entry._path !== 'string') continue;
      const type = entry.path_type ?? 'hardlink';
      let expected: ExpectedFile;
      if (type === 'softlink') expected = { package: dist, type: 'softlink', sha256: undefined, size: undefined };
      else if (type === 'directory') continue;
      else {
        const hash = typeof entry.sha256_in_prefix === 'string' ? entry.sha256_in_prefix : typeof entry.sha256 === 'string' ? entry.sha256 : undefined;
        if (hash === undefined || !HEX64.test(hash)) continue;
        const placeholder = typeof entry.prefix_placeholder === 'string' && entry.prefix_placeholder !== '';
        const size = !placeholder && typeof entry.size_in_bytes === 'number' ? entry.size_in_bytes : undefined;
        expected = { package: dist, type: 'file', sha256: hash.toLowerCase(), size };
      }
      const before = out.get(entry._path);
      if (before !== undefined && (before.type !== expected.type || before.sha256 !== expected.sha256)) {
        out.set(entry._path, { package: before.package, type: before.type === expected.type ? before.type : 'any', sha256: undefined, size: undefined });
      } else out.set(entry._path, expected);
    }
  }
  return out;
}

const EXPECTED_TEXT = { file: 'a file', softlink: 'a symbolic link', any: 'a file or link' } as const;

/** Compares one file's facts with what is expected of it; undefined when they agree. */
export function compareFile(path: string, expected: ExpectedFile, actual: { type: 'file' | 'softlink' | 'dir' | 'other'; size?: number; sha256?: string }): ScanDifference | undefined {
  const base = { path, package: expected.package };
  if (expected.type !== 'any' && actual.type !== expected.type) {
    return { ...base, problem: 'type', expected: EXPECTED_TEXT[expected.type], actual: { file: 'a file', softlink: 'a symbolic link', dir: 'a folder', other: 'something else' }[actual.type] };
  }
  if (expected.size !== undefined && actual.size !== undefined && actual.size !== expected.size) return { ...base, problem: 'size', expected: `${expected.size} bytes`, actual: `${actual.size} bytes` };
  if (expected.sha256 !== undefined && actual.sha256 !== undefined && actual.sha256 !== expected.sha256) return { ...base, problem: 'sha256', expected: expected.sha256, actual: actual.sha256 };
  return undefined;
}

export interface ScanOptions {
  /** Files read at once. Default 8. */
  concurrency?: number;
  tracer?: Tracer;
  signal?: AbortSignal;
}

const STREAM_ABOVE = 8 << 20;

/** Scans `prefix` from disk (see the header); reports the span `cache.scan`. */
export async function scanPrefix(prefix: string, options: ScanOptions = {}): Promise<ScanResult> {
  const tracer = options.tracer ?? Tracer.disabled();
  const root = resolve(prefix);
  return tracer.span('cache.scan', async (span) => {
    const expected = expectedFiles(readRecordFiles(root));
    const pool = new TaskPool(options.concurrency ?? 8);
    const differences: ScanDifference[] = [];
    let bytes = 0;
    await Promise.all(
      [...expected].map(([path, want]) =>
        pool.run(async () => {
          options.signal?.throwIfAborted();
          const abs = join(root, path);
          const st = await lstat(abs).catch(() => undefined);
          if (st === undefined) {
            differences.push({ path, package: want.package, problem: 'missing', expected: EXPECTED_TEXT[want.type], actual: 'nothing' });
            return;
          }
          const type = st.isSymbolicLink() ? 'softlink' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
          let sha256: string | undefined;
          if (type === 'file' && want.sha256 !== undefined && (want.size === undefined || want.size === st.size)) {
            sha256 = await hashPath(abs, st.size);
            bytes += st.size;
          }
          const difference = compareFile(path, want, { type, size: type === 'file' ? st.size : undefined, sha256 });
          if (difference) differences.push(difference);
        }),
      ),
    );
    differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    span.addAttributes({ mode: 'disk', checked: expected.size, bytes, differences: differences.length });
    return { ok: differences.length === 0, checked: expected.size, bytes, differences };
  });
}

async function hashPath(abs: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size <= STREAM_ABOVE) hash.update(await readFile(abs));
  else for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One line per difference, for a warning (at most `limit` lines, then a count of the rest). */
export function describeDifferences(differences: readonly ScanDifference[], limit = 10): string {
  const lines = differences.slice(0, limit).map((d) => `${d.path} (${d.package}): ${d.problem === 'missing' ? 'missing' : `${d.problem} is ${d.actual}, expected ${d.expected}`}`);
  if (differences.length > limit) lines.push(`… and ${differences.length - limit} more`);
  return lines.join('\n');
}
