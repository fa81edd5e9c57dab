// A cached package checked while it is linked (fetchPackages' `checkWhileLinking`): fetchPackages
// trusts a valid stamp without looking at the files, the transaction's link batches compare each
// file with its stamp, a changed one fails the transaction (prefix restored) with 'cache-changed',
// and installPackages then checks in full, extracts again and links from the intact folder.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InstallError } from '../../core/install/errors.ts';
import { fetchPackages, type FetchRecord } from '../../core/install/fetch-packages.ts';
import { installPackages } from '../../core/install/install-packages.ts';
import type { PackageInfo } from '../../core/install/link-package-info.ts';
import { placeholderModes } from '../../core/install/link-package.ts';
import { runTransaction } from '../../core/install/transaction.ts';
import { Tracer } from '../../core/timing/tracer.ts';
import { startChannelServer, type ChannelServer } from '../support/channel-server.ts';

const RECIPES = fileURLToPath(new URL('../../../shared/fixtures/channels/conda-test-recipes/', import.meta.url));
const noFixtures = existsSync(join(RECIPES, 'noarch/repodata.json')) ? false : `conda fixtures not found in ${RECIPES} (../shared is absent)`;

function records(server: ChannelServer, prefixes: string[]): FetchRecord[] {
  const repodata = JSON.parse(readFileSync(join(RECIPES, 'noarch/repodata.json'), 'utf8')) as { 'packages.conda': Record<string, Record<string, unknown>> };
  return Object.entries(repodata['packages.conda'])
    .filter(([fn]) => prefixes.some((p) => fn.startsWith(p)))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([fn, r]) => ({ ...r, fn, url: `${server.url}/noarch/${fn}`, channel: 'test-recipes', subdir: 'noarch' }) as FetchRecord);
}

describe('checking a cached package while linking it', { skip: noFixtures }, () => {
  let server: ChannelServer;
  let work: string;
  let pkgsDir: string;
  before(async () => {
    server = await startChannelServer({ root: RECIPES });
    work = await mkdtemp(join(tmpdir(), 'env-setup-check-link-'));
  });
  after(async () => {
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    pkgsDir = await mkdtemp(join(work, 'pkgs-'));
    server.clearLog();
  });

  it('fetchPackages hands on the stamps of a stamped folder instead of looking at its files', async () => {
    const wanted = records(server, ['small-executable', 'dependency-1']);
    const first = await fetchPackages(wanted, { pkgsDir });
    assert.ok(first.every((p) => p.stamps === undefined), 'just extracted: no stamps to compare with');
    await unlink(join(first[1]!.dir, 'bin/small'));
    const again = await fetchPackages(wanted, { pkgsDir, checkWhileLinking: true });
    assert.deepEqual(
      again.map((p) => p.source),
      ['extracted-cache', 'extracted-cache'],
      'the missing file is not seen here',
    );
    for (const p of again) assert.equal(p.stamps?.length, 3 * p.checked!.paths.length);
    const full = await fetchPackages(wanted, { pkgsDir });
    assert.deepEqual(
      full.map((p) => p.source),
      ['extracted-cache', 'archive-cache'],
      'without it, the folder is checked here and extracted again',
    );
  });

  it('a transaction finding a changed file fails with cache-changed and leaves the prefix as it was', async () => {
    const wanted = records(server, ['dependency-1', 'small-executable']);
    const fetched = await fetchPackages(wanted, { pkgsDir });
    const prefix = join(work, 'p-fails');
    await runTransaction({ prefix, link: fetched.slice(0, 1) });
    const before = (await readdir(prefix, { recursive: true })).sort();
    const small = fetched[1]!;
    const file = join(small.dir, 'bin/small');
    const bytes = await readFile(file);
    await writeFile(file, Buffer.alloc(bytes.length, 0x41)); // same size and inode, another mtime
    const stamped = await fetchPackages(wanted.slice(1), { pkgsDir, checkWhileLinking: true });
    assert.equal(stamped[0]!.source, 'extracted-cache');
    await assert.rejects(
      runTransaction({ prefix, link: stamped }),
      (e: unknown) => e instanceof InstallError && e.kind === 'cache-changed' && e.file === 'bin/small' && /small-executable-1\.0-0: bin\/small in the package cache \(.*\) changed after the package was checked: it was modified or replaced/.test(e.message),
    );
    assert.deepEqual((await readdir(prefix, { recursive: true })).sort(), before, 'rolled back');
  });

  it('installPackages checks in full after a cache-changed transaction, extracts again and installs the intact files', async () => {
    const wanted = records(server, ['small-executable']);
    const [first] = await fetchPackages(wanted, { pkgsDir });
    const file = join(first!.dir, 'bin/small');
    const original = await readFile(file);
    // stamped by the extraction; now changed in place, at the same size
    await writeFile(file, Buffer.alloc(original.length, 0x41));
    server.clearLog();
    const tracer = new Tracer();
    const fetchedLists: number[] = [];
    const prefix = join(work, 'p-recovers');
    const { result, fetched } = await installPackages({ prefix, link: wanted, unlink: [], pkgsDir, tracer, onFetched: (f) => fetchedLists.push(f.length) });
    assert.deepEqual(result.linked, ['small-executable-1.0-0']);
    assert.equal(fetched[0]!.source, 'archive-cache', 'extracted again from the cached archive');
    assert.deepEqual(await readFile(join(prefix, 'bin/small')), original);
    assert.equal(statSync(join(prefix, 'bin/small')).ino, statSync(file).ino, 'linked from the new folder');
    assert.equal(tracer.toJSON().counters['install.cache.changed'], 1);
    assert.deepEqual(fetchedLists, [1, 1], 'fetched twice');
    assert.equal(server.requests.length, 0, 'no download');

    // an intact stamped folder: one attempt
    const quiet = new Tracer();
    await installPackages({ prefix: join(work, 'p-quiet'), link: wanted, unlink: [], pkgsDir, tracer: quiet });
    assert.equal(quiet.toJSON().counters['install.cache.changed'], undefined);
  });
});

describe('placeholder files with stamps', () => {
  it('are compared with their stamps as their modes are read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'env-setup-placeholder-stamp-'));
    try {
      await writeFile(join(dir, 'script'), '#!/opt/placeholder/bin/python\n', { mode: 0o755 });
      const st = statSync(join(dir, 'script'));
      const info = {
        dir,
        dist: 'pkg-1.0-0',
        paths: [{ path: 'script', type: 'hardlink', placeholder: '/opt/placeholder', fileMode: 'text', size: st.size, noLink: false }],
      } as unknown as PackageInfo;
      const modes = await placeholderModes(info, undefined, new Float64Array([st.size, st.mtimeMs, st.ino]));
      assert.equal(modes[0]! & 0o777, 0o755);
      await assert.rejects(placeholderModes(info, undefined, new Float64Array([st.size, st.mtimeMs + 1, st.ino])), (e: unknown) => e instanceof InstallError && e.kind === 'cache-changed' && e.file === 'script');
      await unlink(join(dir, 'script'));
      await assert.rejects(placeholderModes(info, undefined, new Float64Array([st.size, st.mtimeMs, st.ino])), /script in the package cache \(.*\) changed after the package was checked: it is missing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
