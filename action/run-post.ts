// The action's post step: saves what the main step could not (a save that failed is tried once
// more; one skipped on purpose is not), then removes the action's temporary files. It never fails
// the job: every problem is a warning. @actions/cache is loaded only when something is left to save,
// so the usual post step costs little more than node's start.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import { actionLog } from './action-log.ts';
import type { UnsavedEntry } from './actions-cache-store.ts';
import { readLogLevel } from './inputs.ts';
import { STATE_TEMP, STATE_UNSAVED } from './state-keys.ts';

export async function runPost(): Promise<void> {
  const log = actionLog(readLogLevel(process.env));
  try {
    const temp = core.getState(STATE_TEMP);
    const unsaved = JSON.parse(core.getState(STATE_UNSAVED) || '[]') as UnsavedEntry[];
    const retry = unsaved.filter((u) => existsSync(u.path));
    // @actions/cache (with its HTTP and Azure clients) is loaded only when there is something to save
    const store = retry.length > 0 ? await import('./actions-cache-store.ts') : undefined;
    for (const u of retry) {
      const result = await store!.saveThroughIo(store!.ioPath(join(temp, 'cache')), u.path, u.remoteKey, log);
      if (result.ok) log.info(`saved ${u.remoteKey} to the GitHub Actions cache`);
    }
    if (temp !== '') await rm(temp, { recursive: true, force: true });
  } catch (e) {
    core.warning(`env-setup post step: ${e instanceof Error ? e.message : String(e)}`);
  }
}
