// An installed environment's records in the index, as conda's _supplement_index_with_prefix puts
// them there: each installed record is the channel's own record when the channel still has it, and
// otherwise the installed record itself (added as its own source, below every configured channel).

import type { IndexSource, PackageIndex } from '../index/package-index.ts';
import type { PrefixRecord } from '../spec/prefix-record.ts';

/** Priority of the sources holding installed records: below every configured channel. */
export const INSTALLED_PRIORITY = Number.MAX_SAFE_INTEGER;

/** The installed records as index sources, one per channel and subdir. */
export function installedSources(records: readonly PrefixRecord[], platform: string): IndexSource[] {
  const groups = new Map<string, IndexSource & { entries: [string, unknown][] }>();
  for (const r of records) {
    const subdir = r.subdir ?? platform;
    const key = `${r.channel} ${subdir}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { channel: r.channel, priority: INSTALLED_PRIORITY, subdir, entries: [] }));
    g.entries.push([r.fn, r.raw]);
  }
  return [...groups.values()];
}

export interface InstalledIds {
  /** One record id per installed package: the channel's record when it has the same package. */
  ids: number[];
  /** Installed-source records that duplicate a channel's record (the solver must not see both). */
  duplicates: Set<number>;
}

/** Find each installed record in an index built with `installedSources`. */
export function matchInstalled(index: PackageIndex, records: readonly PrefixRecord[], virtualChannel: string): InstalledIds {
  const ids: number[] = [];
  const duplicates = new Set<number>();
  for (const r of records) {
    const same = index.candidates(r.record.name).filter((id) => {
      const x = index.record(id);
      return x.version === r.record.version && x.build === r.record.build && index.channelOf(id) !== virtualChannel;
    });
    const own = same.find((id) => index.priorityOf(id) === INSTALLED_PRIORITY && index.fnOf(id) === r.fn && index.channelOf(id) === r.channel);
    const sameSubdir = (id: number) => r.subdir === undefined || index.subdirOf(id) === r.subdir;
    const fromChannel =
      same.find((id) => id !== own && r.url !== undefined && index.urlOf(id) === r.url) ??
      same.find((id) => id !== own && index.priorityOf(id) !== INSTALLED_PRIORITY && index.channelOf(id) === r.channel && sameSubdir(id));
    if (fromChannel !== undefined) {
      ids.push(fromChannel);
      if (own !== undefined) duplicates.add(own);
    } else if (own !== undefined) ids.push(own);
  }
  return { ids, duplicates };
}
