// The main thread's side of the solver thread (solve-worker.ts): it starts the worker, hands it one
// solve job at a time, and keeps at most one waiting job per document, the newest.
//
// Stale solves: a document's new job supersedes its older ones. A waiting job is dropped at once;
// a running one is cancelled — the worker stops it at its next turn (after its index load, between
// platforms, before answering) — and its result, should it come, is dropped. Dropping rather than
// terminating keeps the worker and its solve caches warm: on the 400k-record bench channel a warm
// solve takes 40–500 ms, while a new worker takes 0.3–3 s to start (its modules load again), some
// 70 ms to read its index from the cache in place, and its first solve, with no orderings cached,
// 0.7–1.5 s. Only a cancelled solve still running STALE_LIMIT_MS later (an explanation of a hard
// conflict can run for seconds) has its worker terminated; the next job starts a new one.
//
// The worker's entry is solve-worker.ts beside this module when running from the sources (Node
// strips the types in workers as on the main thread), and solve-worker.js beside the bundle
// (scripts/build.ts builds both into dist/extension/). The worker never keeps the process alive
// (the connection does), and whatever it prints goes to stderr: stdout carries the protocol.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { copiesWritten } from '../../core/channel/repodata-cache.ts';
import type { FromWorker, PlatformJob, PlatformResult, ToWorker, WorkerData } from './solve-messages.ts';

/** A cancelled solve still running this long after it was cancelled has its worker terminated. */
export const STALE_LIMIT_MS = 2000;

export type SolveAnswer = { ok: true; platforms: PlatformResult[]; loadMs: number } | { ok: false; message: string };

interface Job {
  id: number;
  owner: string;
  platforms: PlatformJob[];
  /** Resolves with the answer, or undefined when the job was superseded or cancelled. */
  resolve: (answer: SolveAnswer | undefined) => void;
}

interface Running extends Job {
  worker: Worker;
  stale: boolean;
  timer?: NodeJS.Timeout;
}

/** The worker's entry: the TypeScript source beside this module, or the bundled file beside the bundle. */
export function workerEntry(): URL {
  // in the CommonJS bundle import.meta is empty and __dirname is the bundle's folder
  const here = import.meta.url as string | undefined;
  if (typeof here === 'string' && here !== '') return new URL(here.endsWith('.ts') ? './solve-worker.ts' : './solve-worker.js', here);
  return pathToFileURL(join(__dirname, 'solve-worker.js'));
}

export class SolverThread {
  readonly #env: Record<string, string | undefined>;
  readonly #entry: URL;
  readonly #staleLimitMs: number;
  #worker: Worker | undefined;
  #running: Running | undefined;
  /** Waiting jobs, at most one per owner, oldest owner first. */
  readonly #waiting = new Map<string, Job>();
  /** Index keys the current worker has been sent (its first job on a key waits for the cache copies to be on disk). */
  #keys = new Set<string>();
  #nextId = 1;
  #starting = false;
  #closed = false;

  constructor(options: { env?: NodeJS.ProcessEnv; entry?: URL; staleLimitMs?: number } = {}) {
    this.#env = { ...(options.env ?? process.env) };
    this.#entry = options.entry ?? workerEntry();
    this.#staleLimitMs = options.staleLimitMs ?? STALE_LIMIT_MS;
  }

