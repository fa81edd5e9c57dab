// Moves a restored environment to another prefix path: the files that hold the prefix are rewritten
// from the path the environment was installed at (`from`, what the files hold now — not the
// package's build placeholder) to the new one (`to`), as conda's linking would have written them:
//
//   placeholder files   every path a PrefixRecord lists with a `prefix_placeholder`: text mode
//                       replaces `from` everywhere (long or spaced shebangs then become
//                       `#!/usr/bin/env tool`, link-prefix-replace.ts); binary mode keeps the
//                       file's length, each C string holding `from` rewritten in the room the
//                       build placeholder left (its NUL padding), so a new prefix longer than the
//                       placeholder cannot be done: EnvTarballError 'relocate' (install from the spec
//                       file instead). Binaries of osx-arm64 packages are re-signed on a Mac.
//   entry points        (`unix_python_entry_point`) get the shebang for the new python path
//   conda-meta          the rewritten files' `sha256_in_prefix` (so a later scan passes), and the
//                       old path in `history` (`# cmd: … -p /old/path`)
//
// Rewritten files keep their mode and modification time (a .py file's pyc stays valid). What no
// record lists — files left by post-link scripts, the source paths inside .pyc files (tracebacks
// only) — is not touched: link-script-policy.ts turns tarballs off for packages with such scripts.
// `root` is where the files are now (the restore's temporary folder); `to` is where they will live.

import { createHash } from 'node:crypto';
import { lstat, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codesign, needsCodesign } from '../install/link-codesign.ts';
import { writeJsonFileSync } from '../install/json-parts.ts';
import { replaceAll, rewriteForPrefix } from '../install/link-prefix-replace.ts';
import { entryPointShebang } from '../install/link-python.ts';
import { TaskPool } from '../install/task-pool.ts';
import { Tracer } from '../timing/tracer.ts';
import { EnvTarballError } from './env-tarball-errors.ts';
import { readRecordFiles, recordDist, type PrefixRecordFile } from './env-tarball-scan.ts';

export interface RelocateOptions {
  /** The folder holding the environment now. */
  root: string;
  /** The prefix path the environment was installed at (the manifest's). */
  from: string;
  /** The prefix path it is moving to. */
  to: string;
  /** Defaults to process.platform (decides re-signing). */
  platform?: NodeJS.Platform;
  /** Re-signs a rewritten binary; default `codesign -s -`. Returns a problem, or undefined. */
  codesign?: (path: string) => Promise<string | undefined>;
  tracer?: Tracer;
}

