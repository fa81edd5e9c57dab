// Many packages in one transaction, as the installer links them for speed: into a fresh prefix
// every folder is made first and the packages are linked while the files of earlier ones are still
// being placed — with the same outcome as one after the other: a path two packages write keeps the
// later package's file, results and conda-meta come in package order, a failure anywhere undoes
// everything and names the earliest failing package, and a package with a file where another needs
// a folder falls back to one at a time. Also: what fetchPackages checked of a package (its manifest,
// every file with its type and size) is handed to the transaction, which then does not look again,
// and a package whose files do not have the types its manifest says is still refused.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { InstallError } from '../../core/install/errors.ts';
import { fsBatchPool } from '../../core/install/fs-batch.ts';
import { fetchPackages, type FetchedPackage } from '../../core/install/fetch-packages.ts';
import { writeStamp } from '../../core/install/package-stamp.ts';
import { runTransaction } from '../../core/install/transaction.ts';
import { buildConda, indexJson, type TarEntrySpec } from '../support/package-builder.ts';
import { tree } from './link-support.ts';

const PH = '/opt/anaconda1anaconda2anaconda3';
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

interface File {
  name: string;
  data?: string;
  link?: string;
  placeholder?: string;
  fileMode?: 'text' | 'binary';
}

describe('linking many packages at once', () => {
  let work: string;
  let channel: string;
  let n = 0;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'env-setup-linkmany-'));
    channel = join(work, 'channel');
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  /** A .conda in the channel folder and its record (a file:// URL). */
  async function pkg(name: string, files: File[]): Promise<{ name: string; version: string; build: string; fn: string; url: string; sha256: string; size: number }> {
    const dist = `${name}-1.0-0`;
    const paths = files.map((f) => {
      if (f.link !== undefined) return { _path: f.name, path_type: 'softlink' };
      const e: Record<string, unknown> = { _path: f.name, path_type: 'hardlink', sha256: sha256(f.data ?? ''), size_in_bytes: Buffer.byteLength(f.data ?? '') };
      if (f.placeholder) Object.assign(e, { prefix_placeholder: f.placeholder, file_mode: f.fileMode ?? 'text' });
      return e;
    });
    const info: TarEntrySpec[] = [
      { name: 'info/index.json', data: indexJson(dist) },
      { name: 'info/paths.json', data: JSON.stringify({ paths, paths_version: 1 }) },
    ];
    const entries: TarEntrySpec[] = files.map((f) => (f.link !== undefined ? { name: f.name, type: 'symlink', linkname: f.link } : { name: f.name, data: f.data ?? '' }));
    const bytes = buildConda(dist, { info, pkg: entries });
    await mkdir(channel, { recursive: true });
    const file = join(channel, `${dist}.conda`);
    await writeFile(file, bytes);
    return { name, version: '1.0', build: '0', fn: `${dist}.conda`, url: pathToFileURL(file).href, sha256: sha256(bytes), size: bytes.length };
  }

  /** Twelve packages sharing folders, 40 files each; packages 3 and 9 both write share/common.txt. */
  async function stack(tag: string, extra: Record<number, File[]> = {}): Promise<Awaited<ReturnType<typeof pkg>>[]> {
    const out = [];
    for (let i = 0; i < 12; i++) {
      const files: File[] = Array.from({ length: 40 }, (_, k) => ({ name: `lib/python3.12/site-packages/p${i}/sub${k % 4}/m${k}.py`, data: `# ${tag} ${i} ${k}\n` }));
      files.push({ name: `bin/tool${i}`, data: `#!${PH}/bin/python\n# ${i}\n`, placeholder: PH });
      files.push({ name: `lib/libp${i}.so`, link: `libp${i}.so.1` }, { name: `lib/libp${i}.so.1`, data: `lib ${i}` });
      if (i === 3 || i === 9) files.push({ name: 'share/common.txt', data: `from ${i}\n` });
      files.push(...(extra[i] ?? []));
      out.push(await pkg(`${tag}${i}`, files));
    }
    return out;
  }

  it('links them all, the later of two packages writing a path winning, records in package order', async () => {
    const records = await stack('many');
    const pkgsDir = join(work, `pkgs${++n}`);
    const fetched = await fetchPackages(records, { pkgsDir });
    const prefix = join(work, `env${n}`);
    const result = await runTransaction({ prefix, link: fetched });
    assert.deepEqual(
      result.linked,
      records.map((r) => `${r.name}-1.0-0`),
    );
    assert.deepEqual(
      result.clobbers.map((c) => [c.path, c.winner]),
      [['share/common.txt', 'many9-1.0-0']],
    );
    assert.equal(await readFile(join(prefix, 'share/common.txt'), 'utf8'), 'from 9\n');
    assert.equal(result.counts.files, 12 * 43 + 2);
    assert.equal(result.counts.hardlinked, 12 * 41 + 2);
    assert.equal(result.counts.rewritten, 12);
    assert.equal(result.counts.softlinks, 12);
    assert.equal(await readFile(join(prefix, 'bin/tool7'), 'utf8'), `#!${prefix}/bin/python\n# 7\n`);
    const t = await tree(prefix);
    for (let i = 0; i < 12; i++) {
      assert.equal(t[`lib/libp${i}.so`]?.target, `libp${i}.so.1`);
      for (let k = 0; k < 40; k++) assert.equal(t[`lib/python3.12/site-packages/p${i}/sub${k % 4}/m${k}.py`]?.type, 'file');
    }
    const meta = (await readdir(join(prefix, 'conda-meta'))).sort();
    assert.deepEqual(meta, ['history', ...records.map((r) => `${r.name}-1.0-0.json`)].sort());
    const nine = JSON.parse(await readFile(join(prefix, 'conda-meta', 'many9-1.0-0.json'), 'utf8')) as { files: string[]; paths_data: { paths: { _path: string; sha256_in_prefix?: string }[] } };
    assert.equal(nine.files.length, 44);
    assert.ok(nine.files.includes('share/common.txt'));
    const tool = nine.paths_data.paths.find((p) => p._path === 'bin/tool9')!;
    assert.equal(tool.sha256_in_prefix, sha256(`#!${prefix}/bin/python\n# 9\n`));
    assert.equal(existsSync(join(prefix, 'conda-meta', '.env-setup', 'journal.jsonl')), false);
  });

  it('undoes everything when a package fails, naming the earliest failing package', async () => {
    const tooShort = (tag: string): File => ({ name: `lib/${tag}.so`, data: '\0/short\0', placeholder: '/short', fileMode: 'binary' });
    const records = await stack('fail', { 5: [tooShort('five')], 10: [tooShort('ten')] });
    const pkgsDir = join(work, `pkgs${++n}`);
    const fetched = await fetchPackages(records, { pkgsDir });
    const prefix = join(work, `env${n}`);
    await assert.rejects(runTransaction({ prefix, link: fetched }), (e: unknown) => e instanceof InstallError && e.kind === 'placeholder-too-long' && e.message.startsWith('fail5-1.0-0:'));
    assert.equal(existsSync(prefix), false);
  });

  it('links one package after the other when one has a file where another needs a folder', async () => {
    const a = await pkg('filefirst', [{ name: 'x', data: 'a file' }, { name: 'lib/a', data: 'a' }]);
    const b = await pkg('dirafter', [{ name: 'x/y', data: 'in a folder' }, { name: 'lib/b', data: 'b' }]);
    const pkgsDir = join(work, `pkgs${++n}`);
    const prefix = join(work, `env${n}`);
    const result = await runTransaction({ prefix, link: await fetchPackages([a, b], { pkgsDir }) });
    assert.deepEqual(result.linked, ['filefirst-1.0-0', 'dirafter-1.0-0']);
    assert.equal(await readFile(join(prefix, 'x/y'), 'utf8'), 'in a folder');
    assert.ok(result.warnings.some((w) => w.includes('x') && w.includes('dirafter-1.0-0')));
  });

  it('hands what fetchPackages checked to the transaction, and still refuses files of the wrong type', async () => {
    const records = await stack('checked');
    const pkgsDir = join(work, `pkgs${++n}`);
    const first = await fetchPackages(records, { pkgsDir });
    const check = (p: FetchedPackage) => {
      assert.equal(p.checked?.dir, p.dir);
      assert.equal(p.checked?.paths.length, p.record.name === 'checked3' || p.record.name === 'checked9' ? 44 : 43);
    };
    first.forEach(check);
    const again = await fetchPackages(records, { pkgsDir });
    assert.deepEqual(
      again.map((p) => p.source),
      records.map(() => 'extracted-cache'),
    );
    again.forEach(check);
    // 'record' looks at repodata_record.json only: nothing was checked file by file
    const light = await fetchPackages(records, { pkgsDir, cacheCheck: 'record' });
    assert.ok(light.every((p) => p.checked === undefined));

    // a regular file that is a link, as if the package had been made so (the folder stamped that
    // way, the sizes right): not a damaged cache, but not linkable
    const four = again[4]!;
    await unlink(join(four.dir, 'lib/libp4.so.1'));
    await symlink('libp4.so', join(four.dir, 'lib/libp4.so.1'));
    await writeStamp(fsBatchPool(), four.dir, four.checked!.paths);
    const third = await fetchPackages(records, { pkgsDir });
    assert.equal(third[4]!.source, 'extracted-cache');
    assert.equal(third[4]!.checked, undefined);
    assert.ok(third[3]!.checked !== undefined);
    const prefix = join(work, `env${n}`);
    await assert.rejects(runTransaction({ prefix, link: third }), (e: unknown) => e instanceof InstallError && e.kind === 'corrupt' && /lib\/libp4\.so\.1 should be a file but is a symbolic link/.test(e.message));
    assert.equal(existsSync(prefix), false);
  });
});
