// One change to a prefix at a time: the prefix lock (`conda-meta/.env-setup/lock`, the cross-process
// lock of package-lock.ts, broken when its holder died), and recovery of what an interrupted
// transaction left behind — taken under the lock, so a transaction still running is never undone.
// Readers (`list`, `run`) call recoverPrefix too, so they never see a half-changed environment.

import { existsSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { journalPaths, recoverJournal, type JournalBegin, type RecoveryOutcome } from './link-journal.ts';
import { acquireLock, type HeldLock, type LockOptions } from './package-lock.ts';

export type PrefixLockOptions = Pick<LockOptions, 'staleMs' | 'timeoutMs' | 'onWait' | 'signal'>;

/** Takes the lock of `prefix` (which exists), waiting for another transaction to end. */
export async function lockPrefix(prefix: string, options: PrefixLockOptions = {}): Promise<HeldLock> {
  // the transaction that held it removes the (then empty) state folder as it ends: make it again
  for (let attempt = 0; ; attempt++) {
    try {
      return await acquireLock(journalPaths(prefix).lock, { ...options, what: prefix });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 100) throw error;
    }
  }
}

/** Removes env-setup's state folder when empty, and conda-meta and the prefix too when this run made them and they are empty. */
export async function tidyPrefix(prefix: string, made: Pick<JournalBegin, 'createdPrefix' | 'createdCondaMeta'> | undefined): Promise<void> {
  const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
  await quiet(rmdir(journalPaths(prefix).state));
  if (made?.createdCondaMeta) {
    const left = await readdir(join(prefix, 'conda-meta')).catch(() => undefined);
    if (left !== undefined && left.length === 0) await quiet(rmdir(join(prefix, 'conda-meta')));
  }
  if (made?.createdPrefix) await quiet(rmdir(prefix));
}

/**
 * Finishes or rolls back a transaction that was interrupted in `prefix` (see link-journal.ts);
 * `{ kind: 'none' }` when there was none. Cheap when there is nothing to do (no lock is taken).
 */
export async function recoverPrefix(prefix: string, options: PrefixLockOptions = {}): Promise<RecoveryOutcome> {
  const paths = journalPaths(prefix);
  if (!existsSync(paths.journal) && !existsSync(paths.backup)) return { kind: 'none' };
  const lock = await lockPrefix(prefix, options);
  let outcome: RecoveryOutcome;
  try {
    outcome = await recoverJournal(prefix);
  } finally {
    await lock.release();
  }
  await tidyPrefix(prefix, outcome.kind === 'none' ? undefined : outcome.begin);
  return outcome;
}
