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

/** Bits of ManifestPaths.flags: the path type (0 hardlink, 1 softlink, 2 directory) and what the entry has. */
export const PATH_FLAG = { typeMask: 3, noLink: 4, sha256: 8, size: 16, binary: 32, placeholder: 64 } as const;
const TYPES: readonly PathType[] = ['hardlink', 'softlink', 'directory'];
const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * A package's manifest in columns: the paths as one array of strings, and the rest of each entry
 * in typed arrays (flags, sizes, placeholder numbers) and one buffer of hex digests (64 bytes each)
 * — no object per path. A big package lists tens of thousands of paths, and a warm install keeps
 * every manifest from the package cache to its conda-meta record: objects per path were most of
 * what it kept alive (bench/RESULTS.md, sessions 35 and 36). Entries are read by index.
 */
export class ManifestPaths {
  readonly length: number;
  /** The path of each entry inside the package (clean). */
  readonly names: readonly string[];
  /** PATH_FLAG bits of each entry. */
  readonly flags: Uint8Array;
  /** size_in_bytes of each entry (where PATH_FLAG.size). */
  readonly sizes: Float64Array;
  /** The sha256 of each entry as 64 hex characters, latin1 (where PATH_FLAG.sha256). */
  readonly digests: Buffer;
  /** The number in `placeholders` of each entry's placeholder (where PATH_FLAG.placeholder). */
  readonly marks: Uint16Array | Uint32Array;
  readonly placeholders: readonly string[];
  /** A sha256 paths.json gives that is not 64 hex digits, by entry (kept as given). */
  readonly oddDigests: ReadonlyMap<number, string> | undefined;

  constructor(
    names: readonly string[],
    flags: Uint8Array,
    sizes: Float64Array,
    digests: Buffer,
    marks: Uint16Array | Uint32Array,
    placeholders: readonly string[],
    oddDigests?: ReadonlyMap<number, string>,
  ) {
    this.length = names.length;
    this.names = names;
    this.flags = flags;
    this.sizes = sizes;
    this.digests = digests;
    this.marks = marks;
    this.placeholders = placeholders;
    this.oddDigests = oddDigests;
  }

  path(i: number): string {
    return this.names[i]!;
  }
  type(i: number): PathType {
    return TYPES[this.flags[i]! & PATH_FLAG.typeMask]!;
  }
  sha256(i: number): string | undefined {
    if ((this.flags[i]! & PATH_FLAG.sha256) === 0) return undefined;
    return this.oddDigests?.get(i) ?? this.digests.toString('latin1', 64 * i, 64 * i + 64);
  }
  size(i: number): number | undefined {
    return this.flags[i]! & PATH_FLAG.size ? this.sizes[i] : undefined;
  }
  placeholder(i: number): string | undefined {
    return this.flags[i]! & PATH_FLAG.placeholder ? this.placeholders[this.marks[i]!] : undefined;
  }
  fileMode(i: number): FileMode | undefined {
    const f = this.flags[i]!;
    return f & PATH_FLAG.placeholder ? (f & PATH_FLAG.binary ? 'binary' : 'text') : undefined;
  }
  noLink(i: number): boolean {
    return (this.flags[i]! & PATH_FLAG.noLink) !== 0;
  }
  /** Whether entry `i` is a file with a placeholder, which linking rewrites for the prefix. */
  isPlaceholderFile(i: number): boolean {
    // a hardlink (type 0) with a placeholder
    return (this.flags[i]! & (PATH_FLAG.typeMask | PATH_FLAG.placeholder)) === PATH_FLAG.placeholder;
  }
  /** Entry `i` as an object (for the few places that are not hot). */
  entry(i: number): PackagePath {
    return { path: this.names[i]!, type: this.type(i), sha256: this.sha256(i), size: this.size(i), placeholder: this.placeholder(i), fileMode: this.fileMode(i), noLink: this.noLink(i) };
  }
  entries(): PackagePath[] {
    return Array.from({ length: this.length }, (_, i) => this.entry(i));
  }

  static of(entries: readonly PackagePath[]): ManifestPaths {
    const n = entries.length;
    const flags = new Uint8Array(n);
    const sizes = new Float64Array(n);
    const digests = Buffer.alloc(64 * n, '0', 'latin1');
    const marks = new Uint32Array(n);
    const placeholders: string[] = [];
    const number = new Map<string, number>();
    let odd: Map<number, string> | undefined;
    entries.forEach((p, i) => {
      let f = TYPES.indexOf(p.type);
      if (p.noLink) f |= PATH_FLAG.noLink;
      if (p.sha256 !== undefined) {
        f |= PATH_FLAG.sha256;
        if (HEX64.test(p.sha256)) digests.write(p.sha256, 64 * i, 'latin1');
        else (odd ??= new Map()).set(i, p.sha256);
      }
      if (p.size !== undefined) {
        f |= PATH_FLAG.size;
        sizes[i] = p.size;
      }
      if (p.placeholder !== undefined) {
        f |= PATH_FLAG.placeholder;
        if (p.fileMode === 'binary') f |= PATH_FLAG.binary;
        let k = number.get(p.placeholder);
        if (k === undefined) {
          k = placeholders.push(p.placeholder) - 1;
          number.set(p.placeholder, k);
        }
        marks[i] = k;
      }
      flags[i] = f;
    });
    return new ManifestPaths(
      entries.map((p) => p.path),
      flags,
      sizes,
      digests,
      marks,
      placeholders,
      odd,
    );
  }
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
  paths: ManifestPaths;
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
    paths: ManifestPaths.of(paths),
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
