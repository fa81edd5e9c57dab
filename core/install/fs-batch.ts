// Batches of file-system calls, run as tight loops of synchronous calls. Installing touches every
// file of every package two or three times (is it intact in the cache, link it, what is in the way),
// tens of thousands of calls. A promise per call costs several times the call itself (libuv's thread
// pool, a callback and a promise each: linking 37,000 files took about three times longer that way than with
// linkSync in a loop), so the per-file calls go in batches of a few hundred to a few thousand.
// Batches run on worker threads — one per CPU, at most 4, none on a single CPU
// (ENV_SETUP_FS_WORKERS overrides it) — so the main thread stays free for its own work (manifests,
// the journal, conda-meta) and for signals, downloads and progress; with no worker (a single CPU, or
// ENV_SETUP_FS_WORKERS=0) they run on the main thread, one batch per turn of the event loop; so
// they do until the first worker has started (a worker takes 70-90 ms to start here, and the
// main thread would only wait for it), and the main thread keeps taking a share of the cache's
// check batches after that (FsBatchPool.#send). The main thread keeps the journal and every
// decision; batches only carry out calls.
//
// Kinds of batch:
//   place   create paths: `link` (a hard link, or a copy when the file system refuses hard links:
//           from then on the batch copies, and says so), `copy`, `symlink` (the source's link
//           target, recreated), `mkdir`; every call is tried, failures are reported by index.
//           With stamps, each source is first compared with its stamp (lstat: the type the op
//           needs, size, mtime, inode) and left alone when it differs (failure code ECACHECHANGED):
//           a cached package's check made while linking it, as `cp -al` looks at each file
//   check   lstat paths in order until the first that is missing, has another type, (where a
//           size is given) another size, or (where a stamp is given) another mtime or inode
//   exists  which of the paths exist (lstat)
//   stat    size, mtime and inode of each path (lstat; -1 when missing): a package's stamp
//   hash    sha256 of files in order until the first that differs from the expected digest, or
//           (with no digests given) the sha256 of every file; `contents` asks for the sizes too,
//           and does not follow a symbolic link in the last place of a path
//
// The workers run the same functions as the main thread does without them (their source text,
// evaluated: no TypeScript loader is needed in them); they are made on first use, shared by the
// whole process, never keep it alive, and stop after some idle seconds.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What a `place` batch does with each path (see the header). */
export const PLACE = { link: 1, copy: 2, symlink: 3, mkdir: 4 } as const;
export type PlaceOp = (typeof PLACE)[keyof typeof PLACE];

/** File types for `check`: the path must be a regular file, a symbolic link, or anything. */
export const CHECK = { any: 0, file: 1, symlink: 2 } as const;

export interface PlaceBatch {
  /** Sources (link, copy, symlink) relative to `srcRoot`; unused for mkdir. */
  src: readonly string[];
  /** Destinations relative to `destRoot` (the same as `src` when omitted). */
  dest?: readonly string[] | undefined;
  ops: readonly PlaceOp[];
  srcRoot: string;
  destRoot: string;
  /** [size, mtimeMs, ino] each source must still have (three numbers per op; a -1 size: not checked) — see the header. */
  stamps?: Float64Array | undefined;
}

/** The failure code of a source that no longer matches its stamp. */
export const CACHE_CHANGED = 'ECACHECHANGED';

export interface FsFailure {
  index: number;
  code: string | undefined;
  message: string;
}

export interface PlaceResult {
  linked: number;
  copied: number;
  symlinked: number;
  made: number;
  /** A hard link failed with a cross-device error: later `link`s of the batch were copies. */
  crossDevice: boolean;
  failures: FsFailure[];
}

export interface CheckBatch {
  root: string;
  paths: readonly string[];
  /** CHECK types (default: any). */
  types?: readonly number[] | undefined;
  /** Expected sizes of regular files (-1: not checked). */
  sizes?: readonly number[] | undefined;
  /** Expected [size, mtimeMs, ino] per path, as a `stat` batch returned them (a package's stamp; a negative size: not checked). */
  stamps?: Float64Array | undefined;
}

