// Reads one subdir's repodata.json into its parts: `info`, `repodata_version`, `removed`, and the
// package entries as a RepodataPackages, which parses records one package name at a time. The
// structure comes from a byte scan (repodata-scan.ts), or from a table the cache kept beside the
// bytes (repodata-table-file.ts). conda's rules for which entries count (`removed`, a `.conda` file
// hiding the `.tar.bz2` of the same package) are applied by the index, per name.

import { RepodataPackages } from './repodata-packages.ts';
import { scanRepodata, type RepodataTable, type RepodataWhere } from './repodata-scan.ts';

export type { RawPackageEntry } from './repodata-packages.ts';
export type { RepodataWhere } from './repodata-scan.ts';

export interface ParsedRepodata {
  /** The `info` object (`subdir`, `base_url`, …); `{}` when absent. */
  info: Record<string, unknown>;
  /** `repodata_version` (2 means package URLs are relative to `info.base_url`); undefined when absent. */
  repodataVersion: number | undefined;
  packages: RepodataPackages;
  /** File names listed under `removed`. */
  removed: string[];
}

/** Reads repodata bytes (scanning them unless `table`, their scan, is given). Throws ChannelError('malformed'). */
export function parseRepodata(content: Uint8Array | string, where: RepodataWhere, table?: RepodataTable): ParsedRepodata {
  const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const t = table ?? scanRepodata(bytes, where);
  return { info: t.info, repodataVersion: t.repodataVersion, packages: new RepodataPackages(bytes, t, where), removed: t.removed };
}
