// Activation for every later step of the job, in any shell and without `conda init`: the prefix's
// bin on PATH (GITHUB_PATH), CONDA_PREFIX / CONDA_DEFAULT_ENV and the environment file's
// `variables:` exported (GITHUB_ENV).

import { join } from 'node:path';
import * as core from '@actions/core';

export function activate(prefix: string, name: string, variables: Readonly<Record<string, string>>): void {
  core.addPath(join(prefix, 'bin'));
  core.exportVariable('CONDA_PREFIX', prefix);
  core.exportVariable('CONDA_DEFAULT_ENV', name);
  core.exportVariable('CONDA_SHLVL', '1');
  for (const [k, v] of Object.entries(variables)) core.exportVariable(k, v);
}
