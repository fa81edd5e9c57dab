// What an extracted package asks to be linked (CEP 34): every path of `info/paths.json` with its
// type (hardlink, softlink, directory), hash, size, prefix placeholder and mode, `no_link`; or, for
// old packages without paths.json, the same built from `info/files`, `info/has_prefix` (lines
// `placeholder mode path` or just `path`, quoted or not) and `info/no_link`, the types read from the
// files themselves, as conda does. Also `info/link.json` (noarch type and python entry points) and
// `info/index.json`. Every path is checked to be a clean relative path; a damaged manifest is an
// InstallError 'corrupt' naming the package and the path.

import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstallError } from './errors.ts';
import { isCleanName, normalizeEntryName } from './path-safety.ts';

export type PathType = 'hardlink' | 'softlink' | 'directory';
export type FileMode = 'text' | 'binary';

/** conda's default placeholder, used by has_prefix lines that only name a file. */
export const DEFAULT_PLACEHOLDER = '/opt/anaconda1anaconda2anaconda3';

export interface PackagePath {
  /** The path inside the package (and, unless noarch: python moves it, inside the prefix). */
  path: string;
  type: PathType;
  sha256?: string | undefined;
  size?: number | undefined;
  /** The placeholder to replace by the prefix, with its mode. */
  placeholder?: string | undefined;
  fileMode?: FileMode | undefined;
  /** Always copy, never hard link. */
  noLink: boolean;
}

