// Entry point of the action's main step (bundled to dist/action/main.js; see run-main.ts). V8's
// young generation is kept small for this one-shot run, as the CLI keeps it (young-generation.ts).
import { keepYoungGenerationSmall } from '../core/install/young-generation.ts';
import { runMain } from './run-main.ts';

keepYoungGenerationSmall();
await runMain();
