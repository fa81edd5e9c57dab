// Whether a folder can take an environment: no folder yet, an empty one, or a conda environment (it
// has conda-meta). Apart from the transaction (transaction.ts) so that a create that restores a
// stored environment checks its prefix without loading the installer.

import { existsSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InstallError } from './errors.ts';

/** Throws InstallError 'prefix' when `prefix` is a file, or a non-empty folder that is not a conda environment. */
export async function checkPrefixUsable(prefix: string): Promise<void> {
  let st;
  try {
    st = await lstat(prefix);
  } catch {
    return;
  }
  if (!st.isDirectory()) throw new InstallError('prefix', `${prefix} exists and is not a folder`, { file: prefix });
  if (!existsSync(join(prefix, 'conda-meta')) && !(await isEmptyBesidesCondaMeta(prefix))) {
    throw new InstallError('prefix', `${prefix} is not empty and is not a conda environment (it has no conda-meta folder); choose another prefix`, { file: prefix });
  }
}

/** Whether `prefix` holds nothing but (perhaps) conda-meta. */
export async function isEmptyBesidesCondaMeta(prefix: string): Promise<boolean> {
  const entries = await readdir(prefix).catch(() => [] as string[]);
  return entries.every((e) => e === 'conda-meta');
}
