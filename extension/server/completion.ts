// Completion from what the cursor is in, read from the text as typed (the file may not parse
// while being written): top-level keys, package names in `dependencies` (a prefix search over the
// sorted names of the channels), versions after `=`, `==`, `>=`, …, channel names in `channels`
// and platforms in `platforms`.

import { type CompletionItem, CompletionItemKind, type CompletionList, type Position } from 'vscode-languageserver';
import { KNOWN_SUBDIRS } from '../../core/spec/platform.ts';
import type { DocumentModel } from './document-model.ts';
import type { ReadyIndex } from './index-store.ts';
import { packageFacts } from './package-facts.ts';

const TOP_LEVEL_KEYS = ['name', 'channels', 'dependencies', 'variables', 'prefix', 'platforms', 'category'];
const WELL_KNOWN_CHANNELS = ['conda-forge', 'bioconda', 'defaults', 'nodefaults', 'pytorch', 'nvidia'];
const NAME_LIMIT = 100;

export function completion(model: DocumentModel, position: Position, ready: ReadyIndex | undefined, channels: readonly string[]): CompletionList {
  const empty = { isIncomplete: false, items: [] };
  const line = model.lines[position.line] ?? '';
  const before = line.slice(0, position.character);
  if (/^[A-Za-z_]*$/.test(before)) {
    return { isIncomplete: false, items: TOP_LEVEL_KEYS.filter((k) => k.startsWith(before)).map((k) => ({ label: k, kind: CompletionItemKind.Property, insertText: `${k}:` })) };
  }
  const section = sectionAt(model.lines, position.line);
  const item = /^(\s*)-\s+["']?(.*)$/.exec(before);
  if (item === null || section === undefined) return empty;
  const typed = item[2]!;
  const rangeOf = (length: number) => ({ start: { line: position.line, character: position.character - length }, end: position });
  if (section === 'channels') {
    const all = [...new Set([...channels, ...WELL_KNOWN_CHANNELS])].filter((c) => c.startsWith(typed));
    return { isIncomplete: false, items: all.map((c) => ({ label: c, kind: CompletionItemKind.Module, textEdit: { range: rangeOf(typed.length), newText: c } })) };
  }
  if (section === 'platforms') {
    const all = [...KNOWN_SUBDIRS].filter((p) => p !== 'noarch' && p.startsWith(typed));
    return { isIncomplete: false, items: all.map((p) => ({ label: p, kind: CompletionItemKind.EnumMember, textEdit: { range: rangeOf(typed.length), newText: p } })) };
  }
  if (section !== 'dependencies' || item[1]!.length > (indentOfSection(model.lines, position.line) ?? item[1]!.length) || ready === undefined) return empty;
  const name = /^(?:[^\s:]+::)?([A-Za-z0-9_][A-Za-z0-9_.\-]*)?$/.exec(typed);
  if (name !== null) {
    const prefix = name[1] ?? '';
    const names = ready.names.withPrefix(prefix, NAME_LIMIT + 1);
    const items: CompletionItem[] = names.slice(0, NAME_LIMIT).map((n) => ({ label: n, kind: CompletionItemKind.Module, textEdit: { range: rangeOf(prefix.length), newText: n } }));
    return { isIncomplete: names.length > NAME_LIMIT, items };
  }
  const version = /^(?:[^\s:]+::)?([A-Za-z0-9_][A-Za-z0-9_.\-]*)\s*.*?(==|=|>=|<=|>|<|!=|~=)\s*([\w.*+!]*)$/.exec(typed);
  if (version === null) return empty;
  const pkg = version[1]!.toLowerCase();
  const partial = version[3]!;
  if (!ready.names.has(pkg)) return empty;
  const versions = packageFacts(ready.loaded, pkg).versions.filter((v) => v.startsWith(partial));
  return {
    isIncomplete: false,
    items: versions.map((v, i) => ({ label: v, kind: CompletionItemKind.Value, sortText: String(i).padStart(6, '0'), filterText: v, textEdit: { range: rangeOf(partial.length), newText: v } })),
  };
}

/** The top-level key whose block the line is in. */
function sectionAt(lines: readonly string[], line: number): string | undefined {
  for (let i = line; i >= 0; i--) {
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(lines[i] ?? '');
    if (m) return m[1];
  }
  return undefined;
}

/** The indentation of the `dependencies` list items (so `pip:` sub-items, deeper, are left alone). */
function indentOfSection(lines: readonly string[], line: number): number | undefined {
  for (let i = line - 1; i >= 0; i--) {
    const text = lines[i] ?? '';
    if (/^[A-Za-z_]/.test(text)) {
      for (let j = i + 1; j <= line; j++) {
        const m = /^(\s*)-\s/.exec(lines[j] ?? '');
        if (m) return m[1]!.length;
      }
      return undefined;
    }
  }
  return undefined;
}
