// Entry point of the action's main step (bundled to dist/action/main.js; see run-main.ts).
import { runMain } from './run-main.ts';

await runMain();