export interface PackageInfo {
  /** The extracted package folder. */
  dir: string;
  /** `name-version-build`, for messages. */
  dist: string;
  name: string;
  version: string;
  build: string;
  buildNumber: number;
  noarch: 'python' | 'generic' | undefined;
  /** `noarch: python` entry points, `cmd = module:func`. */
  entryPoints: string[];
  paths: PackagePath[];
  /** info/index.json as read. */
  index: Record<string, unknown>;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readLines(path: string): Promise<string[] | undefined> {
  try {
    return (await readFile(path, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function noarchOf(index: Record<string, unknown>, link: Record<string, unknown> | undefined): 'python' | 'generic' | undefined {
  const fromLink = isObject(link?.noarch) ? link.noarch.type : undefined;
  const raw = fromLink ?? index.noarch;
  if (raw === 'python' || raw === 'generic') return raw;
  // very old packages said `noarch_python: true`, or `noarch: true` for generic
  if (index.noarch_python === true) return 'python';
  if (raw === true) return 'generic';
  return undefined;
}

/** Reads what the package at `dir` asks to be linked. `what` names it in errors (its file name). */
export async function readPackageInfo(dir: string, what: string): Promise<PackageInfo> {
  return (await readInfo(dir, what, true))!;
}

/** readPackageInfo for a package with info/paths.json; undefined for an old package without one. */
export async function readPackageInfoFromPathsJson(dir: string, what: string): Promise<PackageInfo | undefined> {
  return readInfo(dir, what, false);
}

async function readInfo(dir: string, what: string, oldManifest: boolean): Promise<PackageInfo | undefined> {
  const corrupt = (message: string, file?: string): InstallError => new InstallError('corrupt', `${what}: ${message}`, { package: what, file });
  let index: unknown;
  let link: unknown;
  let pathsJson: unknown;
  try {
    [index, link, pathsJson] = await Promise.all([readJson(join(dir, 'info', 'index.json')), readJson(join(dir, 'info', 'link.json')), readJson(join(dir, 'info', 'paths.json'))]);
  } catch (error) {
    throw corrupt(`its metadata cannot be read (${(error as Error).message})`);
  }
  if (!isObject(index)) throw corrupt('has no readable info/index.json', 'info/index.json');
  const linkJson = isObject(link) ? link : undefined;
  const noarch = noarchOf(index, linkJson);
  const entryPoints = isObject(linkJson?.noarch) && Array.isArray(linkJson.noarch.entry_points) ? linkJson.noarch.entry_points.filter((e): e is string => typeof e === 'string') : [];
  let paths: PackagePath[];
  if (pathsJson !== undefined) paths = fromPathsJson(pathsJson, corrupt);
  else if (oldManifest) paths = await fromOldManifest(dir, corrupt);
  else return undefined;
  const seen = new Set<string>();
  for (const p of paths) {
    // nearly every name is clean as it is: checked without making anything
    if (!isCleanName(p.path)) {
      const clean = normalizeEntryName(p.path);
      if (!clean.ok || clean.path === '') throw corrupt(`info/paths.json lists "${p.path}", which ${clean.ok ? 'is empty' : clean.reason}`, p.path);
      p.path = clean.path;
    }
    if (p.path.startsWith('conda-meta') && (p.path.length === 10 || p.path[10] === '/')) throw corrupt(`its manifest lists ${p.path}: a package cannot write into conda-meta`, p.path);
    const before = seen.size;
    seen.add(p.path);
    if (seen.size === before) throw corrupt(`its manifest lists ${p.path} twice`, p.path);
  }
  const name = String(index.name ?? '');
  const version = String(index.version ?? '');
  const build = String(index.build ?? '');
  return {
    dir,
    dist: `${name}-${version}-${build}`,
    name,
    version,
    build,
    buildNumber: typeof index.build_number === 'number' ? index.build_number : Number(index.build_number ?? 0) || 0,
    noarch,
    entryPoints,
    paths,
    index,
  };
}

function fromPathsJson(json: unknown, corrupt: (m: string, f?: string) => InstallError): PackagePath[] {
  if (!isObject(json) || !Array.isArray(json.paths)) throw corrupt('info/paths.json has no "paths" list', 'info/paths.json');
  return json.paths.map((entry: unknown, i: number): PackagePath => {
    if (!isObject(entry) || typeof entry._path !== 'string') throw corrupt(`info/paths.json entry ${i} has no "_path"`, 'info/paths.json');
    const type = entry.path_type ?? 'hardlink';
    if (type !== 'hardlink' && type !== 'softlink' && type !== 'directory') throw corrupt(`info/paths.json gives ${entry._path} the unknown path_type "${String(type)}"`, entry._path);
    const mode = entry.file_mode;
    const placeholder = typeof entry.prefix_placeholder === 'string' && entry.prefix_placeholder !== '' ? entry.prefix_placeholder : undefined;
    return {
      path: entry._path,
      type,
      sha256: typeof entry.sha256 === 'string' ? entry.sha256 : undefined,
      size: typeof entry.size_in_bytes === 'number' ? entry.size_in_bytes : undefined,
      placeholder,
      fileMode: placeholder === undefined ? undefined : mode === 'binary' ? 'binary' : 'text',
      noLink: entry.no_link === true,
    };
  });
}

/** Splits a has_prefix line as conda does (shlex, non-POSIX: quotes kept, then stripped). */
export function splitHasPrefixLine(line: string): string[] {
  const parts: string[] = [];
  const re = /"[^"]*"|'[^']*'|\S+/g;
  for (const m of line.matchAll(re)) parts.push(m[0].replace(/^["']+|["']+$/g, ''));
  return parts;
}

async function fromOldManifest(dir: string, corrupt: (m: string, f?: string) => InstallError): Promise<PackagePath[]> {
  const [files, hasPrefix, noLink] = await Promise.all([readLines(join(dir, 'info', 'files')), readLines(join(dir, 'info', 'has_prefix')), readLines(join(dir, 'info', 'no_link'))]);
  if (files === undefined) throw corrupt('has neither info/paths.json nor info/files', 'info/files');
  const placeholders = new Map<string, { placeholder: string; mode: FileMode }>();
  for (const line of hasPrefix ?? []) {
    const parts = splitHasPrefixLine(line);
    if (parts.length === 1) placeholders.set(parts[0]!, { placeholder: DEFAULT_PLACEHOLDER, mode: 'text' });
    else if (parts.length === 3 && (parts[1] === 'text' || parts[1] === 'binary')) placeholders.set(parts[2]!, { placeholder: parts[0]!, mode: parts[1] });
    else throw corrupt(`info/has_prefix has a line conda cannot read: ${line}`, 'info/has_prefix');
  }
  const noLinks = new Set((noLink ?? []).map((l) => l.trim()));
  return Promise.all(
    files.map(async (raw): Promise<PackagePath> => {
      const path = raw.trim();
      let type: PathType = 'hardlink';
      try {
        const st = await lstat(join(dir, path));
        type = st.isSymbolicLink() ? 'softlink' : st.isDirectory() ? 'directory' : 'hardlink';
      } catch {
        throw corrupt(`info/files lists ${path}, which the package does not have`, path);
      }
      const prefix = placeholders.get(path);
      return { path, type, placeholder: prefix?.placeholder, fileMode: prefix?.mode, noLink: noLinks.has(path) };
    }),
  );
}
