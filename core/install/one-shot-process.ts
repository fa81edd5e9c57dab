// What a one-shot process (a command of the CLI but the language server, the Action's step, the
// install bench's child) declares once at its start: V8's young generation is kept small
// (young-generation.ts) and an install may pause TurboFan while it links (turbofan-pause.ts). A
// long-lived process (the language server) declares nothing and V8 is left as it is.

import { allowTurbofanPause } from './turbofan-pause.ts';
import { keepYoungGenerationSmall } from './young-generation.ts';

/** Tunes V8 for a process that runs one command and exits (see the header). */
export function declareOneShotProcess(env: NodeJS.ProcessEnv = process.env): void {
  keepYoungGenerationSmall(env);
  allowTurbofanPause();
}
