// Two processes fetching the same packages into one package cache at the same time both succeed:
// the per-package locks make each package download once, the other run waits and reuses it, and
// every extracted folder is whole.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkExtracted } from '../../core/install/package-cache.ts';
import { PkgsDirLayout } from '../../core/install/pkgs-dir.ts';
import { startChannelServer } from '../support/channel-server.ts';

const RECIPES = fileURLToPath(new URL('../../../shared/fixtures/channels/conda-test-recipes/', import.meta.url));
const noFixtures = existsSync(join(RECIPES, 'noarch/repodata.json')) ? false : `conda fixtures not found in ${RECIPES} (../shared is absent)`;
const CHILD = fileURLToPath(new URL('./fetch-child.ts', import.meta.url));

interface ChildResult {
  sources: string[];
  dirs: string[];
  waits: number;
}

function runChild(args: unknown): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}: ${err}`));
      else resolve(JSON.parse(out) as ChildResult);
    });
  });
}

describe('two runs sharing one package cache', { skip: noFixtures }, () => {
  it('both succeed, each package is downloaded once, every folder is whole', async (t) => {
    const server = await startChannelServer({ root: RECIPES });
    const work = await mkdtemp(join(tmpdir(), 'env-setup-concurrent-'));
    try {
      const pkgsDir = join(work, 'pkgs');
      const repodata = JSON.parse(readFileSync(join(RECIPES, 'noarch/repodata.json'), 'utf8')) as { 'packages.conda': Record<string, { sha256: string }> };
      const records = Object.entries(repodata['packages.conda']).map(([fn, r]) => ({ ...r, fn, url: `${server.url}/noarch/${fn}` }));
      // slow every download a little so the two runs overlap
      for (const r of records) server.failNext(`/noarch/${r.fn}`, { delayMs: 40 });
      const startAt = Date.now() + 1500;
      const [a, b] = await Promise.all([runChild({ pkgsDir, records, startAt }), runChild({ pkgsDir, records: [...records].reverse(), startAt })]);

      t.diagnostic(`lock waits: ${a.waits} + ${b.waits}; downloads: ${a.sources.filter((s) => s === 'download').length} + ${b.sources.filter((s) => s === 'download').length}`);
      for (const r of records) {
        const downloads = server.requests.filter((q) => q.method === 'GET' && q.filePath === `/noarch/${r.fn}`);
        assert.equal(downloads.length, 1, `${r.fn} downloaded once`);
      }
      const downloaded = [...a.sources, ...b.sources].filter((s) => s === 'download').length;
      assert.equal(downloaded, records.length);
      assert.deepEqual([...a.dirs].sort(), [...b.dirs].sort());
      const layout = new PkgsDirLayout(pkgsDir);
      for (const r of records) {
        const check = await checkExtracted(layout.package(r.fn)!, { url: r.url, sha256: r.sha256 }, 'paths');
        assert.ok(check.ok, `${r.fn}: ${check.ok ? '' : check.reason}`);
      }
      assert.deepEqual(await readdir(layout.tmp), []);
      assert.deepEqual((await readdir(layout.locks)).filter((n) => n.endsWith('.lock')), []);
    } finally {
      await server.close();
      await rm(work, { recursive: true, force: true });
    }
  });
});
