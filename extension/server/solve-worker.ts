// The language server's solver thread (a node:worker_threads worker started by solver-thread.ts):
// whole-environment solves, 100–400 ms each on a large channel, run here so the main thread keeps
// answering syntax and name checks, completion and hover while they run.
//
// The worker keeps its own LoadedIndex per index the main thread loaded, read from the same
// repodata cache the main thread has just filled: offline first, so that it reads the very bytes
// the main thread's checks use, with no request to the server (a warm load reads the cached copy
// in place and parses only the records a solve reaches); only when the cache has no entry (a
// cache folder that cannot be written) is the channel fetched as the main thread did. Each index
// keeps its SolveCache, so later solves reuse the candidate orderings of earlier ones.
//
// The thread runs at a lower CPU priority where it can (yieldCpuToMainThread). One job at a time
// (the main thread sends the next when this one is answered). A `cancel` is read
// at the job's turns — after the index load, between platforms, and before the answer — and the job
// then ends with `cancelled`; a solve already running ends first (the main thread terminates the worker when a
// cancelled solve runs too long).

import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelError } from '../../core/channel/errors.ts';
import { type LoadedIndex, loadIndex, solveLoaded } from '../../core/solve/loaded-index.ts';
import { SpecError } from '../../core/spec/errors.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import type { IndexRequest } from './index-store.ts';
import type { FromWorker, PlatformResult, ToWorker, WorkerData } from './solve-messages.ts';

const port = parentPort;
if (port === null) throw new Error('solve-worker.ts runs as a worker thread of the language server (solver-thread.ts starts it)');

/**
 * Lowers this thread's CPU priority (nice 10) where the system allows it per thread (Linux, whose
 * /proc/thread-self names the thread): when the CPU is busy (a build beside the editor), the main
 * thread's checks and completions come first; on an idle machine the solver keeps a core to itself
 * and loses nothing. Elsewhere the thread keeps the process's priority.
 */
function yieldCpuToMainThread(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // no /proc/thread-self, or the priority cannot be changed: stay as we are
  }
}

yieldCpuToMainThread();

const env = (workerData as WorkerData).env as NodeJS.ProcessEnv;
const indexes = new Map<string, Promise<LoadedIndex>>();
/** The job being done, and whether it was cancelled. */
let current: { id: number; cancelled: boolean } | undefined;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const send = (message: FromWorker) => port.postMessage(message);

function load(key: string, request: IndexRequest): Promise<LoadedIndex> {
  let loading = indexes.get(key);
  if (loading === undefined) {
    const options = { channels: request.channels, overrideChannels: request.overrideChannels, platform: request.platform, cacheDir: request.cacheDir, env };
    loading = loadIndex({ ...options, offline: true }).catch((error: unknown) => {
      if (error instanceof ChannelError && error.kind === 'offline-miss' && !request.offline) return loadIndex({ ...options, offline: false });
      throw error;
    });
    // a failed load is not kept: the next job tries again
    loading.catch(() => {
      if (indexes.get(key) === loading) indexes.delete(key);
    });
    indexes.set(key, loading);
  }
  return loading;
}

async function solve(job: Extract<ToWorker, { type: 'solve' }>, state: { cancelled: boolean }): Promise<FromWorker> {
  const started = performance.now();
  const loaded: LoadedIndex[] = [];
  try {
    for (const p of job.platforms) loaded.push(await load(p.key, p.request));
  } catch (error) {
    const message = error instanceof ChannelError || error instanceof SpecError ? error.message : `cannot load the channels: ${error instanceof Error ? error.message : String(error)}`;
    return { type: 'failed', id: job.id, message };
  }
  const loadMs = performance.now() - started;
  const platforms: PlatformResult[] = [];
  for (const [i, p] of job.platforms.entries()) {
    await turn();
    if (state.cancelled) return { type: 'cancelled', id: job.id };
    const solveStarted = performance.now();
    const solution = solveLoaded(loaded[i]!, p.specs.map((text) => MatchSpec.parse(text)));
    platforms.push({ platform: p.platform, solution, ms: performance.now() - solveStarted });
  }
  return state.cancelled ? { type: 'cancelled', id: job.id } : { type: 'solved', id: job.id, platforms, loadMs };
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'cancel':
      if (current?.id === message.id) current.cancelled = true;
      return;
    case 'clear':
      indexes.clear();
      return;
    case 'solve': {
      // the main thread sends a job only when the last one is answered
      const state = { id: message.id, cancelled: false };
      current = state;
      void solve(message, state)
        .catch((error: unknown): FromWorker => ({ type: 'failed', id: message.id, message: `the solver failed: ${error instanceof Error ? error.message : String(error)}` }))
        .then((answer) => {
          if (current === state) current = undefined;
          send(answer);
        });
      return;
    }
  }
});