/** The first path that fails the check: missing, of another type, or of another size. */
export interface CheckProblem {
  index: number;
  /** `changed`: the size is right but the mtime or inode is not the stamp's. */
  kind: 'missing' | 'type' | 'size' | 'changed';
  /** What is there: 'file', 'symlink', 'dir' or 'other', and its size. */
  found?: string;
  size?: number;
}

/** Error codes of a hard link that mean "not here": the file is copied instead (as conda does). */
export const CROSS_DEVICE_CODES = ['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'EACCES', 'ENOSYS'];

/** A batch as it travels (paths joined by NUL: one string is cloned much faster than thousands). */
interface BatchMessage {
  kind: 'place' | 'check' | 'exists' | 'stat' | 'hash';
  srcRoot?: string;
  destRoot?: string;
  src?: string;
  dest?: string | null;
  ops?: Uint8Array;
  root?: string;
  paths?: string;
  types?: Uint8Array | null;
  sizes?: Float64Array | null;
  stamps?: Float64Array | null;
  /** `hash`: expected sha256 hex digests, joined by NUL. */
  digests?: string;
  /** `hash` without digests: answer the sizes too (bytes read), and refuse a symbolic link. */
  withSizes?: boolean;
}

/**
 * Runs one batch with synchronous calls: one function per kind, so that V8 optimises each loop for
 * the one shape of message it sees (one function for all kinds was optimised again and again).
 * Self-contained (everything they use comes in as a parameter): their source text is also what
 * the workers run.
 */
function runBatch(fs: typeof import('node:fs'), cross: ReadonlySet<string>, m: BatchMessage, crypto: typeof import('node:crypto')): unknown {
  switch (m.kind) {
    case 'place':
      return placeBatch(fs, cross, m);
    case 'check':
      return checkBatch(fs, m);
    case 'stat':
      return statBatch(fs, m);
    case 'hash':
      return hashBatch(fs, m, crypto);
    default:
      return existsBatch(fs, m);
  }
}

function placeBatch(fs: typeof import('node:fs'), cross: ReadonlySet<string>, m: BatchMessage): unknown {
  const r = { linked: 0, copied: 0, symlinked: 0, made: 0, crossDevice: false, failures: [] as { index: number; code: string | undefined; message: string }[] };
  const ops = m.ops!;
  const src = m.src!.split('\0');
  const dest = m.dest === null || m.dest === undefined ? src : m.dest.split('\0');
  const stamps = m.stamps === null || m.stamps === undefined ? undefined : m.stamps;
  // the loop runs once per file of the install: what does not change is looked up once (the fs
  // module's functions were property loads through V8's generic path each time), the roots are
  // joined with their slash once, and lstat's options are one object
  const { linkSync, lstatSync, mkdirSync } = fs;
  const noThrow = { throwIfNoEntry: false };
  const srcRoot = m.srcRoot + '/';
  const destRoot = m.destRoot + '/';
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const to = destRoot + dest[i];
    try {
      if (op === 4) {
        mkdirSync(to);
        r.made++;
        continue;
      }
      const from = srcRoot + src[i];
      if (stamps !== undefined && stamps[3 * i]! >= 0) {
        const problem = stampProblem(lstatSync(from, noThrow), op === 3, stamps, i);
        if (problem !== undefined) {
          r.failures.push({ index: i, code: 'ECACHECHANGED', message: problem });
          continue;
        }
      }
      if (op === 1 && !r.crossDevice) {
        try {
          linkSync(from, to);
          r.linked++;
          continue;
        } catch (e) {
          if (!cross.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
          r.crossDevice = true;
        }
      }
      if (op === 1 || op === 2) {
        fs.copyFileSync(from, to);
        r.copied++;
      } else if (op === 3) {
        fs.symlinkSync(fs.readlinkSync(from), to);
        r.symlinked++;
      }
    } catch (e) {
      r.failures.push({ index: i, code: (e as NodeJS.ErrnoException).code, message: (e as Error).message });
    }
  }
  return r;
}

/**
 * lstat of paths under `root` (undefined when missing), for the per-file loops: the fs function is
 * looked up once (a property load per call went through V8's generic path), the root joined with
 * its slash once, and the options are one object. Self-contained: the workers run it too.
 */
function lstatUnder(fs: typeof import('node:fs'), root: string): (path: string) => import('node:fs').Stats | undefined {
  const { lstatSync } = fs;
  const noThrow = { throwIfNoEntry: false } as const;
  const under = root + '/';
  return (path) => lstatSync(under + path, noThrow);
}

function checkBatch(fs: typeof import('node:fs'), m: BatchMessage): unknown {
  const paths = m.paths!.split('\0');
  const lstat = lstatUnder(fs, m.root!);
  for (let i = 0; i < paths.length; i++) {
    const st = lstat(paths[i]!);
    if (st === undefined) return { index: i, kind: 'missing' };
    const t = m.types ? m.types[i] : 0;
    if ((t === 1 && !st.isFile()) || (t === 2 && !st.isSymbolicLink())) {
      return { index: i, kind: 'type', found: st.isFile() ? 'file' : st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : 'other', size: st.size };
    }
    if (m.sizes && m.sizes[i]! >= 0 && st.isFile() && st.size !== m.sizes[i]) return { index: i, kind: 'size', found: 'file', size: st.size };
    if (m.stamps && m.stamps[3 * i]! >= 0 && stampProblem(st, st.isSymbolicLink(), m.stamps, i) !== undefined) return { index: i, kind: 'changed', size: st.size };
  }
  return null;
}

/**
 * What is wrong with a cached path whose lstat is `st` (undefined: missing) against its stamp
 * (entry `i` of `stamps`, [size, mtimeMs, ino] each; a -1 size: only its presence and type count),
 * or undefined when nothing is: it must be a symbolic link (`symlink`) or else a regular file,
 * with the stamp's size, mtime and inode. Self-contained: the workers run it too.
 */
export function stampProblem(st: import('node:fs').Stats | undefined, symlink: boolean, stamps: Float64Array, i: number): string | undefined {
  if (st === undefined) return 'is missing';
  if (symlink ? !st.isSymbolicLink() : !st.isFile()) return symlink ? 'is no longer a symbolic link' : 'is no longer a regular file';
  if (stamps[3 * i]! < 0) return undefined;
  if (st.size !== stamps[3 * i]) return 'has another size';
  if (st.mtimeMs !== stamps[3 * i + 1] || st.ino !== stamps[3 * i + 2]) return 'was modified or replaced';
  return undefined;
}

function statBatch(fs: typeof import('node:fs'), m: BatchMessage): Float64Array {
  const paths = m.paths!.split('\0');
  const out = new Float64Array(paths.length * 3).fill(-1);
  const lstat = lstatUnder(fs, m.root!);
  for (let i = 0; i < paths.length; i++) {
    const st = lstat(paths[i]!);
    if (st === undefined) continue;
    out[3 * i] = st.size;
    out[3 * i + 1] = st.mtimeMs;
    out[3 * i + 2] = st.ino;
  }
  return out;
}

function hashBatch(fs: typeof import('node:fs'), m: BatchMessage, crypto: typeof import('node:crypto')): unknown {
  const paths = m.paths!.split('\0');
  const digests = m.digests === undefined ? undefined : m.digests.split('\0');
  const all: (string | null)[] = [];
  const sizes = m.withSizes ? new Float64Array(paths.length) : undefined;
  const limits = m.sizes ?? undefined;
  const flags = m.withSizes ? fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0) : fs.constants.O_RDONLY;
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let i = 0; i < paths.length; i++) {
    if (digests !== undefined && digests[i] === '') continue;
    let actual: string | null = null;
    let size = 0;
    try {
      const fd = fs.openSync(m.root + '/' + paths[i], flags);
      try {
        if (sizes !== undefined) {
          // only a regular file, and not one larger than allowed (its size is still told)
          const st = fs.fstatSync(fd);
          if (!st.isFile()) throw new Error('not a file');
          if (limits !== undefined && st.size > limits[i]!) {
            sizes[i] = st.size;
            all.push(null);
            continue;
          }
        }
        const first = fs.readSync(fd, buf, 0, buf.length, null);
        size = first;
        if (first < buf.length && typeof crypto.hash === 'function') {
          // the whole file in one read (most are): one call, no Hash object
          actual = crypto.hash('sha256', buf.subarray(0, first), 'hex');
        } else {
          const h = crypto.createHash('sha256').update(buf.subarray(0, first));
          for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; size += n) h.update(buf.subarray(0, n));
          actual = h.digest('hex');
        }
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // unreadable: null
    }
    if (sizes !== undefined) sizes[i] = actual === null ? -1 : size;
    if (digests === undefined) all.push(actual);
    else if (actual !== digests[i]) return { index: i, actual };
  }
  return digests === undefined ? (sizes !== undefined ? { digests: all, sizes } : all) : null;
}