  /**
   * Solves `platforms` for `owner` (a document) on the worker: the answer, or undefined when a newer
   * job of the same owner, `cancel` or `close` came first.
   */
  solve(owner: string, platforms: PlatformJob[]): Promise<SolveAnswer | undefined> {
    this.cancel(owner);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#waiting.set(owner, { id: this.#nextId++, owner, platforms, resolve });
      void this.#pump();
    });
  }

  /** Drops the owner's waiting job and cancels its running one. */
  cancel(owner: string): void {
    const waiting = this.#waiting.get(owner);
    if (waiting !== undefined) {
      this.#waiting.delete(owner);
      waiting.resolve(undefined);
    }
    const running = this.#running;
    if (running === undefined || running.owner !== owner || running.stale) return;
    running.stale = true;
    running.resolve(undefined);
    this.#post(running.worker, { type: 'cancel', id: running.id });
    running.timer = setTimeout(() => {
      if (this.#running === running) this.#stop(running.worker);
    }, this.#staleLimitMs);
    running.timer.unref();
  }

  /** The channels changed: the worker drops its indexes (the next jobs load them again). */
  clear(): void {
    this.#keys = new Set();
    if (this.#worker !== undefined) this.#post(this.#worker, { type: 'clear' });
  }

  /** Starts the worker now, if none runs (it takes a while to load its modules): an index is loading, a solve will follow. */
  prepare(): void {
    if (this.#worker === undefined && !this.#closed) this.#start();
  }

  /** Cancels everything and stops the worker. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const owner of [...this.#waiting.keys()]) this.cancel(owner);
    if (this.#running !== undefined) this.cancel(this.#running.owner);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#running = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  /** Whether a job is on the worker now (for tests). */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  async #pump(): Promise<void> {
    if (this.#running !== undefined || this.#starting || this.#closed) return;
    const first = this.#waiting.values().next();
    if (first.done) return;
    // the main thread's cold load writes the decompressed copy of the repodata in the background
    // (some 0.5 s for 400k records): a worker loading before it is on disk would decompress the
    // whole .zst again and hold it. The worker starts meanwhile.
    if (first.value.platforms.some((p) => !this.#keys.has(p.key))) {
      this.#worker ??= this.#start();
      this.#starting = true;
      await copiesWritten();
      this.#starting = false;
      if (this.#closed) return;
    }
    // jobs may have been superseded meanwhile: take the oldest still waiting
    const next = this.#waiting.values().next();
    if (next.done) return;
    const job = next.value;
    this.#waiting.delete(job.owner);
    const worker = this.#worker ?? this.#start();
    for (const p of job.platforms) this.#keys.add(p.key);
    this.#running = { ...job, worker, stale: false };
    this.#post(worker, { type: 'solve', id: job.id, platforms: job.platforms });
  }

  #start(): Worker {
    const worker = new Worker(this.#entry, { name: 'env-setup solver', workerData: { env: this.#env } satisfies WorkerData, stdout: true });
    worker.stdout.pipe(process.stderr, { end: false });
    worker.unref();
    worker.on('message', (message: FromWorker) => this.#answer(worker, message));
    worker.on('error', (error) => this.#gone(worker, `the solver thread failed: ${error.message}`));
    worker.on('exit', (code) => this.#gone(worker, `the solver thread stopped (exit code ${code})`));
    this.#worker = worker;
    this.#keys = new Set();
    return worker;
  }

  #post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  #answer(worker: Worker, message: FromWorker): void {
    const running = this.#running;
    if (running === undefined || running.worker !== worker || running.id !== message.id) return;
    clearTimeout(running.timer);
    this.#running = undefined;
    if (!running.stale) {
      if (message.type === 'solved') running.resolve({ ok: true, platforms: message.platforms, loadMs: message.loadMs });
      else if (message.type === 'failed') running.resolve({ ok: false, message: message.message });
      else running.resolve(undefined);
    }
    void this.#pump();
  }

  /** Terminates a worker whose cancelled solve runs too long; the next job starts another. */
  #stop(worker: Worker): void {
    const running = this.#running;
    this.#forget(worker);
    if (running !== undefined) clearTimeout(running.timer);
    void worker.terminate();
    void this.#pump();
  }

  /** A worker that failed or stopped: its job fails (unless it was stale), the next job starts another worker. */
  #gone(worker: Worker, message: string): void {
    if (this.#worker !== worker) return;
    const running = this.#running?.worker === worker ? this.#running : undefined;
    this.#forget(worker);
    if (running !== undefined) {
      clearTimeout(running.timer);
      if (!running.stale) running.resolve({ ok: false, message });
    }
    void this.#pump();
  }

  #forget(worker: Worker): void {
    if (this.#worker === worker) {
      this.#worker = undefined;
      this.#keys = new Set();
    }
    if (this.#running?.worker === worker) this.#running = undefined;
  }
}
