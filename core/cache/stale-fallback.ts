// When a spec file has expired and solving again fails, may the stale spec file be used instead?
// Only when the failure lies outside the user's file: a channel that cannot be reached (connection
// refused, timeouts, 5xx after every retry), repodata missing from the offline cache, or a server
// sending broken repodata. Never for an unsatisfiable or invalid environment, an unknown channel or
// refused credentials: those are for the user to fix, and a stale solve would hide them.

import { ChannelError } from '../channel/errors.ts';

/** Whether a solve error allows falling back to a stale spec file (see the header). */
export function allowsStaleSpecFallback(error: unknown): boolean {
  return error instanceof ChannelError && (error.kind === 'unreachable' || error.kind === 'offline-miss' || error.kind === 'malformed');
}

/** The warning to print when a stale spec file is used; names the spec file's age and the cause. */
export function staleSpecWarning(error: unknown, created: number, now: number = Date.now()): string {
  const hours = Math.max(0, (now - created) / 3600_000);
  const age = hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
  const why = error instanceof Error ? error.message : String(error);
  return `warning: the stored solve (${age} old) has expired but solving again failed (${why}); using the stored solve — it may be out of date`;
}