export interface RelocateResult {
  /** Placeholder files whose content changed. */
  rewritten: number;
  entryPoints: number;
  /** conda-meta records written again. */
  records: number;
  /** Re-signing problems (warnings). */
  warnings: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

interface Job {
  record: PrefixRecordFile;
  entry: Record<string, unknown>;
  path: string;
  kind: 'text' | 'binary' | 'entry-point';
  placeholder: string;
}

/** Rewrites the environment in `root` from `from` to `to` (see the header); reports the span `cache.relocate`. */
export async function relocatePrefix(options: RelocateOptions): Promise<RelocateResult> {
  const tracer = options.tracer ?? Tracer.disabled();
  return tracer.span('cache.relocate', async (span) => {
    const { root, from, to } = options;
    const result: RelocateResult = { rewritten: 0, entryPoints: 0, records: 0, warnings: [] };
    if (from === to) return result;
    const records = readRecordFiles(root);
    const jobs: Job[] = [];
    for (const record of records) {
      const pathsData = record.json.paths_data;
      if (!isObject(pathsData) || !Array.isArray(pathsData.paths)) continue;
      for (const entry of pathsData.paths as unknown[]) {
        if (!isObject(entry) || typeof entry._path !== 'string') continue;
        const placeholder = typeof entry.prefix_placeholder === 'string' && entry.prefix_placeholder !== '' ? entry.prefix_placeholder : undefined;
        const type = entry.path_type ?? 'hardlink';
        if (type === 'unix_python_entry_point') jobs.push({ record, entry, path: entry._path, kind: 'entry-point', placeholder: '' });
        else if (placeholder !== undefined && type === 'hardlink') {
          const kind = entry.file_mode === 'binary' ? 'binary' : 'text';
          if (kind === 'binary' && Buffer.byteLength(to) > Buffer.byteLength(placeholder)) {
            throw new EnvTarballError(
              'relocate',
              `${recordDist(record)}: ${entry._path} is a binary built for prefixes of at most ${Buffer.byteLength(placeholder)} bytes; ${to} has ${Buffer.byteLength(to)}, so the environment cannot be moved there`,
              { file: entry._path },
            );
          }
          jobs.push({ record, entry, path: entry._path, kind, placeholder });
        }
      }
    }
    const changedRecords = new Set<PrefixRecordFile>();
    const pool = new TaskPool(16);
    await Promise.all(
      jobs.map((job) =>
        pool.run(async () => {
          const changed = await relocateFile(job, options, result);
          if (changed && job.kind !== 'entry-point') changedRecords.add(job.record);
        }),
      ),
    );
    for (const record of changedRecords) writeJsonFileSync(join(root, 'conda-meta', record.file), record.json, 2, '\n');
    result.records = changedRecords.size;
    await relocateHistory(root, from, to);
    span.addAttributes({ from, to, rewritten: result.rewritten, entryPoints: result.entryPoints, records: result.records });
    return result;
  });
}

async function relocateFile(job: Job, options: RelocateOptions, result: RelocateResult): Promise<boolean> {
  const abs = join(options.root, job.path);
  let st;
  let data: Buffer;
  try {
    st = await lstat(abs);
    if (!st.isFile()) return false;
    data = await readFile(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // the scan reports it
    throw new EnvTarballError('io', `cannot read ${abs} to move it to ${options.to}: ${(error as Error).message}`, { file: job.path, cause: error });
  }
  let out: Buffer;
  if (job.kind === 'entry-point') out = relocateEntryPoint(data, options.from, options.to);
  else if (job.kind === 'binary') out = relocateBinary(data, options.from, options.to, job.placeholder, `${recordDist(job.record)}: ${job.path}`);
  else out = rewriteForPrefix(data, options.from, 'text', options.to, { what: recordDist(job.record), path: job.path }).data;
  if (out.equals(data)) return false;
  const temp = `${abs}.env-setup-relocating`;
  try {
    await writeFile(temp, out, { mode: st.mode & 0o7777 });
    await utimes(temp, st.atime, st.mtime);
    await rename(temp, abs);
  } catch (error) {
    throw new EnvTarballError('io', `cannot rewrite ${abs} for ${options.to}: ${(error as Error).message}`, { file: job.path, cause: error });
  }
  if (job.kind === 'entry-point') {
    result.entryPoints++;
    return true;
  }
  job.entry.sha256_in_prefix = createHash('sha256').update(out).digest('hex');
  result.rewritten++;
  const subdir = typeof job.record.json.subdir === 'string' ? job.record.json.subdir : undefined;
  if (job.kind === 'binary' && needsCodesign(subdir, options.platform ?? process.platform)) {
    const problem = await (options.codesign ?? codesign)(abs);
    if (problem) result.warnings.push(problem);
  }
  return true;
}

/**
 * Binary mode: each C string holding `from` gets `to` instead, in the room the build placeholder
 * left — linking padded the string with (placeholder length − prefix length) NULs per occurrence —
 * so the file keeps its length and every other byte. `what` names the file in errors.
 */
export function relocateBinary(data: Buffer, from: string, to: string, placeholder: string, what: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  const slack = Buffer.byteLength(placeholder) - a.length;
  let at = data.indexOf(a);
  if (at < 0) return data;
  const out = Buffer.from(data);
  while (at >= 0) {
    const nul = data.indexOf(0, at + a.length);
    if (nul < 0) break;
    const run = data.subarray(at, nul);
    let count = 0;
    for (let i = run.indexOf(a); i >= 0; i = run.indexOf(a, i + a.length)) count++;
    // the zeros after the string: its terminator and the padding linking left
    let zeros = 0;
    while (nul + zeros < data.length && data[nul + zeros] === 0 && zeros <= count * Math.max(0, slack)) zeros++;
    const room = run.length + Math.min(count * Math.max(0, slack), zeros - 1);
    const replaced = replaceAll(run, a, b);
    if (replaced.length > room) {
      throw new EnvTarballError('relocate', `${what} holds ${from} in a string with room for ${room} bytes; with ${to} it needs ${replaced.length}, so the environment cannot be moved there`);
    }
    replaced.copy(out, at);
    out.fill(0, at + replaced.length, at + room);
    at = data.indexOf(a, at + room + 1);
  }
  return out;
}

const TRAMPOLINE = /^#!\/bin\/sh\n'''exec' "([^"\n]*)" "\$0" "\$@"\n' '''\n/;

/** An entry point script with its python path moved from `from` to `to` (conda's shebang rules for the new path). */
export function relocateEntryPoint(data: Buffer, from: string, to: string): Buffer {
  const text = data.toString('utf8');
  let python: string;
  let rest: string;
  const trampoline = TRAMPOLINE.exec(text);
  if (trampoline) {
    python = trampoline[1]!;
    rest = text.slice(trampoline[0].length);
  } else if (text.startsWith('#!')) {
    const newline = text.indexOf('\n');
    if (newline < 0) return data;
    python = text.slice(2, newline);
    rest = text.slice(newline + 1);
  } else return data;
  if (python !== from && !python.startsWith(`${from}/`)) return data;
  return Buffer.from(entryPointShebang(to + python.slice(from.length)) + rest);
}

async function relocateHistory(root: string, from: string, to: string): Promise<void> {
  const path = join(root, 'conda-meta', 'history');
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch {
    return;
  }
  const out = replaceAll(text, Buffer.from(from), Buffer.from(to));
  if (out !== text) await writeFile(path, out);
}
