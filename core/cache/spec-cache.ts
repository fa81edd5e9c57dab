// Spec files in a cache store: look one up for an environment key (hit, expired, corrupt or miss,
// so the caller can say which path ran and why) and store one after a successful solve.
//
//   const { key } = environmentKey(request);
//   const found = await lookupSpecFile(store, { environmentKey: key, platform, ttl });
//   found.status === 'hit'      → install found.spec without solving
//   found.status === 'expired'  → solve again; if that fails with allowsStaleSpecFallback(error),
//                                 install found.spec with staleSpecWarning(...)
//   'miss' | 'corrupt'          → solve, then storeSpecFile(store, …) (a corrupt entry is replaced)

import { specFileKey } from './cache-keys.ts';
import { type SpecFile, readSpecFile, writeSpecFile, type WriteSpecFileInput } from './spec-file.ts';
import { type CacheEntry, type CacheStore, getData, putData } from './store.ts';
import { isExpired, type Ttl } from './ttl.ts';

export type SpecLookup =
  | { status: 'hit' | 'expired'; key: string; entry: CacheEntry; spec: SpecFile; text: string }
  | { status: 'corrupt'; key: string; entry: CacheEntry; reason: string }
  | { status: 'miss'; key: string };

export interface SpecLookupOptions {
  environmentKey: string;
  platform: string;
  ttl: Ttl;
  now?: number;
}

/** Finds the spec file for an environment key and says whether it can be used (see the header). */
export async function lookupSpecFile(store: CacheStore, options: SpecLookupOptions): Promise<SpecLookup> {
  const key = specFileKey(options.environmentKey, options.platform);
  const found = await getData(store, key);
  if (found === undefined) return { status: 'miss', key };
  const text = found.data.toString('utf8');
  let spec: SpecFile;
  try {
    spec = readSpecFile(text, `${store.location}/${key}`);
  } catch (e) {
    return { status: 'corrupt', key, entry: found.entry, reason: e instanceof Error ? e.message : String(e) };
  }
  if (spec.header === undefined) return { status: 'corrupt', key, entry: found.entry, reason: 'the stored file has no env-setup header' };
  if (spec.header.environmentKey !== options.environmentKey) return { status: 'corrupt', key, entry: found.entry, reason: `the stored file is for environment key ${spec.header.environmentKey ?? '(none)'}` };
  if (spec.header.platform !== options.platform) return { status: 'corrupt', key, entry: found.entry, reason: `the stored file is for platform ${spec.header.platform ?? '(none)'}` };
  const status = isExpired(found.entry.created, options.ttl, options.now) ? 'expired' : 'hit';
  return { status, key, entry: found.entry, spec, text };
}

/** Writes the spec file of a solve and stores it under its key; returns the key, entry, text and hash. */
export async function storeSpecFile(store: CacheStore, input: WriteSpecFileInput & { environmentKey: string }): Promise<{ key: string; entry: CacheEntry; text: string; hash: string }> {
  const key = specFileKey(input.environmentKey, input.platform);
  const text = writeSpecFile(input);
  const entry = await putData(store, key, text);
  return { key, entry, text, hash: readSpecFile(text, key).hash };
}
