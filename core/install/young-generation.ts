// Keeps V8's young generation at its starting size for the rest of the process, for the command
// line's and the Action's one-shot runs (not the long-lived language server).
//
// V8 doubles the young generation (up to 32 MB per semi-space) each time as many bytes have
// survived its collections as it holds. An install keeps tens of megabytes alive (every file's
// path and record), so the young generation grows to its largest: about 60 MB of fresh memory,
// each page first touched during a collection. On virtual machines where the first touch of a page
// is expensive (tens of microseconds on the Firecracker machine of bench/RESULTS.md, session 26),
// that growth alone cost a warm install ~15,000 page faults. Left at its first size (1 MB per
// semi-space), what lives long is promoted to the old generation at once — the same copying — and
// the young generation's few pages are reused. Measured there: warm installs 5-10 % faster, solves
// no slower (bench/RESULTS.md, 2026-11-24).
//
// The setting is V8's `--semi-space-growth-factor`, which V8 reads each time it considers growing
// the young generation, so setting it while running takes effect at once. Node's documentation
// warns that flags changed after start may behave unpredictably; this one is a number read by
// that one heuristic. ENV_SETUP_V8_YOUNG_GROWTH=default leaves V8 as it is.

import { setFlagsFromString } from 'node:v8';

let done = false;

/** Stops the young generation from growing (once per process; not when ENV_SETUP_V8_YOUNG_GROWTH=default). */
export function keepYoungGenerationSmall(env: NodeJS.ProcessEnv = process.env): void {
  if (done || env.ENV_SETUP_V8_YOUNG_GROWTH === 'default') return;
  done = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}
