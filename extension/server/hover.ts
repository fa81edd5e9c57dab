// Hover on a dependency: the package as the channels have it (license, latest version and its
// size, the versions available) and the version the solve picked.

import { type Hover, MarkupKind, type Position } from 'vscode-languageserver';
import { exactName } from './document-context.ts';
import type { DocumentModel } from './document-model.ts';
import { type PlatformSolve, solvedOf } from './document-solve.ts';
import type { ReadyIndex } from './index-store.ts';
import { packageFacts } from './package-facts.ts';
import { contains, toLspRange } from './positions.ts';
import { formatBytes } from './code-lens.ts';

const SHOWN_VERSIONS = 12;

export function hover(model: DocumentModel, position: Position, ready: ReadyIndex | undefined, primary: PlatformSolve | undefined, loading: string | undefined): Hover | null {
  const entry = model.dependencies.find((e) => contains(toLspRange(e.range), position));
  if (entry === undefined) return null;
  const name = exactName(entry);
  if (name === undefined) return null;
  const range = toLspRange(entry.range);
  if (ready === undefined) return { range, contents: { kind: MarkupKind.Markdown, value: `**${name}**\n\n${loading ?? 'channels not loaded'}` } };
  const facts = packageFacts(ready.loaded, name);
  if (facts.latest === undefined) return { range, contents: { kind: MarkupKind.Markdown, value: `**${name}**: not in ${ready.loaded.channels.map((c) => c.name).join(', ')}` } };
  const latest = facts.latest;
  const solved = solvedOf(primary, name);
  const lines = [`**${name}**${latest.license ? ` — license ${latest.license}` : ''}`, ''];
  lines.push(`Latest: ${latest.version} (${latest.build}, ${latest.size === undefined ? 'size unknown' : formatBytes(latest.size)}) from ${ready.loaded.index.channelOf(facts.latestId!)}`);
  if (solved) lines.push('', `Solved: **${solved.version}** (${solved.build}, ${solved.size === undefined ? 'size unknown' : formatBytes(solved.size)}) for ${solved.subdir}`);
  const shown = facts.versions.slice(0, SHOWN_VERSIONS).join(', ');
  lines.push('', `Versions (${facts.versions.length}, ${facts.ids.length} builds): ${shown}${facts.versions.length > SHOWN_VERSIONS ? ', …' : ''}`);
  return { range, contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}
