// The timing artifact through our own client (action/artifact-upload.ts, zip-writer.ts): the zip
// reads back (our .conda zip reader with CRC checks, and `unzip -t` where installed), the artifact
// service gets CreateArtifact, one PUT and FinalizeArtifact with the zip's size and SHA-256, and
// settings where v4 artifacts do not apply leave it to @actions/artifact.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifactService, uploadArtifact } from '../../action/artifact-upload.ts';
import { retentionDays, uploadTimingArtifact } from '../../action/timing-export.ts';
import { zipFiles } from '../../action/zip-writer.ts';
import { openZipEntry, readZipDirectory } from '../../core/install/zip-directory.ts';
import { startActionsServices } from '../support/actions-cache-server.ts';

async function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-zip-'));
  try {
    const path = join(dir, 'a.zip');
    writeFileSync(path, bytes);
    const fh = await open(path);
    try {
      const out = new Map<string, Buffer>();
      for (const entry of await readZipDirectory(fh, bytes.length)) {
        const chunks: Buffer[] = [];
        for await (const c of await openZipEntry(fh, path, entry, { crc: true })) chunks.push(c as Buffer);
        out.set(entry.name, Buffer.concat(chunks));
      }
      if (spawnSync('unzip', ['-v']).status === 0) {
        const t = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
        assert.equal(t.status, 0, t.stdout + t.stderr);
      }
      return out;
    } finally {
      await fh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('zipFiles: deflated and stored files, UTF-8 names, an empty file, all read back', async () => {
  const files = [
    { name: 'env-setup-timings.json', data: Buffer.from(JSON.stringify({ spans: Array.from({ length: 200 }, (_, i) => ({ name: `span ${i}` })) })) },
    { name: 'random.bin', data: randomBytes(5000) },
    { name: 'dir/zeitmessung-ä.txt', data: Buffer.from('ä'.repeat(100)) },
    { name: 'empty', data: Buffer.alloc(0) },
  ];
  const zip = zipFiles(files.map((f) => ({ ...f, mtime: new Date(2026, 10, 23, 17, 30, 12) })));
  assert.ok(zip.length < files.reduce((n, f) => n + f.data.length, 0), 'text is deflated');
  const back = await readZip(zip);
  assert.deepEqual([...back.keys()], files.map((f) => f.name));
  for (const f of files) assert.ok(back.get(f.name)!.equals(f.data), f.name);
});

test('uploadArtifact: CreateArtifact, one PUT, FinalizeArtifact with size and hash; the artifact holds the files', async () => {
  const services = await startActionsServices();
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-artifact-'));
  try {
    const env = { ACTIONS_RESULTS_URL: `${services.url}/`, ACTIONS_RUNTIME_TOKEN: services.token };
    const service = artifactService(env);
    assert.deepEqual(service && { runId: service.runId, jobId: service.jobId }, { runId: '11111111-2222-3333-4444-555555555555', jobId: '66666666-7777-8888-9999-000000000000' });
    writeFileSync(join(dir, 'env-setup-timings.json'), '{"totalMs": 12}\n');
    writeFileSync(join(dir, 'env-setup-trace.json'), '[]');
    const before = services.requests.length;
    const id = await uploadTimingArtifact('timings-x', dir, [join(dir, 'env-setup-timings.json'), join(dir, 'env-setup-trace.json')], { info() {}, warning: (m) => assert.fail(m) }, env);
    assert.equal(typeof id, 'number');
    assert.deepEqual(
      services.requests.slice(before).map((r) => r.replace(/\?.*/, '')),
      ['POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact', 'PUT /blob/artifact-timings-x', 'POST /twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact'],
    );
    const artifact = services.artifacts.find((a) => a.name === 'timings-x')!;
    assert.equal(artifact.id, id);
    assert.equal(artifact.size, artifact.bytes.length);
    assert.equal(artifact.hash, `sha256:${createHash('sha256').update(artifact.bytes).digest('hex')}`);
    const back = await readZip(artifact.bytes);
    assert.deepEqual([...back.keys()], ['env-setup-timings.json', 'env-setup-trace.json']);
    assert.equal(back.get('env-setup-timings.json')!.toString(), '{"totalMs": 12}\n');

    // a second artifact of that name is refused by the service: an error the caller turns into a warning
    await assert.rejects(uploadArtifact(service!, 'timings-x', [{ name: 'a', data: Buffer.from('a') }]), /HTTP 409: an artifact named timings-x exists/);
    const warnings: string[] = [];
    assert.equal(await uploadTimingArtifact('timings-x', dir, [join(dir, 'env-setup-trace.json')], { info() {}, warning: (m) => warnings.push(m) }, env), undefined);
    assert.match(warnings.join('\n'), /uploading the timing artifact 'timings-x' failed: the results service answered HTTP 409: an artifact named timings-x exists/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await services.close();
  }
});

test('artifactService: none on GitHub Enterprise Server, without a results URL, or with a token without the results scope', () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = (scp: string) => `${b64({ alg: 'none' })}.${b64({ scp })}.sig`;
  const env = { ACTIONS_RESULTS_URL: 'https://results.example/some/path', ACTIONS_RUNTIME_TOKEN: token('Actions.Results:r1:j1') };
  assert.deepEqual(artifactService(env), { url: 'https://results.example/', token: env.ACTIONS_RUNTIME_TOKEN, runId: 'r1', jobId: 'j1' });
  assert.equal(artifactService({ ...env, GITHUB_SERVER_URL: 'https://github.acme.internal' }), undefined);
  assert.equal(artifactService({ ...env, ACTIONS_RESULTS_URL: '' }), undefined);
  assert.equal(artifactService({ ...env, ACTIONS_RUNTIME_TOKEN: token('Actions.GenericRead') }), undefined);
  assert.equal(artifactService({ ...env, ACTIONS_RUNTIME_TOKEN: token('Actions.Results:only-one') }), undefined);
  assert.equal(artifactService({ ...env, ACTIONS_RUNTIME_TOKEN: 'not a jwt' }), undefined);
});

test('the timing artifact is kept 7 days, or less where the repository keeps artifacts less (GITHUB_RETENTION_DAYS)', () => {
  assert.equal(retentionDays({}), 7);
  assert.equal(retentionDays({ GITHUB_RETENTION_DAYS: '3' }), 3);
  assert.equal(retentionDays({ GITHUB_RETENTION_DAYS: '90' }), 7);
  assert.equal(retentionDays({ GITHUB_RETENTION_DAYS: 'soon' }), 7);
});
