// `env-setup lsp --stdio` driven by a real LSP client (vscode-languageserver-protocol over stdio)
// against conda's test index served as a channel on 127.0.0.1: initialize, didOpen/didChange,
// diagnostics with exact ranges and messages, code actions applied to the text and checked again,
// hover, completion, inlay hints, code lens and the spec file command, progress, shutdown.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeLens, CompletionList, Diagnostic, Hover, InlayHint, InitializeResult, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { LspClient } from './lsp-client.ts';

const fixtures = new URL('../../../shared/fixtures/', import.meta.url);
const skip = existsSync(fixtures) ? false : '../shared/fixtures is absent';

const line = (d: Diagnostic) => d.range.start.line;
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const byCode = (list: readonly Diagnostic[], code: string) => list.filter((d) => d.code === code);

describe('env-setup lsp --stdio', { skip }, () => {
  let server: ChannelServer;
  let client: LspClient;
  let home: string;
  let channel: string;
  const uri = 'file:///work/project/environment.yml';
  let doc: TextDocument;

  /** Sends the edits as an incremental didChange and applies them to our copy of the text. */
  async function change(edits: TextEdit[]): Promise<number> {
    const version = doc.version + 1;
    // the protocol applies content changes one after the other: send them last first so earlier ranges stay valid
    const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    doc = TextDocument.update(doc, ordered.map((e) => ({ range: e.range, text: e.newText })), version);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: ordered.map((e) => ({ range: e.range, text: e.newText })) });
    return version;
  }

  /** Applies a code action's edit (this document only). */
  function editsOf(action: CodeAction): TextEdit[] {
    const edits = action.edit?.changes?.[uri];
    assert.ok(edits, `action '${action.title}' has edits for the document`);
    return edits;
  }

  const lineOf = (text: string) => doc.getText().split('\n').findIndex((l) => l.includes(text));

  before(async () => {
    const index = JSON.parse(readFileSync(new URL('conda-test-index/index.json', fixtures), 'utf8'));
    server = await startChannelServer({
      files: {
        '/conda-test/linux-64/repodata.json': JSON.stringify({ info: { subdir: 'linux-64' }, packages: index, repodata_version: 1 }),
        '/conda-test/noarch/repodata.json': JSON.stringify({ info: { subdir: 'noarch' }, packages: {} }),
      },
    });
    channel = `${server.url}/conda-test`;
    home = mkdtempSync(join(tmpdir(), 'env-setup-lsp-'));
    client = new LspClient({ HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), CONDARC: '', CONDA_CHANNELS: '' });
  });
  after(async () => {
    client.child.kill();
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('initialize: the features it serves', async () => {
    const result = (await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: 'file:///work/project',
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true }, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
      },
      initializationOptions: { envSetup: { platforms: ['linux-64'], solveDebounceMs: 0, pinHintMinCandidates: 10 } },
    })) as InitializeResult;
    await client.connection.sendNotification('initialized', {});
    const caps = result.capabilities;
    assert.equal(caps.textDocumentSync, 2, 'incremental sync');
    assert.ok(caps.hoverProvider && caps.completionProvider && caps.codeActionProvider && caps.inlayHintProvider && caps.codeLensProvider);
    assert.deepEqual(caps.executeCommandProvider?.commands, ['envSetup.writeSpecFile']);
    assert.equal(result.serverInfo?.name, 'env-setup');
  });

  test('didOpen: syntax problems at once, then names and versions against the channel', async () => {
    const text = [
      'name: demo', //                     0
      'channels:', //                      1
      `  - ${channel}`, //                 2
      '  - nodefaults', //                 3
      'dependencies:', //                  4
      '  - python=3.3', //                 5
      '  - numpy', //                      6
      '  - scipy>=9', //                   7
      '  - pandsa', //                     8
      '  - numpy>>1', //                   9
      'extras: yes', //                    10
      '',
    ].join('\n');
    doc = TextDocument.create(uri, 'yaml', 1, text);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    // the first publication needs no channel: the spec syntax error and the unknown key
    const first = client.diagnostics.all.length > 0 ? client.diagnostics.all[0]! : await client.diagnosticsFor(uri, 1);
    const syntax = byCode(first.diagnostics, 'spec-syntax');
    assert.equal(syntax.length, 1);
    assert.deepEqual(syntax[0]!.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 12 } });
    assert.match(messageOf(syntax[0]!), /numpy>>1/);
    const key = byCode(first.diagnostics, 'unknown-key');
    assert.deepEqual(key.map((d) => [d.range, messageOf(d)]), [[{ start: { line: 10, character: 0 }, end: { line: 10, character: 6 } }, `unknown top-level key 'extras' is ignored by conda; remove it or check its spelling (known keys: name, channels, dependencies, variables, prefix, platforms, category)`]]);

    const checked = await client.diagnosticsFor(uri, 1, (p) => byCode(p.diagnostics, 'unknown-package').length > 0);
    const unknown = byCode(checked.diagnostics, 'unknown-package');
    assert.deepEqual(unknown[0]!.range, { start: { line: 8, character: 4 }, end: { line: 8, character: 10 } });
    assert.equal(messageOf(unknown[0]!), `package 'pandsa' is not in ${channel}; did you mean 'pandas'?`);
    const version = byCode(checked.diagnostics, 'no-matching-version');
    assert.deepEqual(version.map((d) => [line(d), d.range.start.character, d.range.end.character]), [[7, 4, 12]]);
    assert.equal(messageOf(version[0]!), `no scipy package matches '>=9' in ${channel}; the nearest versions are 0.12.0, 0.12.0b1, 0.11.0`);
    // the index loaded with progress reported
    const kind = (p: unknown) => (p as { value: { kind: string } }).value.kind;
    await client.progress.next((p) => kind(p) === 'end', 0, 'the end of the index load progress');
    assert.deepEqual([kind(client.progress.all[0]), kind(client.progress.all.at(-1))], ['begin', 'end']);
  });

  test('quick fixes: the name suggested and the nearest version, applied and checked again', async () => {
    const current = await client.diagnosticsFor(uri, doc.version, (p) => byCode(p.diagnostics, 'unknown-package').length > 0);
    const typo = byCode(current.diagnostics, 'unknown-package')[0]!;
    const impossible = byCode(current.diagnostics, 'no-matching-version')[0]!;
    const rename = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo], only: ['quickfix'] } })) as CodeAction[];
    assert.deepEqual(rename.map((a) => a.title), ["Change to 'pandas'"]);
    const versions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: impossible.range, context: { diagnostics: [impossible], only: ['quickfix'] } })) as CodeAction[];
    assert.deepEqual(versions.map((a) => a.title), ['Use scipy=0.12.0 (available)', 'Use scipy=0.12.0b1 (available)', 'Use scipy=0.11.0 (available)']);
    // apply both, and drop the bad spec line
    const bad = lineOf('numpy>>1');
    const v = await change([...editsOf(rename[0]!), ...editsOf(versions[0]!), { range: { start: { line: bad, character: 0 }, end: { line: bad + 1, character: 0 } }, newText: '' }]);
    assert.match(doc.getText(), /- pandas\n/);
    assert.match(doc.getText(), /- scipy=0\.12\.0\n/);
    const status = await client.solved(uri, v);
    assert.equal(status.state, 'solved', status.message);
    const after = await client.diagnosticsFor(uri, v, (p) => byCode(p.diagnostics, 'pin-hint').length > 0);
    assert.deepEqual(after.diagnostics.filter((d) => d.severity !== 4).map((d) => d.code), ['unknown-key']);
  });

  test('pin hints carry the measured effect; hover, completion, inlay hints and code lens use the solve', async () => {
    const current = await client.diagnosticsFor(uri, doc.version, (p) => byCode(p.diagnostics, 'pin-hint').length > 0);
    const hints = byCode(current.diagnostics, 'pin-hint');
    const numpyHint = hints.find((d) => line(d) === lineOf('- numpy'));
    assert.ok(numpyHint, JSON.stringify(hints));
    assert.match(messageOf(numpyHint), /^pinning numpy=1\.7 leaves \d+ of 55 candidates/);

    const numpyLine = lineOf('- numpy');
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: numpyLine, character: 6 } })) as Hover;
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /^\*\*numpy\*\*/);
    assert.match(value, /Latest: 1\.7\.1/);
    assert.match(value, /Solved: \*\*1\.7\.1\*\*/);
    assert.match(value, /Versions \(6, 55 builds\): 1\.7\.1, 1\.7\.0, 1\.7\.0rc1, 1\.7\.0b2, 1\.6\.2, 1\.5\.1/);

    const hints2 = (await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } })) as InlayHint[];
    const pandasLine = lineOf('- pandas');
    assert.deepEqual(hints2.map((h) => [h.position, h.label]), [[{ line: numpyLine, character: 9 }, '= 1.7.1'], [{ line: pandasLine, character: 10 }, '= 0.11.0']]);

    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.match(lenses[0]!.command!.title, /^13 packages · download size unknown · solved in \d+ ms$/);
    const write = lenses.find((l) => l.command?.command === 'envSetup.writeSpecFile');
    assert.ok(write);
    const result = (await client.connection.sendRequest('workspace/executeCommand', { command: write.command!.command, arguments: write.command!.arguments })) as { uri: string; applied: boolean };
    assert.deepEqual(result, { uri: 'file:///work/project/environment.linux-64.txt', applied: true });
    const edit = client.edits.at(-1)!.edit;
    const [create, fill] = edit.documentChanges as [{ kind: string; uri: string }, { edits: TextEdit[] }];
    assert.equal(create.kind, 'create');
    const spec = fill.edits[0]!.newText;
    assert.match(spec, /# platform: linux-64\n/);
    assert.match(spec, /@EXPLICIT\n/);
    assert.ok(spec.includes(`${channel}/linux-64/numpy-1.7.1-`), spec);

    // completion: names by prefix, versions after an operator
    const v = await change([{ range: { start: { line: numpyLine + 1, character: 0 }, end: { line: numpyLine + 1, character: 0 } }, newText: '  - pan\n' }]);
    const names = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: numpyLine + 1, character: 7 } })) as CompletionList;
    assert.ok(names.items.some((i) => i.label === 'pandas'), JSON.stringify(names.items.map((i) => i.label)));
    assert.ok(names.items.every((i) => i.label.startsWith('pan')));
    await change([{ range: { start: { line: numpyLine + 1, character: 4 }, end: { line: numpyLine + 1, character: 7 } }, newText: 'numpy>=1.6' }]);
    const versions = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: numpyLine + 1, character: 14 } })) as CompletionList;
    assert.deepEqual(versions.items.map((i) => i.label), ['1.6.2']);
    // back to the solved text
    await change([{ range: { start: { line: numpyLine + 1, character: 0 }, end: { line: numpyLine + 2, character: 0 } }, newText: '' }]);
    assert.ok(v > 0);
  });

  test('pins: the solved version, the compatible range, and all unpinned at once', async () => {
    const v0 = doc.version;
    await client.solved(uri, v0);
    const numpyLine = lineOf('- numpy');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: numpyLine, character: 5 }, end: { line: numpyLine, character: 5 } }, context: { diagnostics: [], only: ['refactor.rewrite'] } })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Pin numpy to the solved version (=1.7.1)'), titles.join('; '));
    assert.ok(titles.includes('Pin numpy to its compatible range (>=1.7,<1.8)'), titles.join('; '));
    const range = actions.find((a) => a.title.includes('compatible range'))!;
    assert.deepEqual(editsOf(range), [{ range: { start: { line: numpyLine, character: 4 }, end: { line: numpyLine, character: 9 } }, newText: 'numpy>=1.7,<1.8' }]);
    const all = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.pinAll'] } })) as CodeAction[];
    assert.equal(all.length, 1);
    assert.equal(all[0]!.title, 'Pin all 2 unpinned dependencies to the solved versions');
    const v = await change(editsOf(all[0]!));
    assert.match(doc.getText(), /- numpy=1\.7\.1\n/);
    assert.match(doc.getText(), /- pandas=0\.11\.0\n/);
    const status = await client.solved(uri, v);
    assert.equal(status.state, 'solved');
    const d = await client.diagnosticsFor(uri, v);
    assert.ok(byCode(d.diagnostics, 'pin-hint').every((h) => !messageOf(h).startsWith('pinning numpy')));
  });

  test('an unsatisfiable environment: the conflicting lines, each pointing at the other', async () => {
    const pandasLine = lineOf('- pandas');
    const v = await change([{ range: { start: { line: pandasLine, character: 4 }, end: { line: pandasLine, character: 18 } }, newText: 'pandas=0.8.1' }]);
    const status = await client.solved(uri, v);
    assert.equal(status.state, 'unsatisfiable', status.message);
    const d = await client.diagnosticsFor(uri, v, (p) => byCode(p.diagnostics, 'unsatisfiable').length > 0);
    const unsat = byCode(d.diagnostics, 'unsatisfiable');
    const pythonLine = lineOf('- python=3.3');
    // python=3.3 and pandas=0.8.1 (which needs python 2.x) are among the lines the solver names
    const lines = unsat.map(line);
    assert.ok(lines.includes(pythonLine) && lines.includes(pandasLine), JSON.stringify(lines));
    for (const u of unsat) {
      assert.match(messageOf(u), /^the environment cannot be solved:\n/);
      assert.match(messageOf(u), /python/);
      const related = u.relatedInformation ?? [];
      assert.deepEqual(related.map((r) => r.location.range.start.line).sort(), lines.filter((l) => l !== line(u)).sort());
      assert.ok(related.every((r) => r.location.uri === uri));
    }
  });

  test('duplicate and contradicting entries', async () => {
    const deps = lineOf('- numpy=1.7.1');
    const v2 = await change([{ range: { start: { line: deps + 1, character: 0 }, end: { line: deps + 1, character: 0 } }, newText: '  - numpy=1.7.1\n  - numpy<1.6\n' }]);
    const d = await client.diagnosticsFor(uri, v2, (p) => byCode(p.diagnostics, 'contradiction').length > 0);
    const dup = byCode(d.diagnostics, 'duplicate');
    assert.deepEqual(dup.map((x) => [line(x), messageOf(x)]), [[deps + 1, `numpy is already listed on line ${deps + 1}; remove this entry`]]);
    const contra = byCode(d.diagnostics, 'contradiction');
    assert.deepEqual(contra.map(line), [deps + 2]);
    assert.match(messageOf(contra[0]!), /^contradicts line \d+: no numpy package satisfies both 'numpy=1\.7\.1' and 'numpy<1\.6'/);
    assert.equal(contra[0]!.relatedInformation![0]!.location.range.start.line, deps);
  });

  test('shutdown and exit', async () => {
    assert.equal(await client.close(), 0);
    assert.doesNotMatch(client.stderr, /internal error|at .*\.ts:\d+/, client.stderr);
  });
});