function existsBatch(fs: typeof import('node:fs'), m: BatchMessage): number[] {
  const paths = m.paths!.split('\0');
  const out: number[] = [];
  const lstat = lstatUnder(fs, m.root!);
  for (let i = 0; i < paths.length; i++) {
    let there: boolean;
    try {
      there = lstat(paths[i]!) !== undefined;
    } catch {
      there = true;
    }
    if (there) out.push(i);
  }
  return out;
}

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
// a background worker (Linux only: there a thread has its own nice value) runs at the lowest
// priority, on what CPU the others leave
if (workerData && workerData.nice) {
  try { require('node:os').setPriority(workerData.nice); } catch {}
}
// loaded when first needed: only hashing uses it, and loading it slows every worker's start
let crypto;
const CROSS = new Set(${JSON.stringify(CROSS_DEVICE_CODES)});
${[stampProblem, lstatUnder, placeBatch, checkBatch, statBatch, hashBatch, existsBatch, runBatch].map((f) => f.toString()).join('\n')}
parentPort.on('message', (m) => {
  let result, error;
  try {
    if (m.kind === 'hash') crypto ??= require('node:crypto');
    result = runBatch(fs, CROSS, m, crypto);
  } catch (e) {
    error = { message: String((e && e.message) || e), code: e && e.code };
  }
  parentPort.postMessage({ id: m.id, result, error });
});
`;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A worker idle this long is stopped (a long-lived process, such as an editor's, keeps no idle threads). */
const IDLE_MS = 10_000;

class FsWorker {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  /** The worker runs JavaScript (it takes tens of milliseconds to start). */
  online = false;
  #idle: NodeJS.Timeout | undefined;

  /** `onReady`: the worker came online or answered a batch (it can take more); `onGone`: it stopped (`beforeOnline`: it failed before it ever ran). */
  constructor(onReady: () => void, onGone: (w: FsWorker, beforeOnline: boolean) => void, background: boolean) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: 'env-setup fs batch', workerData: background ? { nice: BACKGROUND_NICE } : undefined });
    const idle = (): void => {
      if (this.pending.size > 0) return;
      this.worker.unref();
      clearTimeout(this.#idle);
      this.#idle = setTimeout(() => {
        // out of the pool first, so that no batch is sent to a stopping worker
        onGone(this, false);
        void this.worker.terminate();
      }, IDLE_MS).unref();
    };
    this.worker.once('online', () => {
      this.online = true;
      onReady();
      idle();
    });
    this.worker.on('message', (m: { id: number; result?: unknown; error?: { message: string; code?: string } }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.result);
      onReady();
      idle();
    });
    const fail = (error: Error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      onGone(this, !this.online);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the file-system worker stopped (exit code ${code})`)));
    // idle workers never keep the process alive (listeners first: adding one refs the worker again)
    this.worker.unref();
  }

  send(id: number, message: Record<string, unknown>): Promise<unknown> {
    clearTimeout(this.#idle);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...message, id });
    });
  }
}

