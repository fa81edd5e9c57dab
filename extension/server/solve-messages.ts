// The messages between the language server's main thread and its solver thread
// (solver-thread.ts ↔ solve-worker.ts). Everything in them survives structured cloning: specs go as
// the text the file holds (the worker parses them as the file reader did), solutions come back as
// the plain data core's solveLoaded returns. The environment for channel configuration goes once,
// as the worker's `workerData` (WorkerData).

import type { EnvironmentSolution } from '../../core/solve/solve-environment.ts';
import type { IndexRequest } from './index-store.ts';

/** One platform of a solve job: the index to solve on (as the main thread loaded it) and the specs. */
export interface PlatformJob {
  platform: string;
  /** The index's key in the main thread's IndexStore (the worker keeps its own index under it). */
  key: string;
  request: IndexRequest;
  /** The entries' spec text, as written in the file. */
  specs: string[];
}

/** The worker's `workerData`. */
export interface WorkerData {
  env: Record<string, string | undefined>;
}

export type ToWorker =
  | { type: 'solve'; id: number; platforms: PlatformJob[] }
  /** Stop job `id` at its next turn (between its index load and each platform's solve). */
  | { type: 'cancel'; id: number }
  /** Drop every index held (the settings changed what the channels are). */
  | { type: 'clear' };

export interface PlatformResult {
  platform: string;
  solution: EnvironmentSolution;
  /** Milliseconds the solve took (with the explanation, when it failed), not counting the index load. */
  ms: number;
}

export type FromWorker =
  | { type: 'solved'; id: number; platforms: PlatformResult[]; loadMs: number }
  | { type: 'cancelled'; id: number }
  /** The job could not be done: its channels failed to load, or the solver threw. */
  | { type: 'failed'; id: number; message: string };
