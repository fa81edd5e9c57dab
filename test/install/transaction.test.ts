// Transactions with the real packages of ../shared/fixtures, served over 127.0.0.1 and fetched with
// fetchPackages: files, modes and activate.d scripts in place; post-link scripts in dependency order
// and in the activated environment, their messages kept; a failing post-link rolling everything
// back; noarch: python with CEP 17's site-packages; an upgrade computed from conda-meta; clobbering
// (a warning, the last package wins, a staying package keeps its file); removal with pre-unlink
// scripts deleting exactly the listed files; broken real packages refused with the prefix as it
// was; a leftover journal recovered; and a process killed (SIGKILL) in the middle of linking.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InstallError } from '../../core/install/errors.ts';
import { fetchPackages, type FetchedPackage, type FetchRecord } from '../../core/install/fetch-packages.ts';
import { Journal, journalPaths } from '../../core/install/link-journal.ts';
import { lockPrefix, recoverPrefix } from '../../core/install/prefix-lock.ts';
import { runTransaction } from '../../core/install/transaction.ts';
import { diffPrefix, readInstalled } from '../../core/install/transaction-plan.ts';
import { startChannelServer, type ChannelServer } from '../support/channel-server.ts';
import { contents, tree } from './link-support.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const RECIPES = join(FIXTURES, 'channels/conda-test-recipes');
const RATTLER = join(FIXTURES, 'packages/rattler');
const FORMAT = join(FIXTURES, 'channels/conda-format-repo');
const noFixtures = existsSync(join(RECIPES, 'noarch/repodata.json')) ? false : `conda fixtures not found in ${FIXTURES} (../shared is absent)`;
const NODE = process.execPath;
const CHILD = fileURLToPath(new URL('./transaction-child.ts', import.meta.url));

type Rec = FetchRecord & { name: string; version: string; build: string; fn: string; url: string; depends?: string[] };

async function snapshot(prefix: string): Promise<unknown> {
  if (!existsSync(prefix)) return 'absent';
  return { tree: await tree(prefix), contents: await contents(prefix) };
}