describe('env-setup lsp --stdio: several target platforms', () => {
  const record = (name: string, version: string, subdir: string) => [`${name}-${version}-0.conda`, { name, version, build: '0', build_number: 0, depends: [], subdir, size: 1000 }] as const;
  const repodata = (subdir: string, records: (readonly [string, object])[]) => JSON.stringify({ info: { subdir }, packages: {}, 'packages.conda': Object.fromEntries(records), repodata_version: 1 });
  let server: ChannelServer;
  let client: LspClient;
  let home: string;

  before(async () => {
    server = await startChannelServer({
      files: {
        '/multi/linux-64/repodata.json': repodata('linux-64', [record('numpy', '1.26.4', 'linux-64'), record('numpy', '2.0.0', 'linux-64'), record('libgcc', '14.1.0', 'linux-64')]),
        '/multi/win-64/repodata.json': repodata('win-64', [record('numpy', '1.26.4', 'win-64'), record('pywin32', '306', 'win-64')]),
        '/multi/noarch/repodata.json': repodata('noarch', []),
      },
    });
    home = mkdtempSync(join(tmpdir(), 'env-setup-lsp-multi-'));
    client = new LspClient({ HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), CONDARC: '', CONDA_CHANNELS: '' });
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { envSetup: { solveDebounceMs: 0 } } });
    await client.connection.sendNotification('initialized', {});
  });
  after(async () => {
    await client.close();
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("each platform is checked (the file's platforms:), and selectors decide where an entry applies", async () => {
    const uri = 'file:///work/multi/environment.yml';
    const text = ['channels:', `  - ${server.url}/multi`, '  - nodefaults', 'platforms:', '  - linux-64', '  - win-64', 'dependencies:', '  - numpy>=2', '  - pywin32  # [win]', '  - libgcc', ''].join('\n');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const status = await client.solved(uri, 1);
    assert.equal(status.state, 'solved', status.message);
    assert.match(status.message, /^linux-64: 2 packages in \d+ ms; win-64: 1 package in \d+ ms$/);
    const d = await client.diagnosticsFor(uri, 1, (p) => byCode(p.diagnostics, 'missing-on-platform').length === 2);
    const missing = byCode(d.diagnostics, 'missing-on-platform').map((x) => [line(x), x.severity, messageOf(x)]);
    assert.deepEqual(missing, [
      [7, 2, `no numpy package matches '>=2' for win-64 in ${server.url}/multi; the nearest versions are 1.26.4 (linux-64 has one)`],
      [9, 2, `package 'libgcc' is not available for win-64 (it is for linux-64)`],
    ]);
    assert.equal(d.diagnostics.filter((x) => x.severity === 1).length, 0, JSON.stringify(d.diagnostics));
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses.map((l) => l.command!.title.replace(/\d+ ms/, 'N ms')), [
      'linux-64: 2 packages · 2 kB download · solved in N ms',
      'Write linux-64 spec file',
      'win-64: 1 package · 1 kB download · solved in N ms, without 2 uninstallable entries',
    ]);
  });
});
