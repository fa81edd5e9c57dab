// Fetch, then link: what every command that changes a prefix does once it knows what to add and
// what to remove. The packages to link are fetched into the package cache (download, verify,
// extract, or found there already), then one journaled transaction unlinks and links them.

import type { Tracer } from '../timing/tracer.ts';
import { InstallError } from './errors.ts';
import { fetchPackages, type FetchedPackage, type FetchRecord } from './fetch-packages.ts';
import type { CacheCheck } from './package-cache.ts';
import type { InstallProgress } from './progress.ts';
import { runTransaction, type TransactionEvent, type TransactionOptions, type TransactionResult } from './transaction.ts';
import type { InstalledPackage } from './transaction-plan.ts';
import { withTurbofanPaused } from './turbofan-pause.ts';

export interface InstallPackagesOptions {
  prefix: string;
  /** Packages to add, dependencies first. */
  link: readonly FetchRecord[];
  /** Installed packages to remove, dependents first. */
  unlink: readonly InstalledPackage[];
  pkgsDir?: string | undefined;
  offline?: boolean;
  /** How much of an extracted package in the cache is checked before it is reused (default 'paths': every file's size). */
  cacheCheck?: CacheCheck;
  env?: NodeJS.ProcessEnv;
  tracer?: Tracer;
  onFetchProgress?: (event: InstallProgress) => void;
  /** Called once the packages are fetched, before the prefix is touched (again, should the transaction run a second time: see installPackages). */
  onFetched?: (fetched: readonly FetchedPackage[]) => void;
  onEvent?: (event: TransactionEvent) => void;
  /** Passed to runTransaction as they are. */
  transaction?: Pick<TransactionOptions, 'requestedSpecs' | 'history' | 'envVars' | 'runScripts' | 'compile' | 'linkMode'>;
}

/**
 * Fetches `link` and runs the transaction (see the header). A cached package whose stamp is valid is
 * checked file by file while it is linked (fetchPackages' `checkWhileLinking`); when a file turns
 * out to have changed, the transaction has rolled back, and it all runs once more with the full
 * check first (which hashes the package and extracts it again when it is damaged).
 */
export async function installPackages(o: InstallPackagesOptions): Promise<{ result: TransactionResult; fetched: FetchedPackage[] }> {
  const attempt = async (checkWhileLinking: boolean): Promise<{ result: TransactionResult; fetched: FetchedPackage[] }> => {
    const fetched = await fetchPackages(o.link, {
      pkgsDir: o.pkgsDir,
      env: o.env,
      offline: o.offline,
      cacheCheck: o.cacheCheck,
      checkWhileLinking,
      tracer: o.tracer,
      onProgress: o.onFetchProgress,
    });
    o.onFetched?.(fetched);
    // linking, with TurboFan paused on a machine with two CPUs (turbofan-pause.ts)
    const result = await withTurbofanPaused(
      () =>
        runTransaction({
          prefix: o.prefix,
          link: fetched,
          unlink: o.unlink,
          ...o.transaction,
          env: o.env,
          tracer: o.tracer,
          onEvent: o.onEvent,
        }),
      o.env,
    );
    return { result, fetched };
  };
  try {
    return await attempt(true);
  } catch (error) {
    if (!(error instanceof InstallError) || error.kind !== 'cache-changed') throw error;
    o.tracer?.counter('install.cache.changed');
    return attempt(false);
  }
}
