// What a transaction writes into `<prefix>/conda-meta`, in conda's formats so that conda, mamba and
// pixi read the environment as their own:
//
//   <name>-<version>-<build>.json   the PrefixRecord: the package's repodata_record.json plus
//                                   `files`, `paths_data` (path types, sha256, sha256_in_prefix,
//                                   placeholders), `link` {source, type}, `requested_spec`,
//                                   `extracted_package_dir`, `package_tarball_full_path`; sorted keys
//   history                         one block per transaction: `==> date <==`, `# cmd:`, `-`/`+`
//                                   dist lines (`channel/subdir::name-version-build`), and
//                                   `# update specs: [...]` / `# remove specs: [...]`
//   state                           `{"env_vars": {...}}`: an environment file's `variables:`

import { splitChannel } from '../spec/channel-name.ts';
import type { LinkedPackage } from './link-package.ts';
import type { RepodataRecordJson } from './repodata-record.ts';

export interface PrefixRecordInput {
  /** The package's info/repodata_record.json. */
  record: RepodataRecordJson;
  /** The extracted package folder it was linked from. */
  dir: string;
  /** The archive in the package cache, when known. */
  archive?: string | undefined;
  linked: Pick<LinkedPackage, 'files' | 'pathsData' | 'linkType'>;
  /** The spec the user asked for by this package's name (conda writes "None" when there is none). */
  requestedSpec?: string | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** `conda-meta/<name>-<version>-<build>.json` for a record. */
export function prefixRecordFileName(record: { name?: unknown; version?: unknown; build?: unknown }): string {
  return `${str(record.name)}-${str(record.version)}-${str(record.build)}.json`;
}

/** The PrefixRecord document (keys sorted as conda writes them). */
export function buildPrefixRecord(input: PrefixRecordInput): Record<string, unknown> {
  const fn = str(input.record.fn);
  const ext = fn.endsWith('.tar.bz2') ? '.tar.bz2' : '.conda';
  const merged: Record<string, unknown> = {
    ...input.record,
    files: input.linked.files.filter((_, i) => i >= input.linked.pathsData.rowCount || input.linked.pathsData.pathType(i) !== 'directory'),
    // made entry by entry as the record is written (prefix-paths-data.ts), keys already sorted
    paths_data: { paths: input.linked.pathsData, paths_version: 1 },
    link: { source: input.dir, type: input.linked.linkType },
    requested_spec: input.requestedSpec ?? 'None',
    extracted_package_dir: input.dir,
    package_tarball_full_path: input.archive ?? input.dir + ext,
  };
  return sortKeys(merged);
}

/** `value` with its keys in sorted order: itself when they already are, else a copy. */
function sortKeys<T extends object>(value: T): T {
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
  if (sorted) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = (value as Record<string, unknown>)[key];
  return out as T;
}

/** conda's dist string of a record: `conda-forge/linux-64::numpy-1.26.4-py312h0_0`. */
export function distString(record: { name?: unknown; version?: unknown; build?: unknown; channel?: unknown; subdir?: unknown; url?: unknown }): string {
  const channelText = str(record.channel) || str(record.url).split('/').slice(0, -1).join('/');
  const parts = channelText === '' ? undefined : splitChannel(channelText);
  const subdir = str(record.subdir) || parts?.subdir || '';
  const channel = parts?.name ?? '<unknown>';
  return `${channel}${subdir ? `/${subdir}` : ''}::${str(record.name)}-${str(record.version)}-${str(record.build)}`;
}

/** A Python `repr` of a list of strings, as conda writes specs into history. */
export function pythonListRepr(items: readonly string[]): string {
  const repr = (s: string) => {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    return quote + s.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`).replaceAll('\n', '\\n') + quote;
  };
  return `[${items.map(repr).join(', ')}]`;
}

export interface HistoryBlock {
  date: Date;
  /** The command line, for `# cmd:`. */
  cmd: string;
  /** env-setup's version, for `# env-setup version:`. */
  version?: string | undefined;
  unlinked: readonly string[];
  linked: readonly string[];
  updateSpecs?: readonly string[];
  removeSpecs?: readonly string[];
}

const two = (n: number) => String(n).padStart(2, '0');

/** One conda-meta/history block (local time, as conda writes it). */
export function formatHistoryBlock(block: HistoryBlock): string {
  const d = block.date;
  const lines = [`==> ${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} <==`, `# cmd: ${block.cmd}`];
  if (block.version) lines.push(`# env-setup version: ${block.version}`);
  for (const dist of [...block.unlinked].sort()) lines.push(`-${dist}`);
  for (const dist of [...block.linked].sort()) lines.push(`+${dist}`);
  if (block.removeSpecs?.length) lines.push(`# remove specs: ${pythonListRepr(block.removeSpecs)}`);
  if (block.updateSpecs?.length) lines.push(`# update specs: ${pythonListRepr(block.updateSpecs)}`);
  return lines.join('\n') + '\n';
}

/** conda-meta/state with `env_vars` set to `vars` (other keys of an existing state kept). */
export function buildStateFile(existing: string | undefined, vars: Readonly<Record<string, string>>): string {
  let state: Record<string, unknown> = {};
  try {
    const parsed = existing === undefined ? undefined : (JSON.parse(existing) as unknown);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) state = parsed as Record<string, unknown>;
  } catch {
    // an unreadable state file is replaced
  }
  const current = state.env_vars !== null && typeof state.env_vars === 'object' && !Array.isArray(state.env_vars) ? (state.env_vars as Record<string, unknown>) : {};
  state.env_vars = { ...current, ...vars };
  return JSON.stringify(state, null, 2) + '\n';
}

/** The `env_vars` of a conda-meta/state text ({} when absent or unreadable). */
export function readStateVars(text: string | undefined): Record<string, string> {
  try {
    const parsed = text === undefined ? undefined : (JSON.parse(text) as { env_vars?: unknown });
    const vars = parsed?.env_vars;
    if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) return {};
    return Object.fromEntries(Object.entries(vars as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}
