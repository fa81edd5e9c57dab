// The action's post step: saves what the main step could not (a save that failed is tried once
// more; one skipped on purpose is not), then removes the action's temporary files. It never fails
// the job: every problem is a warning.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import { actionLog } from './action-log.ts';
import { ioPath, saveThroughIo, type UnsavedEntry } from './actions-cache-store.ts';
import { readLogLevel } from './inputs.ts';
import { STATE_TEMP, STATE_UNSAVED } from './run-main.ts';

export async function runPost(): Promise<void> {
  const log = actionLog(readLogLevel(process.env));
  try {
    const temp = core.getState(STATE_TEMP);
    const unsaved = JSON.parse(core.getState(STATE_UNSAVED) || '[]') as UnsavedEntry[];
    for (const u of unsaved) {
      if (!existsSync(u.path)) continue;
      const result = await saveThroughIo(ioPath(join(temp, 'cache')), u.path, u.remoteKey, log);
      if (result.ok) log.info(`saved ${u.remoteKey} to the GitHub Actions cache`);
    }
    if (temp !== '') await rm(temp, { recursive: true, force: true });
  } catch (e) {
    core.warning(`env-setup post step: ${e instanceof Error ? e.message : String(e)}`);
  }
}