const CROSS: ReadonlySet<string> = new Set(CROSS_DEVICE_CODES);

/** The nice value of a background pool's workers: the lowest priority (they run on CPU nobody else wants). */
const BACKGROUND_NICE = 19;

/**
 * Whether a pool can run in the background here: on Linux, where the nice value is a thread's own
 * (elsewhere setpriority would lower the whole process).
 */
export const canRunInBackground = (platform: NodeJS.Platform = process.platform): boolean => platform === 'linux';

/**
 * Workers to use: ENV_SETUP_FS_WORKERS when set (0: none, batches run on this thread); else one
 * per CPU, at most 4, and none on a single CPU (there a worker only adds its start-up and
 * messages). One per CPU and not one fewer, though this thread has its own work (manifests,
 * conda-meta): linking a cached package also checks each file (place batches with stamps), and
 * with one worker on 2 CPUs that worker was the slowest part. A warm install of bench/install.ts's
 * stack, checked while linking, on 2 CPUs (bench/RESULTS.md, 2026-11-24): one worker 745-985 ms,
 * no better than checking first; two 673-893 ms (cp -al about 455).
 */
function defaultWorkers(): number {
  const set = process.env.ENV_SETUP_FS_WORKERS;
  if (set !== undefined && set !== '' && Number.isFinite(Number(set))) return Number(set);
  const cpus = availableParallelism();
  return cpus <= 1 ? 0 : Math.min(4, cpus);
}

