// Entry point of the action's main step (bundled to dist/action/main.js; see run-main.ts). The
// step is a one-shot run and tunes V8 for it, as the CLI's commands do (one-shot-process.ts).
import { declareOneShotProcess } from '../core/install/one-shot-process.ts';
import { runMain } from './run-main.ts';

declareOneShotProcess();
await runMain();
