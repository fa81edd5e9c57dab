// What the index says about one package name, as hover, completion and the checks show it: its
// records (virtual ones left out), the versions available newest first, the newest record, and the
// versions nearest to one a spec asked for. Computed once per index and name.

import type { PackageIndex } from '../../core/index/package-index.ts';
import type { PackageRecord } from '../../core/spec/record.ts';
import { Version } from '../../core/spec/version.ts';
import type { LoadedIndex } from '../../core/solve/loaded-index.ts';

export interface PackageFacts {
  name: string;
  ids: readonly number[];
  /** Distinct versions, newest first (versions conda cannot read last, as written). */
  versions: readonly string[];
  /** The record of the newest version with the highest build number. */
  latest: PackageRecord | undefined;
  latestId: number | undefined;
}

const cache = new WeakMap<PackageIndex, Map<string, PackageFacts>>();

export function packageFacts(loaded: LoadedIndex, name: string): PackageFacts {
  const { index } = loaded;
  let byName = cache.get(index);
  if (byName === undefined) cache.set(index, (byName = new Map()));
  let facts = byName.get(name);
  if (facts !== undefined) return facts;
  const ids = index.candidates(name).filter((id) => index.channelOf(id) !== loaded.virtualChannel || name.startsWith('__'));
  const parsed = new Map<string, Version | null>();
  for (const id of ids) {
    const v = index.record(id).version;
    if (!parsed.has(v)) parsed.set(v, index.version(id));
  }
  const versions = [...parsed].sort(([a, va], [b, vb]) => (va && vb ? vb.compare(va) : va ? -1 : vb ? 1 : a < b ? -1 : 1)).map(([v]) => v);
  let latestId: number | undefined;
  for (const id of ids) {
    if (index.record(id).version !== versions[0]) continue;
    if (latestId === undefined || index.record(id).build_number > index.record(latestId).build_number) latestId = id;
  }
  facts = { name, ids, versions, latest: latestId === undefined ? undefined : index.record(latestId), latestId };
  byName.set(name, facts);
  return facts;
}

/** Up to `count` available versions closest to the first version written in `specText` (newest when there is none). */
export function nearestVersions(facts: PackageFacts, specText: string | undefined, count = 3): string[] {
  const anchorText = specText === undefined ? undefined : /\d[\w.!+]*/.exec(specText)?.[0];
  const anchor = anchorText === undefined ? undefined : Version.tryParse(anchorText.replace(/\.$/, ''));
  const readable = facts.versions.filter((v) => Version.tryParse(v) !== undefined);
  if (anchor === undefined || readable.length <= count) return readable.slice(0, count);
  // newest first: find where the anchor would go, then take the neighbours on both sides
  let at = readable.findIndex((v) => Version.parse(v).compare(anchor) <= 0);
  if (at === -1) at = readable.length;
  const out: string[] = [];
  let lo = at - 1;
  let hi = at;
  while (out.length < count && (lo >= 0 || hi < readable.length)) {
    if (hi < readable.length) out.push(readable[hi++]!);
    if (out.length < count && lo >= 0) out.push(readable[lo--]!);
  }
  return out.sort((a, b) => Version.parse(b).compare(Version.parse(a)));
}