/** Batches below this many calls are not split across workers. */
const MIN_CHUNK = 512;

/**
 * Batches this thread shares with the workers once they run (see #send): the lstats of the cache's
 * check, when this thread has little else to do but wait for them.
 */
const SHARED_KINDS: ReadonlySet<BatchMessage['kind']> = new Set(['check', 'exists']);

/** Shared batches handed to one worker at a time: one running and one waiting, so it never waits for a message. */
const IN_FLIGHT = 2;

interface Queued {
  message: BatchMessage;
  /** Only a worker runs it, even while none has started yet. */
  offThread: boolean;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class FsBatchPool {
  /** Worker threads; 0: batches run on this thread, one per turn of the event loop. */
  readonly size: number;
  #workers: FsWorker[] = [];
  #next = 0;
  #inline: Promise<unknown> = Promise.resolve();
  /** Batches no one has taken yet, in the order they came. */
  #queue: Queued[] = [];
  /** This thread has a turn of the event loop booked to run a batch of the queue. */
  #helping = false;
  /** Batches run so far: on this thread and on the workers. */
  readonly ran = { here: 0, workers: 0 };
  #started = 0;

  /** Its workers run at the lowest priority (see canRunInBackground; ignored where it cannot be). */
  readonly background: boolean;

  constructor(size = defaultWorkers(), options: { background?: boolean } = {}) {
    this.size = Math.max(0, Math.floor(size));
    this.background = options.background === true && canRunInBackground();
  }

  /** Starts the workers now (they take some tens of milliseconds to start), so they are ready when needed. */
  warm(): void {
    while (this.#workers.length < this.size) {
      this.#workers.push(new FsWorker(() => this.#pump(), (w, beforeOnline) => this.#drop(w, beforeOnline), this.background));
      this.#started++;
    }
  }

  /** How many workers this pool has started (restarts included). */
  get workersStarted(): number {
    return this.#started;
  }

  #drop(w: FsWorker, beforeOnline: boolean): void {
    this.#workers = this.#workers.filter((x) => x !== w);
    // with no worker running after one failed to start, the batches only a worker may run would wait for ever: they fail
    if (beforeOnline && !this.#workers.some((x) => x.online)) {
      const error = new Error('the file-system worker could not start');
      for (const q of this.#queue.filter((x) => x.offThread)) q.reject(error);
      this.#queue = this.#queue.filter((x) => !x.offThread);
    }
    this.#pump();
  }

  /**
   * Runs `message` on a worker or on this thread. With no workers, here, one batch per turn of the
   * event loop (so timers, I/O and signals are served in between). Else the batch joins a queue the
   * workers take from: every kind at once, except the shared kinds (SHARED_KINDS), which a worker
   * takes at most IN_FLIGHT at a time, leaving the rest for this thread too, one batch per turn of
   * the event loop. This thread also runs any batch but an `offThread` one while no worker has
   * started yet (it would only wait). Measured on the warm install of bench/install.ts (2 CPUs):
   * sharing the cache's check took 60-70 ms off its 250; sharing linking too made the link phase
   * slower (this thread has its own work then, and a worker fed one batch at a time waited for it).
   */
  #send(message: BatchMessage, offThread = false): Promise<unknown> {
    if (this.size === 0) {
      const run = this.#inline.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => {
        this.ran.here++;
        return runBatch(fs, CROSS, message, crypto);
      });
      this.#inline = run.catch(() => undefined);
      return run;
    }
    this.warm();
    return new Promise((resolve, reject) => {
      this.#queue.push({ message, offThread, resolve, reject });
      this.#pump();
    });
  }

  /** Whether this thread may run `q` now (see #send). */
  #mine(q: Queued): boolean {
    return SHARED_KINDS.has(q.message.kind) || (!q.offThread && !this.#workers.some((w) => w.online));
  }

  /** Hands queued batches to the workers (see #send), and books a turn of this thread when one is for it. */
  #pump(): void {
    while (this.#queue.length > 0) {
      // the running worker with the fewest batches waiting
      let best: FsWorker | undefined;
      for (const w of this.#workers) if (w.online && (best === undefined || w.pending.size < best.pending.size)) best = w;
      const q = this.#queue[0]!;
      if (best === undefined || (SHARED_KINDS.has(q.message.kind) && best.pending.size >= IN_FLIGHT)) break;
      this.#queue.shift();
      this.ran.workers++;
      best.send(this.#next++, q.message as unknown as Record<string, unknown>).then(q.resolve, q.reject);
    }
    // a worker still starting keeps the process alive while batches wait for it (a running one does while it has some)
    for (const w of this.#workers) {
      if (w.online) continue;
      if (this.#queue.length > 0) w.worker.ref();
      else w.worker.unref();
    }
    if (!this.#helping && this.#queue.some((q) => this.#mine(q))) {
      this.#helping = true;
      setImmediate(() => this.#runOne());
    }
  }

  #runOne(): void {
    this.#helping = false;
    const at = this.#queue.findIndex((q) => this.#mine(q));
    if (at >= 0) {
      const [q] = this.#queue.splice(at, 1);
      this.ran.here++;
      try {
        q!.resolve(runBatch(fs, CROSS, q!.message, crypto));
      } catch (error) {
        q!.reject(error as Error);
      }
    }
    this.#pump();
  }

  /** Runs `batch` (split across the workers when large); failures are reported with indices into `batch`. */
  async place(batch: PlaceBatch, chunk = MIN_CHUNK): Promise<PlaceResult> {
    const n = batch.ops.length;
    // on workers, a few parts each; on this thread, parts of about `chunk` calls (one per turn of the event loop)
    const parts = Math.max(1, Math.min(this.size === 0 ? Infinity : this.size * 4, Math.floor(n / chunk)));
    const per = Math.ceil(n / parts);
    const slices: Promise<{ at: number; r: PlaceResult }>[] = [];
    for (let at = 0; at < n; at += per) {
      const end = Math.min(n, at + per);
      const message: BatchMessage = {
        kind: 'place',
        srcRoot: batch.srcRoot,
        destRoot: batch.destRoot,
        src: batch.src.slice(at, end).join('\0'),
        dest: batch.dest === undefined ? null : batch.dest.slice(at, end).join('\0'),
        ops: Uint8Array.from(batch.ops.slice(at, end)),
        stamps: batch.stamps === undefined ? null : batch.stamps.slice(3 * at, 3 * end),
      };
      slices.push((this.#send(message) as Promise<PlaceResult>).then((r) => ({ at, r })));
    }
    // every slice settles before a failure is passed on: nothing is still being written after
    const settled = await Promise.allSettled(slices);
    const out: PlaceResult = { linked: 0, copied: 0, symlinked: 0, made: 0, crossDevice: false, failures: [] };
    for (const s of settled) {
      if (s.status === 'rejected') throw s.reason;
      const { at, r } = s.value;
      out.linked += r.linked;
      out.copied += r.copied;
      out.symlinked += r.symlinked;
      out.made += r.made;
      out.crossDevice ||= r.crossDevice;
      for (const f of r.failures) out.failures.push({ ...f, index: f.index + at });
    }
    out.failures.sort((a, b) => a.index - b.index);
    return out;
  }

  /**
   * Makes the folders `dirs` (relative to `root`; any order where parents come before their
   * children) as `mkdir` places: one depth after the other, each depth split across the workers —
   * making a folder is mostly the kernel's own work (finding an inode), which runs in parallel,
   * where `cp -al` makes them one by one. Failures are reported with indices into `dirs`; a folder
   * whose parent failed fails too.
   */
  async mkdirs(root: string, dirs: readonly string[]): Promise<PlaceResult> {
    const byDepth = new Map<number, number[]>();
    dirs.forEach((d, i) => {
      let n = 0;
      for (let at = d.indexOf('/'); at >= 0; at = d.indexOf('/', at + 1)) n++;
      const level = byDepth.get(n);
      if (level === undefined) byDepth.set(n, [i]);
      else level.push(i);
    });
    const out: PlaceResult = { linked: 0, copied: 0, symlinked: 0, made: 0, crossDevice: false, failures: [] };
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      const level = byDepth.get(depth)!;
      const src = level.map((i) => dirs[i]!);
      // parts of at least 16 folders, one per worker
      const chunk = Math.max(16, Math.ceil(level.length / Math.max(1, this.size)));
      const r = await this.place({ srcRoot: '', destRoot: root, src, ops: src.map(() => PLACE.mkdir as PlaceOp) }, chunk);
      out.made += r.made;
      for (const f of r.failures) out.failures.push({ ...f, index: level[f.index]! });
    }
    out.failures.sort((a, b) => a.index - b.index);
    return out;
  }

  /** The first of `batch.paths` (in order) that fails the check, or undefined. */
  async check(batch: CheckBatch, chunk = 2048): Promise<CheckProblem | undefined> {
    const n = batch.paths.length;
    const parts: Promise<CheckProblem | null>[] = [];
    for (let at = 0; at < n; at += chunk) {
      const end = Math.min(n, at + chunk);
      const message: BatchMessage = {
        kind: 'check',
        root: batch.root,
        paths: batch.paths.slice(at, end).join('\0'),
        types: batch.types === undefined ? null : Uint8Array.from(batch.types.slice(at, end)),
        sizes: batch.sizes === undefined ? null : Float64Array.from(batch.sizes.slice(at, end)),
        stamps: batch.stamps === undefined ? null : batch.stamps.slice(3 * at, 3 * end),
      };
      parts.push((this.#send(message) as Promise<CheckProblem | null>).then((p) => (p === null ? null : { ...p, index: p.index + at })));
    }
    for (const p of await Promise.all(parts)) if (p !== null) return p;
    return undefined;
  }

  /** [size, mtimeMs, ino] of each of `paths` (relative to `root`; -1s when missing), three numbers per path. */
  async stat(root: string, paths: readonly string[], chunk = 2048): Promise<Float64Array> {
    const parts: Promise<Float64Array>[] = [];
    for (let at = 0; at < paths.length; at += chunk) {
      parts.push(this.#send({ kind: 'stat', root, paths: paths.slice(at, at + chunk).join('\0') }) as Promise<Float64Array>);
    }
    const out = new Float64Array(paths.length * 3);
    let at = 0;
    for (const part of await Promise.all(parts)) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /**
   * The first of `paths` (relative to `root`) whose sha256 is not `digests[i]` (lowercase hex; ''
   * skips the path), with what it is (null: unreadable); undefined when every one matches. Split
   * into parts of about `chunkBytes` by `sizes`, so large files spread across the workers.
   */
  async hash(root: string, paths: readonly string[], digests: readonly string[], sizes: readonly number[], chunkBytes = 32 << 20): Promise<{ index: number; actual: string | null } | undefined> {
    const parts: Promise<{ index: number; actual: string | null } | null>[] = [];
    let at = 0;
    while (at < paths.length) {
      let end = at;
      let bytes = 0;
      while (end < paths.length && (end === at || bytes + Math.max(0, sizes[end] ?? 0) <= chunkBytes) && end - at < 4096) bytes += Math.max(0, sizes[end++] ?? 0);
      const from = at;
      const message: BatchMessage = { kind: 'hash', root, paths: paths.slice(from, end).join('\0'), digests: digests.slice(from, end).join('\0') };
      parts.push((this.#send(message) as Promise<{ index: number; actual: string | null } | null>).then((p) => (p === null ? null : { ...p, index: p.index + from })));
      at = end;
    }
    for (const p of await Promise.all(parts)) if (p !== null) return p;
    return undefined;
  }

  /** The sha256 (lowercase hex) of each of `paths` (relative to `root`), null for one that cannot be read; one batch. */
  async digests(root: string, paths: readonly string[]): Promise<(string | null)[]> {
    return (await this.#send({ kind: 'hash', root, paths: paths.join('\0') })) as (string | null)[];
  }

  /**
   * The sha256 and size of each file (relative to `root`), read through; a path that cannot be read
   * as a file (missing, a folder, a FIFO or device, a symbolic link in its last place) has digest
   * null and size -1; one larger than its `limits` entry is not read (digest null, its size).
   * Run on a worker even while none has started yet (this thread is needed elsewhere meanwhile).
   */
  async contents(root: string, paths: readonly string[], limits?: Float64Array): Promise<{ digests: (string | null)[]; sizes: Float64Array }> {
    return (await this.#send({ kind: 'hash', root, paths: paths.join('\0'), withSizes: true, sizes: limits ?? null }, true)) as { digests: (string | null)[]; sizes: Float64Array };
  }

  /** The indices of `paths` (relative to `root`) that exist. */
  async exists(root: string, paths: readonly string[], chunk = 2048): Promise<number[]> {
    const parts: Promise<number[]>[] = [];
    for (let at = 0; at < paths.length; at += chunk) {
      const slice = paths.slice(at, at + chunk);
      parts.push((this.#send({ kind: 'exists', root, paths: slice.join('\0') }) as Promise<number[]>).then((xs) => xs.map((i) => i + at)));
    }
    return (await Promise.all(parts)).flat();
  }
}

let shared: FsBatchPool | undefined;

/** The process's pool. */
export function fsBatchPool(): FsBatchPool {
  shared ??= new FsBatchPool();
  return shared;
}

let sharedHashing: FsBatchPool | undefined;

/**
 * The process's pool for hashing many files when this thread has nothing else to do but wait for
 * them (a local pip source read into a key, a restored environment's scan after tar): one worker
 * per CPU, started once and shared, so two such jobs in one run do not each pay the workers' start.
 */
export function hashingPool(): FsBatchPool {
  sharedHashing ??= new FsBatchPool(availableParallelism());
  return sharedHashing;
}
