// The cache flags of the commands that make environments (`create`):
//
//   --no-cache              neither read nor write spec files and environment tarballs
//   --refresh               ignore what is stored, store fresh entries
//   --spec-ttl T            how long a stored solve is trusted (24h; 0 = always solve; never)
//   --environment-ttl T     how long a stored environment tarball is trusted (24h)
//   --tarballs auto|on|off  environment tarballs: auto (default) leaves out environments whose
//                           packages have link scripts, on forces them, off never
//   --simple                trust cache keys: no integrity scan (also ENV_SETUP_SIMPLE=1)

import type { TarballSetting } from '../core/cache/link-script-policy.ts';
import { DEFAULT_SPEC_TTL, DEFAULT_TARBALL_TTL, parseTtl, type Ttl } from '../core/cache/ttl.ts';
import { UsageError, optionValue } from './result.ts';

export interface CacheArgs {
  enabled: boolean;
  refresh: boolean;
  specTtl: Ttl;
  tarballTtl: Ttl;
  tarballs: TarballSetting;
  simple: boolean;
}

export const defaultCacheArgs = (): CacheArgs => ({ enabled: true, refresh: false, specTtl: DEFAULT_SPEC_TTL, tarballTtl: DEFAULT_TARBALL_TTL, tarballs: 'auto', simple: false });

/** Reads one cache option at `args[i]` into `out`; the index of the last argument used, or -1 when `args[i]` is not one. */
export function cacheOption(args: readonly string[], i: number, out: CacheArgs): number {
  const a = args[i]!;
  const value = () => optionValue(args, i + 1, a);
  const ttl = (): Ttl => {
    try {
      return parseTtl(value(), a);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  };
  if (a === '--no-cache') out.enabled = false;
  else if (a === '--refresh') out.refresh = true;
  else if (a === '--simple') out.simple = true;
  else if (a === '--spec-ttl') return ((out.specTtl = ttl()), i + 1);
  else if (a === '--environment-ttl') return ((out.tarballTtl = ttl()), i + 1);
  else if (a === '--tarballs') {
    const v = value();
    if (v !== 'auto' && v !== 'on' && v !== 'off') throw new UsageError(`--tarballs must be auto, on or off, not '${v}'`);
    out.tarballs = v;
    return i + 1;
  } else return -1;
  return i;
}
