// Keeps V8 from starting TurboFan compilations while a transaction links packages into a prefix,
// in one-shot processes (the command line's commands and the Action's steps, which opt in through
// declareOneShotProcess, one-shot-process.ts) on machines with at most two CPUs.
//
// Linking keeps both CPUs of such a machine busy: this thread (manifests, the journal, conda-meta
// records) and the file-system workers (fs-batch.ts: one per CPU). Its loops run hot for well under
// a second, long enough for V8 to optimise some 60 functions with TurboFan on its background
// threads, and those compilations take the same two CPUs (with the pages their memory first
// touches, costly on a virtual machine): 60-100 ms of CPU in a warm install of the bench's
// scientific stack, which the faster code never earns back before the link ends. Maglev, V8's
// quicker optimising compiler, still runs. Measured (bench/RESULTS.md, 2026-11-24): a warm install
// about 6 % faster. Not paused: fetching (a cold install's extraction, seconds of JavaScript, was
// 8-10 % slower without TurboFan), a solve (its loops run for seconds), and any machine with more
// CPUs, where the compilations run beside the link instead of in its way.
//
// `--turbofan` is V8's flag, read each time V8 considers optimising a function, so it can be turned
// off and on again while running; code already optimised stays as it is.
// ENV_SETUP_V8_INSTALL_TURBOFAN=on leaves TurboFan on; =off turns it off on any machine.

import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

let allowed = false;
let paused = 0;

/** Lets withTurbofanPaused pause TurboFan in this process (one-shot processes only: not the long-lived language server). */
export function allowTurbofanPause(): void {
  allowed = true;
}

/** Whether an install in this process pauses TurboFan (see the header). */
export function turbofanPauses(env: NodeJS.ProcessEnv = process.env, cpus = availableParallelism()): boolean {
  const asked = env.ENV_SETUP_V8_INSTALL_TURBOFAN;
  if (!allowed || asked === 'on') return false;
  return asked === 'off' || cpus <= 2;
}

/** Runs `fn` with TurboFan paused when turbofanPauses() says so; calls may overlap (TurboFan comes back when the last ends). */
export async function withTurbofanPaused<T>(fn: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  if (!turbofanPauses(env)) return fn();
  if (paused++ === 0) setFlagsFromString('--no-turbofan');
  try {
    return await fn();
  } finally {
    if (--paused === 0) setFlagsFromString('--turbofan');
  }
}
