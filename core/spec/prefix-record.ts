// An installed environment as conda records it in `<prefix>/conda-meta`: one PrefixRecord JSON
// file per installed package (the repodata record plus where it came from and its files), the
// user's requests in `history` (conda's History.get_requested_specs_map), and `pinned`.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitChannel } from './channel-name.ts';
import { SpecError } from './errors.ts';
import { MatchSpec } from './match-spec.ts';
import { type PackageRecord, readPackageRecord } from './record.ts';

/** An installed package: its record, and the channel (canonical name) and URL it came from. */
export interface PrefixRecord {
  record: PackageRecord;
  /** Canonical channel name (`conda-forge`, `defaults`, a base URL), `<unknown>` when not recorded. */
  channel: string;
  subdir: string | undefined;
  /** The package's file name (`numpy-1.26.4-py312h0_0.conda`). */
  fn: string;
  url: string | undefined;
  /** The raw JSON object, for adding the record to an index as conda adds prefix records. */
  raw: Record<string, unknown>;
}

export interface CondaMeta {
  records: PrefixRecord[];
  /** What the user asked for, one spec per name, for packages still installed. */
  history: MatchSpec[];
  /** conda-meta/pinned specs. */
  pinned: MatchSpec[];
}

/** Read one conda-meta/*.json PrefixRecord. */
export function readPrefixRecord(json: unknown, source?: string): PrefixRecord {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new SpecError(`${source ?? 'prefix record'}: not a JSON object`);
  const raw = json as Record<string, unknown>;
  const url = typeof raw.url === 'string' ? raw.url : undefined;
  const fromUrl = url === undefined ? undefined : url.split('/').pop();
  const fn = typeof raw.fn === 'string' ? raw.fn : fromUrl;
  const record = readPackageRecord(raw, { fn, source });
  const parts = typeof raw.channel === 'string' && raw.channel !== '' ? splitChannel(raw.channel) : undefined;
  return { record, channel: parts?.name ?? '<unknown>', subdir: record.subdir ?? parts?.subdir, fn: record.fn, url, raw };
}

/** The specs of conda's `# update specs: [...]`-style history comment lines, in order, one per name (conda's History). */
export function readHistorySpecs(text: string): MatchSpec[] {
  const byName = new Map<string, MatchSpec>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^#\s*(\w+)\s*specs:\s*(.*)$/.exec(line.trim());
    if (m === null) continue;
    const action = m[1]!;
    const body = m[2]!.trim();
    // new format: a Python list of quoted strings; old format: comma-separated `name version` items
    const texts = body.startsWith('[') ? [...body.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((q) => q[1] ?? q[2]!) : body.split(',').map((s) => s.trim());
    const specs = texts.filter((s) => s !== '' && !s.endsWith('@')).map((s) => MatchSpec.tryParse(s)).filter((s) => s !== undefined);
    if (action === 'remove' || action === 'uninstall') for (const s of specs) byName.delete(s.name);
    else if (action === 'update' || action === 'install' || action === 'create' || action === 'neutered') for (const s of specs) byName.set(s.name, s);
  }
  return [...byName.values()];
}

/** Specs of a conda-meta/pinned file: one per line, `#` comments. */
export function readPinnedSpecs(text: string): MatchSpec[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => MatchSpec.parse(l));
}

/** Read `<prefix>/conda-meta`: every record, the history (limited to installed names, as conda does) and the pins. */
export function readCondaMeta(prefix: string): CondaMeta {
  const dir = join(prefix, 'conda-meta');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    throw new SpecError(`${prefix}: not a conda environment (no conda-meta folder)`);
  }
  const records = files.map((f) => {
    const path = join(dir, f);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new SpecError(`${path}: not valid JSON (${(e as Error).message})`);
    }
    return readPrefixRecord(json, path);
  });
  const optional = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const installed = new Set(records.map((r) => r.record.name));
  const history = readHistorySpecs(optional('history')).filter((s) => installed.has(s.name));
  return { records, history, pinned: readPinnedSpecs(optional('pinned')) };
}
