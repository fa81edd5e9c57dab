// The extension as shipped: `npm run package:vsix` (esbuild bundles, then @vscode/vsce offline)
// makes a .vsix holding the manifest, the bundled client, the bundled server and its solver thread;
// the bundled server answers `initialize` on its own, with no node_modules beside it, and with its
// solver thread beside it solves an environment on a channel served on 127.0.0.1.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startChannelServer } from '../support/channel-server.ts';
import { LspClient } from './lsp-client.ts';
import { openZipEntry, readZipDirectory } from '../../core/install/zip-directory.ts';
import { buildTargets, packageVsix } from '../../scripts/build.ts';

async function readEntry(file: string, name: string): Promise<string> {
  const fh = await open(file);
  try {
    const entries = await readZipDirectory(fh, statSync(file).size);
    const entry = entries.find((e) => e.name === name);
    assert.ok(entry, `${name} is in the archive`);
    const chunks: Buffer[] = [];
    for await (const chunk of await openZipEntry(fh, file, entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await fh.close();
  }
}

test('the .vsix holds the manifest and the bundled client and server', { timeout: 120_000 }, async () => {
  await buildTargets(['extension-client', 'extension-server']);
  const vsix = packageVsix();
  const fh = await open(vsix);
  const names = (await readZipDirectory(fh, statSync(vsix).size)).map((e) => e.name);
  await fh.close();
  for (const name of ['extension.vsixmanifest', 'extension/package.json', 'extension/client.js', 'extension/server.js', 'extension/solve-worker.js']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  assert.ok(!names.some((n) => n.includes('node_modules')), 'everything is bundled');
  const manifest = JSON.parse(await readEntry(vsix, 'extension/package.json'));
  assert.equal(manifest.main, './client.js');
  assert.equal(manifest.type, 'commonjs');
  assert.ok(manifest.contributes.configuration.properties['envSetup.platforms']);
  assert.ok(manifest.activationEvents.includes('workspaceContains:**/environment*.yml'));
  const client = await readEntry(vsix, 'extension/client.js');
  assert.match(client, /require\("vscode"\)/, 'the client leaves vscode to the editor');

  // the server bundle alone (copied out of the archive) answers initialize over stdio
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-vsix-'));
  try {
    const server = join(dir, 'server.js');
    writeFileSync(server, await readEntry(vsix, 'extension/server.js'));
    const child = spawn(process.execPath, [server, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const reply = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('"serverInfo"')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code} before answering`)));
    });
    child.kill();
    assert.match(reply, /"name":"env-setup"/);
    assert.match(reply, /"inlayHintProvider":true/);

    // with its solver thread beside it, the bundled server solves (on the worker the bundle starts)
    writeFileSync(join(dir, 'solve-worker.js'), await readEntry(vsix, 'extension/solve-worker.js'));
    await solvesOnItsWorker(server, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function solvesOnItsWorker(server: string, dir: string): Promise<void> {
  const record = (name: string, version: string, depends: string[]) => [`${name}-${version}-0.conda`, { name, version, build: '0', build_number: 0, depends, subdir: 'linux-64', size: 1000 }] as const;
  const repodata = JSON.stringify({ info: { subdir: 'linux-64' }, packages: {}, 'packages.conda': Object.fromEntries([record('app', '1.0', ['lib >=2']), record('lib', '1.0', []), record('lib', '2.1', [])]), repodata_version: 1 });
  const channels = await startChannelServer({ files: { '/tiny/linux-64/repodata.json': repodata, '/tiny/noarch/repodata.json': JSON.stringify({ info: { subdir: 'noarch' }, packages: {} }) } });
  const home = join(dir, 'home');
  const client = new LspClient({ HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), CONDARC: '', CONDA_CHANNELS: '' }, [server, '--stdio'], dir);
  try {
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { envSetup: { platforms: ['linux-64'], solveDebounceMs: 0 } } });
    await client.connection.sendNotification('initialized', {});
    const uri = `file://${dir}/environment.yml`;
    const text = ['channels:', `  - ${channels.url}/tiny`, '  - nodefaults', 'dependencies:', '  - app', ''].join('\n');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const status = await client.solved(uri, 1);
    assert.equal(status.state, 'solved', `${status.message}\n${client.stderr}`);
    assert.match(status.message, /^linux-64: 2 packages in \d+ ms$/);
    const hints = (await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } })) as { label: string }[];
    assert.deepEqual(hints.map((h) => h.label), ['= 1.0']);
    assert.equal(await client.close(), 0);
  } finally {
    client.child.kill();
    await channels.close();
  }
}