describe('transactions with real packages', { skip: noFixtures }, () => {
  let recipes: ChannelServer;
  let rattler: ChannelServer;
  let format: ChannelServer;
  let work: string;
  let pkgsDir: string;
  let n = 0;
  const newPrefix = () => join(work, `env${++n}`);

  before(async () => {
    [recipes, rattler, format] = await Promise.all([startChannelServer({ root: RECIPES }), startChannelServer({ root: RATTLER }), startChannelServer({ root: FORMAT })]);
    work = await mkdtemp(join(tmpdir(), 'env-setup-txn-'));
    pkgsDir = join(work, 'pkgs');
  });
  after(async () => {
    await Promise.all([recipes.close(), rattler.close(), format.close()]);
    await rm(work, { recursive: true, force: true });
  });

  const repodata = (root: string, subdir: string) => JSON.parse(readFileSync(join(root, subdir, 'repodata.json'), 'utf8')) as Record<string, Record<string, Omit<Rec, 'fn' | 'url'>>>;
  /** Records of the recipes channel, in the order asked. */
  const recipe = (...fns: string[]): Rec[] => {
    const all = repodata(RECIPES, 'noarch')['packages.conda']!;
    return fns.map((fn) => {
      const file = `${fn}.conda`;
      assert.ok(all[file], file);
      return { ...all[file]!, fn: file, url: `${recipes.url}/noarch/${file}`, channel: recipes.url, subdir: 'noarch' };
    });
  };
  /** A package of rattler's test data (no repodata there: the record is made from the file). */
  const rattlerPkg = (path: string): Rec => {
    const fn = path.split('/').pop()!;
    const bytes = readFileSync(join(RATTLER, path));
    const [build, version, ...name] = fn.replace(/\.(conda|tar\.bz2)$/, '').split('-').reverse();
    return { name: name.reverse().join('-'), version: version!, build: build!, fn, url: `${rattler.url}/${path}`, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, subdir: 'noarch' };
  };
  const fetch = (records: Rec[]): Promise<FetchedPackage[]> => fetchPackages(records, { pkgsDir, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
  const install = async (prefix: string, records: Rec[], extra: Partial<Parameters<typeof runTransaction>[0]> = {}) => runTransaction({ prefix, link: await fetch(records), ...extra });

  it('installs real packages: files, modes, activate.d, post-link scripts, conda-meta and history', async () => {
    const prefix = newPrefix();
    const result = await install(prefix, recipe('small-executable-1.0-0', 'activate_deactivate_package-1.0-0', 'post_link-b-1.0-0', 'post_link-c-1.0-0'), { history: { cmd: 'env-setup create', updateSpecs: ['small-executable', 'post_link-c'] } });
    assert.equal(await readFile(join(prefix, 'bin/small'), 'utf8'), '#!/usr/bin/env bash\necho Hello! $@\n');
    assert.equal((await stat(join(prefix, 'bin/small'))).mode & 0o111, 0o111);
    assert.equal(await readFile(join(prefix, 'etc/conda/activate.d/activate.sh'), 'utf8'), 'export TEST=teststringfromactivate\nexport PATH="${TEST}/bin/test:${PATH}"\n');
    assert.deepEqual(result.scripts.map((s) => [s.package, s.action, s.exitCode]), [['post_link-c-1.0-0', 'post-link', 0]]);
    const installed = readInstalled(prefix);
    assert.deepEqual(installed.map((p) => p.dist).sort(), ['activate_deactivate_package-1.0-0', 'post_link-b-1.0-0', 'post_link-c-1.0-0', 'small-executable-1.0-0']);
    const small = installed.find((p) => p.name === 'small-executable')!.record;
    assert.equal(small.url, `${recipes.url}/noarch/small-executable-1.0-0.conda`);
    assert.equal(small.md5, recipe('small-executable-1.0-0')[0]!.md5);
    assert.equal(small.extracted_package_dir, join(pkgsDir, 'small-executable-1.0-0'));
    assert.equal(small.package_tarball_full_path, join(pkgsDir, 'small-executable-1.0-0.conda'));
    assert.deepEqual(small.files, ['Scripts/small.bat', 'bin/small', 'etc/conda/activate.d/small_executable.bat', 'etc/conda/activate.d/small_executable.ps1', 'etc/conda/activate.d/small_executable.sh']);
    const history = await readFile(join(prefix, 'conda-meta/history'), 'utf8');
    assert.match(history, new RegExp(`\\n\\+${recipes.url.replaceAll('.', '\\.')}/noarch::small-executable-1\\.0-0\\n`));
    assert.match(history, /# update specs: \['small-executable', 'post_link-c'\]\n$/);
    assert.equal(existsSync(join(prefix, journalPaths(prefix).state)), false, 'no state folder is left');
  });

  it('runs post-link scripts in dependency order: one creates the file the next checks', async () => {
    const prefix = newPrefix();
    const result = await install(prefix, recipe('post_link-e-1.0-0', 'post_link-d-1.0-0'));
    assert.deepEqual(result.scripts.map((s) => [s.package, s.exitCode]), [['post_link-e-1.0-0', 0], ['post_link-d-1.0-0', 0]]);
    assert.equal(await readFile(join(prefix, 'bin/file'), 'utf8'), 'test\n');
  });

  it('runs post-link in the activated environment and keeps the messages it leaves', async () => {
    const prefix = newPrefix();
    const result = await install(prefix, recipe('post_link_run_in_env_package-1.0-0'));
    assert.equal(result.scripts[0]!.exitCode, 0, result.scripts[0]!.output);
    assert.match(result.messages.join(''), /TEST_VAR is set to :1:\nSuccess: TEST_VAR is set correctly/);
    assert.equal(existsSync(join(prefix, '.messages.txt')), false);
  });

  it('rolls everything back when a post-link script fails, leaving the environment exactly as it was', async () => {
    const prefix = newPrefix();
    await install(prefix, recipe('dependency-1.0-0', 'small-executable-1.0-0'));
    const before = await snapshot(prefix);
    const link = await fetch(recipe('post_link-b-1.0-0', 'failing_post_link-1.0-0'));
    const unlink = readInstalled(prefix).filter((p) => p.name === 'small-executable');
    await assert.rejects(runTransaction({ prefix, link, unlink }), (e: unknown) => e instanceof InstallError && e.kind === 'script' && /failing_post_link-1\.0-0 failed \(exit 1\)/.test(e.message));
    assert.deepEqual(await snapshot(prefix), before);
    // with scripts turned off it goes through
    const ok = await runTransaction({ prefix, link, unlink, runScripts: false });
    assert.deepEqual(ok.scripts, []);
    assert.ok(existsSync(join(prefix, 'bin/.failing_post_link-post-link.sh')));
  });

  it("links noarch: python into the python record's site-packages (CEP 17)", async () => {
    const prefix = newPrefix();
    const result = await install(prefix, recipe('python-3.99.99-0', 'sample_noarch_python-1.0-py_0'));
    assert.ok(existsSync(join(prefix, 'lib/python3.99t/site-packages/sample.py')));
    assert.ok(result.warnings.some((w) => /bin\/python3\.99 .*not byte-compiled/.test(w)));
    const rec = readInstalled(prefix).find((p) => p.name === 'sample_noarch_python')!;
    assert.deepEqual(rec.files, ['lib/python3.99t/site-packages/sample.py']);
  });

  it('upgrades from what conda-meta says: unlink the old build, link the new, keep the rest', async () => {
    const prefix = newPrefix();
    await install(prefix, recipe('dependency-1.0-0', 'dependent-1.0-0'));
    const wanted = recipe('dependency-2.0-0', 'dependent-1.0-0');
    const diff = diffPrefix(readInstalled(prefix), wanted);
    assert.deepEqual(diff.unlink.map((p) => p.dist), ['dependency-1.0-0']);
    assert.deepEqual(diff.link.map((p) => p.fn), ['dependency-2.0-0.conda']);
    assert.deepEqual(diff.keep.map((p) => p.dist), ['dependent-1.0-0']);
    const result = await runTransaction({ prefix, link: await fetch(diff.link), unlink: diff.unlink, history: { cmd: 'env-setup install dependency=2' } });
    assert.deepEqual([result.unlinked, result.linked], [['dependency-1.0-0'], ['dependency-2.0-0']]);
    assert.deepEqual(readInstalled(prefix).map((p) => p.dist), ['dependency-2.0-0', 'dependent-1.0-0']);
    const history = await readFile(join(prefix, 'conda-meta/history'), 'utf8');
    assert.match(history, /# cmd: env-setup install dependency=2\n-.*::dependency-1\.0-0\n\+.*::dependency-2\.0-0\n$/);
    assert.deepEqual(diffPrefix(readInstalled(prefix), wanted), { unlink: [], link: [], keep: readInstalled(prefix) });
  });

  it('clobbering: warns, the package linked last wins, and a staying package keeps the file when the winner goes', async () => {
    const prefix = newPrefix();
    const result = await install(prefix, [rattlerPkg('clobber/clobber-1-0.1.0-h4616a5c_0.tar.bz2'), rattlerPkg('clobber/clobber-2-0.1.0-h4616a5c_0.tar.bz2'), rattlerPkg('clobber/clobber-3-0.1.0-h4616a5c_0.tar.bz2')]);
    const clobber = result.clobbers.find((c) => c.path === 'clobber.txt')!;
    assert.deepEqual(clobber.packages, ['clobber-1-0.1.0-h4616a5c_0', 'clobber-2-0.1.0-h4616a5c_0', 'clobber-3-0.1.0-h4616a5c_0']);
    assert.equal(clobber.winner, 'clobber-3-0.1.0-h4616a5c_0');
    assert.ok(result.warnings.some((w) => w.startsWith('clobber.txt is in clobber-1-0.1.0-h4616a5c_0 and clobber-2')));
    const third = await readFile(join(pkgsDir, 'clobber-3-0.1.0-h4616a5c_0', 'clobber.txt'), 'utf8');
    assert.equal(await readFile(join(prefix, 'clobber.txt'), 'utf8'), third);
    for (const p of readInstalled(prefix)) assert.ok(p.files.includes('clobber.txt'), p.dist);
    // removing the winner leaves the path, which other installed packages still list
    await runTransaction({ prefix, unlink: readInstalled(prefix).filter((p) => p.name === 'clobber-3') });
    assert.ok(existsSync(join(prefix, 'clobber.txt')));
  });

  it('removal runs the pre-unlink script and deletes exactly the files the record lists', async () => {
    const prefix = newPrefix();
    const result = await install(prefix, [rattlerPkg('link-scripts/link-scripts-0.1.0-h4616a5c_0.conda')]);
    assert.ok(existsSync(join(prefix, 'i-was-post-linked')), 'post-link ran');
    assert.match(result.messages.join(''), /This is a post-link script that just ran/);
    await writeFile(join(prefix, 'bin', 'mine.txt'), 'not from a package');
    const removed = await runTransaction({ prefix, unlink: readInstalled(prefix), history: { cmd: 'env-setup remove link-scripts', removeSpecs: ['link-scripts'] } });
    assert.deepEqual(removed.scripts.map((s) => [s.action, s.exitCode]), [['pre-unlink', 0]]);
    assert.equal(existsSync(join(prefix, 'i-was-post-linked')), false, 'pre-unlink ran');
    assert.deepEqual(Object.keys(await tree(prefix)), ['bin', 'bin/mine.txt', 'conda-meta', 'conda-meta/history']);
    assert.match(await readFile(join(prefix, 'conda-meta/history'), 'utf8'), /\n-.*::link-scripts-0\.1\.0-h4616a5c_0\n# remove specs: \['link-scripts'\]\n$/);
  });

  it('replaces a file with a folder of the same name when a package changes layout', async () => {
    const prefix = newPrefix();
    await install(prefix, [rattlerPkg('clobber/clobber-directory-upgrade-0.1.0-h4616a5c_0.conda')]);
    assert.ok((await stat(join(prefix, 'xbin/content.txt'))).isFile());
    await runTransaction({ prefix, unlink: readInstalled(prefix), link: await fetch([rattlerPkg('clobber/clobber-directory-upgrade-0.2.0-h4616a5c_0.conda')]) });
    assert.ok((await stat(join(prefix, 'xbin'))).isFile());
    assert.ok((await stat(join(prefix, 'bin/content.txt'))).isFile());
  });

  it('refuses the broken zlib packages of conda-format-repo with a clear error, the prefix untouched', async () => {
    const prefix = newPrefix();
    await install(prefix, recipe('dependency-1.0-0'));
    const before = await snapshot(prefix);
    const all = repodata(FORMAT, 'linux-64');
    const conda = { ...all['packages.conda']!['zlib-1.2.11-h7b6447c_3.conda']!, fn: 'zlib-1.2.11-h7b6447c_3.conda', url: `${format.url}/linux-64/zlib-1.2.11-h7b6447c_3.conda` };
    await assert.rejects(fetch([conda]), (e: unknown) => e instanceof InstallError && e.kind === 'corrupt' && /lib\/libz\.so\.1 .*symbolic link with an empty target/.test(e.message));
    // the .tar.bz2 stores those links as empty regular files: extracted fine, refused before linking
    const bz2 = { ...all.packages!['zlib-1.2.11-h7b6447c_3.tar.bz2']!, fn: 'zlib-1.2.11-h7b6447c_3.tar.bz2', url: `${format.url}/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2` };
    await assert.rejects(install(prefix, [bz2]), (e: unknown) => e instanceof InstallError && e.kind === 'corrupt' && /lib\/libz\.so is a symbolic link, but the package has a regular file of 0 bytes/.test(e.message));
    assert.deepEqual(await snapshot(prefix), before);
  });

  it('recovers a leftover journal: rolled back when not committed, finished when committed', async () => {
    const prefix = newPrefix();
    await install(prefix, recipe('small-executable-1.0-0', 'post_link-b-1.0-0'));
    const before = await snapshot(prefix);
    const lock = await lockPrefix(prefix);
    const journal = await Journal.open(prefix, { createdPrefix: false, createdCondaMeta: false });
    await journal.moveAside('bin/small');
    await journal.moveAside('conda-meta/small-executable-1.0-0.json');
    await journal.mkdir('newdir');
    journal.creating(['newdir/new.txt', 'bin/small']);
    await writeFile(join(prefix, 'newdir/new.txt'), 'half done');
    await writeFile(join(prefix, 'bin/small'), 'replaced');
    await lock.release();
    // the process "died" here: the next run finds the journal
    const outcome = await recoverPrefix(prefix);
    assert.equal(outcome.kind, 'rolled-back');
    assert.deepEqual(await snapshot(prefix), before);

    const lock2 = await lockPrefix(prefix);
    const committed = await Journal.open(prefix, { createdPrefix: false, createdCondaMeta: false });
    await committed.moveAside('bin/file');
    (committed as unknown as { commit(): Promise<void> }).commit = async () => undefined;
    await writeFile(journalPaths(prefix).journal, (await readFile(journalPaths(prefix).journal, 'utf8')) + '{"op":"commit"}\n');
    await lock2.release();
    assert.equal((await recoverPrefix(prefix)).kind, 'completed');
    assert.equal(existsSync(join(prefix, 'bin/file')), false);
    assert.equal(existsSync(journalPaths(prefix).state), false);
  });

  /** Runs the child transaction and sends it `signal` once it has linked package `stopAt`; resolves to its output. */
  const killMidway = async (prefix: string, link: FetchedPackage[], unlink: ReturnType<typeof readInstalled>, stopAt: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ out: string; code: number | null }> => {
    // through JSON: without what fetchPackages read (the manifest's columns, the stamps), which the child reads again
    const child = spawn(NODE, [CHILD, JSON.stringify({ prefix, link: link.map(({ checked, stamps, ...rest }) => rest), unlink, stopAt })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      child.on('exit', () => reject(new Error(`the child ended before it was killed: ${out} ${err}`)));
    });
    child.removeAllListeners('exit');
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    child.kill(signal);
    const code = await exited;
    return { out, code };
  };

  it('a run killed with SIGKILL while linking into a new prefix leaves nothing once recovered', async () => {
    const prefix = newPrefix();
    const link = await fetch(recipe('small-executable-1.0-0', 'activate_deactivate_package-1.0-0', 'post_link-b-1.0-0'));
    await killMidway(prefix, link, [], 1);
    assert.ok(existsSync(join(prefix, 'bin/small')), 'the killed run had linked files');
    assert.ok(existsSync(journalPaths(prefix).journal), 'and left its journal');
    const outcome = await recoverPrefix(prefix);
    assert.equal(outcome.kind, 'rolled-back');
    assert.equal(await snapshot(prefix), 'absent');
  });

  it('a run killed with SIGKILL while upgrading an environment: the next run restores it, then works', async () => {
    const prefix = newPrefix();
    await install(prefix, recipe('dependency-1.0-0', 'small-executable-1.0-0', 'clobber-a-1.0-0'));
    const before = await snapshot(prefix);
    const unlink = readInstalled(prefix).filter((p) => p.name !== 'clobber-a');
    const link = await fetch(recipe('dependency-2.0-0', 'clobber-b-1.0-0', 'activate_deactivate_package-1.0-0'));
    await killMidway(prefix, link, unlink, 1);
    assert.equal(existsSync(join(prefix, 'bin/small')), false, 'the killed run had unlinked files');
    // the next run (here one that changes nothing) finds the journal and rolls back first
    const next = await runTransaction({ prefix });
    assert.equal(next.recovered.kind, 'rolled-back');
    assert.deepEqual(await snapshot(prefix), before);
    // and the same transaction then goes through
    const done = await runTransaction({ prefix, link, unlink: readInstalled(prefix).filter((p) => p.name !== 'clobber-a') });
    assert.deepEqual(done.linked, ['dependency-2.0-0', 'clobber-b-1.0-0', 'activate_deactivate_package-1.0-0']);
    assert.equal(await readFile(join(prefix, 'bin/clobber-test-file'), 'utf8'), await readFile(join(pkgsDir, 'clobber-b-1.0-0/bin/clobber-test-file'), 'utf8'));
  });

  it('SIGINT while linking rolls the environment back before the process ends', async () => {
    const prefix = newPrefix();
    await install(prefix, recipe('dependency-1.0-0', 'small-executable-1.0-0'));
    const before = await snapshot(prefix);
    const link = await fetch(recipe('dependency-2.0-0', 'clobber-b-1.0-0', 'post_link-b-1.0-0'));
    const { out, code } = await killMidway(prefix, link, readInstalled(prefix).filter((p) => p.name === 'dependency'), 1, 'SIGINT');
    assert.match(out, /error:interrupted/);
    assert.equal(code, 1);
    assert.deepEqual(await snapshot(prefix), before);
  });

  it('two transactions on one prefix at once take turns (the prefix lock)', async () => {
    const prefix = newPrefix();
    const [a, b] = await Promise.all([fetch(recipe('dependency-1.0-0', 'small-executable-1.0-0')), fetch(recipe('clobber-a-1.0-0', 'activate_deactivate_package-1.0-0'))]);
    await Promise.all([runTransaction({ prefix, link: a }), runTransaction({ prefix, link: b })]);
    assert.deepEqual(readInstalled(prefix).map((p) => p.name), ['activate_deactivate_package', 'clobber-a', 'dependency', 'small-executable']);
    assert.equal((await readFile(join(prefix, 'conda-meta/history'), 'utf8')).match(/^==> /gm)!.length, 2);
  });
});
