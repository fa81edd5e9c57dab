// The `envSetup.writeSpecFile` command: the solved environment of one platform written as an
// env-setup spec file (conda's explicit format, core/cache/spec-file.ts) beside the environment
// file, as `<stem>.<platform>.txt`, through the client (workspace/applyEdit) so it can be undone.

import type { CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { writeSpecFile } from '../../core/cache/spec-file.ts';
import type { PlatformSolve } from './document-solve.ts';
import type { ReadyIndex } from './index-store.ts';

/** The URI of the spec file for an environment file and platform. */
export function specFileUri(uri: string, platform: string): string {
  const slash = uri.lastIndexOf('/');
  const base = uri.slice(slash + 1).replace(/\.ya?ml$/i, '');
  return `${uri.slice(0, slash + 1)}${base}.${platform}.txt`;
}

/** The edit creating (or replacing) the spec file; undefined when the platform did not solve. */
export function specFileEdit(uri: string, solve: PlatformSolve, ready: ReadyIndex, version: string): { uri: string; text: string; edit: WorkspaceEdit } | undefined {
  if (!solve.solution.ok) return undefined;
  const loaded = ready.loaded;
  const virtual = loaded.virtualNames.flatMap((n) => loaded.index.candidates(n).filter((id) => loaded.index.channelOf(id) === loaded.virtualChannel).map((id) => loaded.index.record(id)));
  const text = writeSpecFile({
    platform: solve.platform,
    channels: loaded.channels.map((c) => c.name),
    virtualPackages: virtual.map((r) => ({ name: r.name, version: r.version, build: r.build })),
    packages: solve.solution.packages,
    envSetupVersion: version,
  });
  const target = specFileUri(uri, solve.platform);
  const create: CreateFile = { kind: 'create', uri: target, options: { overwrite: true } };
  const fill: TextDocumentEdit = { textDocument: { uri: target, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] };
  return { uri: target, text, edit: { documentChanges: [create, fill] } };
}
