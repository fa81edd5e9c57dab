// The extension as shipped: `npm run package:vsix` (esbuild bundles, then @vscode/vsce offline)
// makes a .vsix holding the manifest, the bundled client and the bundled server; the bundled
// server answers `initialize` on its own, with no node_modules beside it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
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
  for (const name of ['extension.vsixmanifest', 'extension/package.json', 'extension/client.js', 'extension/server.js']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
