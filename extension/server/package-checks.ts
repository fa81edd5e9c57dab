// Diagnostics that need the channels but not a solve: package names the channels do not have (with
// "did you mean"), version specs no record satisfies (naming the nearest versions that exist),
// packages missing on some of the target platforms, and duplicate or contradicting entries. Each
// carries `data` the quick fixes read.

import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { SpecError } from '../../core/spec/errors.ts';
import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import { appliesOn, exactName } from './document-context.ts';
import { type DocumentModel, SOURCE } from './document-model.ts';
import type { ReadyIndex } from './index-store.ts';
import { nearestVersions, packageFacts } from './package-facts.ts';
import { toLspRange } from './positions.ts';

/** `data` of a diagnostic with a quick fix. */
export type CheckData =
  | { kind: 'rename'; name: string; suggestions: string[] }
  | { kind: 'version'; name: string; versions: string[] };

/** One entry's standing on one platform. */
export type EntryStatus = 'ok' | 'unknown-name' | 'no-version';

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Per platform, the entries that cannot be installed there (left out of that platform's solve). */
  failing: Map<string, Set<DependencyEntry>>;
}

/** Checks a document's dependencies against the ready indexes (platform → index; the first is the primary). */
export function checkPackages(model: DocumentModel, indexes: ReadonlyMap<string, ReadyIndex>): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const failing = new Map<string, Set<DependencyEntry>>();
  for (const platform of indexes.keys()) failing.set(platform, new Set());
  const platforms = [...indexes.keys()];
  for (const entry of model.dependencies) {
    const name = exactName(entry);
    if (name === undefined) continue;
    const status = new Map<string, EntryStatus>();
    for (const [platform, ready] of indexes) {
      if (!appliesOn(entry, platform)) continue;
      const st = statusOn(entry, name, ready);
      status.set(platform, st);
      if (st !== 'ok') failing.get(platform)!.add(entry);
    }
    if (status.size === 0) continue;
    const range = toLspRange(entry.range);
    const where = (list: string[]) => list.join(', ');
    const on = (s: EntryStatus) => [...status].filter(([, v]) => v === s).map(([p]) => p);
    const unknown = on('unknown-name');
    const noVersion = on('no-version');
    const ok = on('ok');
    const primary = indexes.get(platforms.find((p) => status.has(p))!)!;
    const channels = primary.loaded.channels.map((c) => c.name).join(', ') || 'the configured channels';
    if (unknown.length === status.size) {
      const suggestions = primary.names.similar(name, 3).filter((n) => !n.startsWith('__') || name.startsWith('__'));
      diagnostics.push({
        range,
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        code: 'unknown-package',
        message: `package '${name}' is not in ${channels}${status.size > 1 || indexes.size > 1 ? ` for ${where(unknown)}` : ''}${suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : ''}`,
        data: { kind: 'rename', name, suggestions } satisfies CheckData,
      });
      continue;
    }
    if (unknown.length > 0) {
      diagnostics.push({
        range,
        severity: DiagnosticSeverity.Warning,
        source: SOURCE,
        code: 'missing-on-platform',
        message: `package '${name}' is not available for ${where(unknown)} (it is for ${where([...ok, ...noVersion])})`,
      });
    }
    if (noVersion.length > 0) {
      const known = [...ok, ...noVersion];
      const ready = indexes.get(noVersion[0]!)!;
      const facts = packageFacts(ready.loaded, name);
      const nearest = nearestVersions(facts, entry.spec.version?.toString());
      const wanted = entry.text.slice(entry.text.toLowerCase().indexOf(name) + name.length).trim() || entry.text;
      const all = noVersion.length === known.length;
      diagnostics.push({
        range,
        severity: all ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        source: SOURCE,
        code: all ? 'no-matching-version' : 'missing-on-platform',
        message:
          `no ${name} package matches '${wanted}'${indexes.size > 1 ? ` for ${where(noVersion)}` : ''} in ${channels}` +
          (nearest.length > 0 ? `; the nearest versions are ${nearest.join(', ')}` : '') +
          (all ? '' : ` (${where(ok)} ${ok.length === 1 ? 'has' : 'have'} one)`),
        data: { kind: 'version', name, versions: nearest } satisfies CheckData,
      });
    }
  }
  diagnostics.push(...duplicates(model, indexes.values().next().value));
  return { diagnostics, failing };
}

function statusOn(entry: DependencyEntry, name: string, ready: ReadyIndex): EntryStatus {
  if (!ready.names.has(name)) return 'unknown-name';
  const { index } = ready.loaded;
  const facts = packageFacts(ready.loaded, name);
  return facts.ids.some((id) => index.matches(entry.spec, id)) ? 'ok' : 'no-version';
}

/** Entries for one package name listed more than once (under the same selector). */
function duplicates(model: DocumentModel, primary: ReadyIndex | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const groups = new Map<string, DependencyEntry[]>();
  for (const entry of model.dependencies) {
    const name = exactName(entry);
    if (name === undefined) continue;
    const key = `${name}\u0000${entry.selector ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    for (const entry of group.slice(1)) {
      const related = [{ location: { uri: model.uri, range: toLspRange(first.range) }, message: `first listed here: ${first.text}` }];
      const line = first.range.start.line;
      if (entry.spec.toString() === first.spec.toString()) {
        out.push({ range: toLspRange(entry.range), severity: DiagnosticSeverity.Warning, source: SOURCE, code: 'duplicate', message: `${entry.spec.name} is already listed on line ${line}; remove this entry`, relatedInformation: related });
        continue;
      }
      let merged: MatchSpec | undefined;
      let conflict: string | undefined;
      try {
        merged = MatchSpec.merge([first.spec, entry.spec])[0];
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        conflict = error.message.replace(/^cannot merge /, '');
      }
      if (merged !== undefined && primary !== undefined && primary.names.has(entry.spec.name)) {
        const { index } = primary.loaded;
        const ids = packageFacts(primary.loaded, entry.spec.name).ids;
        const each = ids.some((id) => index.matches(first.spec, id)) && ids.some((id) => index.matches(entry.spec, id));
        if (each && !ids.some((id) => index.matches(merged, id))) conflict = `no ${entry.spec.name} package satisfies both '${first.text}' and '${entry.text}'`;
      }
      if (conflict !== undefined) {
        out.push({ range: toLspRange(entry.range), severity: DiagnosticSeverity.Error, source: SOURCE, code: 'contradiction', message: `contradicts line ${line}: ${conflict}; keep one entry for ${entry.spec.name}`, relatedInformation: related });
      } else {
        out.push({
          range: toLspRange(entry.range),
          severity: DiagnosticSeverity.Warning,
          source: SOURCE,
          code: 'duplicate',
          message: `${entry.spec.name} is also listed on line ${line} (${first.text}); conda combines the two as ${merged?.toString() ?? entry.spec.toString()}: write it once`,
          relatedInformation: related,
        });
      }
    }
  }
  return out;
}
