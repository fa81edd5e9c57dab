// Entry point of the action's main step (bundled to dist/action/main.js; see run-main.ts). V8's
// young generation is kept small for this one-shot run, and an install may pause TurboFan, as in
// the CLI (young-generation.ts, turbofan-pause.ts).
import { allowTurbofanPause } from '../core/install/turbofan-pause.ts';
import { keepYoungGenerationSmall } from '../core/install/young-generation.ts';
import { runMain } from './run-main.ts';

keepYoungGenerationSmall();
allowTurbofanPause();
await runMain();
