// Test helpers for linking: builds a package (.conda via package-builder.ts) with a generated
// info/paths.json (or the old info/files + info/has_prefix), extracts it into a package cache the
// way fetchPackages leaves it (with info/repodata_record.json), and lists a prefix's tree.

import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractPackageArchive } from '../../core/install/extract-package.ts';
import { buildRepodataRecord, writeRepodataRecord, type RepodataRecordJson } from '../../core/install/repodata-record.ts';
import { buildConda, type TarEntrySpec } from '../support/package-builder.ts';

export interface PkgFile {
  name: string;
  data?: string | Buffer;
  mode?: number;
  type?: 'file' | 'symlink' | 'dir';
  linkname?: string;
  placeholder?: string;
  fileMode?: 'text' | 'binary';
  noLink?: boolean;
  /** paths.json says this path has another type than the archive entry (damaged packages). */
  pathType?: 'hardlink' | 'softlink' | 'directory';
}

export interface PkgSpec {
  name: string;
  version?: string;
  build?: string;
  buildNumber?: number;
  files: PkgFile[];
  depends?: string[];
  /** Extra info/index.json fields (noarch, subdir, …). */
  index?: Record<string, unknown>;
  /** info/link.json, when given. */
  linkJson?: Record<string, unknown>;
  /** Old format: info/files and info/has_prefix instead of info/paths.json. */
  oldFormat?: boolean;
}

export interface BuiltPackage {
  fn: string;
  dist: string;
  dir: string;
  archive: string;
  record: RepodataRecordJson;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Builds `spec`, writes it to `pkgsDir/<fn>` and extracts it to `pkgsDir/<dist>` with a repodata_record.json. */
export async function buildPackage(pkgsDir: string, spec: PkgSpec): Promise<BuiltPackage> {
  const version = spec.version ?? '1.0';
  const build = spec.build ?? '0';
  const dist = `${spec.name}-${version}-${build}`;
  const fn = `${dist}.conda`;
  const index = { name: spec.name, version, build, build_number: spec.buildNumber ?? 0, depends: spec.depends ?? [], subdir: 'noarch', ...spec.index };
  const info: TarEntrySpec[] = [{ name: 'info/index.json', data: JSON.stringify(index) }];
  if (spec.linkJson) info.push({ name: 'info/link.json', data: JSON.stringify(spec.linkJson) });
  if (spec.oldFormat) {
    info.push({ name: 'info/files', data: spec.files.filter((f) => f.type !== 'dir').map((f) => f.name).join('\n') + '\n' });
    const hasPrefix = spec.files.filter((f) => f.placeholder).map((f) => (f.placeholder === '/opt/anaconda1anaconda2anaconda3' && f.fileMode !== 'binary' ? f.name : `${f.placeholder} ${f.fileMode ?? 'text'} ${f.name}`));
    if (hasPrefix.length > 0) info.push({ name: 'info/has_prefix', data: hasPrefix.join('\n') + '\n' });
    const noLink = spec.files.filter((f) => f.noLink).map((f) => f.name);
    if (noLink.length > 0) info.push({ name: 'info/no_link', data: noLink.join('\n') + '\n' });
  } else {
    const paths = spec.files.map((f) => {
      const type = f.pathType ?? (f.type === 'symlink' ? 'softlink' : f.type === 'dir' ? 'directory' : 'hardlink');
      const entry: Record<string, unknown> = { _path: f.name, path_type: type };
      if (type === 'hardlink') {
        const data = Buffer.from(f.data ?? '');
        entry.sha256 = sha256(data);
        entry.size_in_bytes = data.length;
      }
      if (f.placeholder) {
        entry.prefix_placeholder = f.placeholder;
        entry.file_mode = f.fileMode ?? 'text';
      }
      if (f.noLink) entry.no_link = true;
      return entry;
    });
    info.push({ name: 'info/paths.json', data: JSON.stringify({ paths, paths_version: 1 }) });
  }
  const pkg: TarEntrySpec[] = spec.files.map((f) =>
    f.type === 'symlink' ? { name: f.name, type: 'symlink', linkname: f.linkname! } : f.type === 'dir' ? { name: f.name, type: 'dir', mode: f.mode } : { name: f.name, data: f.data ?? '', mode: f.mode },
  );
  const bytes = buildConda(dist, { info, pkg });
  await mkdir(pkgsDir, { recursive: true });
  const archive = join(pkgsDir, fn);
  await writeFile(archive, bytes);
  const dir = join(pkgsDir, dist);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await extractPackageArchive(archive, 'conda', dir, { what: fn });
  const url = `https://example.invalid/test/noarch/${fn}`;
  const record = buildRepodataRecord({ ...index, channel: 'https://example.invalid/test' }, index, { fn, url, sha256: sha256(bytes), size: bytes.length });
  await writeRepodataRecord(dir, record);
  return { fn, dist, dir, archive, record };
}

export interface TreeEntry {
  type: 'file' | 'link' | 'dir';
  mode?: number;
  target?: string;
  size?: number;
}

/** Every path under `root` (relative, sorted) with its type, mode, size and link target. */
export async function tree(root: string, skip: (rel: string) => boolean = () => false): Promise<Record<string, TreeEntry>> {
  const out: Record<string, TreeEntry> = {};
  const walk = async (rel: string) => {
    const names = await readdir(join(root, rel)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (skip(r)) continue;
      const st = await lstat(join(root, r));
      if (st.isSymbolicLink()) out[r] = { type: 'link', target: await readlink(join(root, r)) };
      else if (st.isDirectory()) {
        out[r] = { type: 'dir' };
        await walk(r);
      } else out[r] = { type: 'file', mode: st.mode & 0o7777, size: st.size };
    }
  };
  await walk('');
  return out;
}

/** The content of every regular file under `root` (relative path → text). */
export async function contents(root: string): Promise<Record<string, string>> {
  const t = await tree(root);
  const out: Record<string, string> = {};
  for (const [rel, e] of Object.entries(t)) if (e.type === 'file') out[rel] = await readFile(join(root, rel), 'latin1');
  return out;
}
