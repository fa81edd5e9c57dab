// The link-script policy for environment tarballs: packages with pre-link, post-link or pre-unlink
// scripts are found in an installed prefix's conda-meta (installed by the real installer) and in
// package path lists; tarballs are then off by default with a notice naming them, can be forced on,
// and can be turned off for every environment.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRecordFiles } from '../../core/cache/env-tarball-scan.ts';
import { linkScriptPackages, linkScriptsOf, tarballDecision } from '../../core/cache/link-script-policy.ts';
import { runTransaction } from '../../core/install/transaction.ts';
import { buildPackage } from '../install/link-support.ts';

describe('link-script policy', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'env-setup-linkscripts-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('names the installed packages with link scripts and turns tarballs off by default', async () => {
    const pkgs = join(work, 'pkgs');
    const plain = await buildPackage(pkgs, { name: 'plain', files: [{ name: 'share/plain.txt', data: 'p' }] });
    const scripted = await buildPackage(pkgs, {
      name: 'scripted',
      version: '3.0',
      files: [
        { name: 'bin/.scripted-post-link.sh', data: 'echo hi >> "$PREFIX/share/made-by-script"\n', mode: 0o755 },
        { name: 'bin/.scripted-pre-unlink.sh', data: 'true\n', mode: 0o755 },
        { name: 'bin/.other-post-link.sh', data: 'true\n' },
      ],
    });
    const prefix = join(work, 'env');
    await runTransaction({ prefix, link: [plain, scripted] });
    const found = linkScriptPackages(readRecordFiles(prefix));
    assert.deepEqual(found, [{ dist: 'scripted-3.0-0', scripts: ['post-link', 'pre-unlink'] }]);

    const auto = tarballDecision(found);
    assert.equal(auto.enabled, false);
    assert.equal(auto.reason, 'link-scripts');
    assert.match(auto.notice!, /tarball caching is off for this environment: scripted-3\.0-0 \(post-link, pre-unlink\) runs link scripts/);
    const forced = tarballDecision(found, { tarballs: 'on' });
    assert.equal(forced.enabled, true);
    assert.equal(forced.reason, 'forced');
    assert.match(forced.notice!, /forced on although scripted-3\.0-0/);
    assert.deepEqual(tarballDecision(found, { tarballs: 'off' }), { enabled: false, reason: 'disabled', notice: undefined });
    assert.deepEqual(tarballDecision([]), { enabled: true, reason: 'no-link-scripts', notice: undefined });
    assert.deepEqual(tarballDecision([], { tarballs: 'off' }).enabled, false);
  });

  it('reads packages about to be installed, and Windows scripts', () => {
    assert.deepEqual(linkScriptsOf('x', ['Scripts/.x-pre-link.bat', 'bin/.x-post-link.sh', 'bin/.y-post-link.sh', 'bin/x-post-link.sh']), ['pre-link', 'post-link']);
    const many = Array.from({ length: 7 }, (_, i) => ({ name: `p${i}`, dist: `p${i}-1-0`, paths: [`bin/.p${i}-post-link.sh`] }));
    const found = linkScriptPackages([...many, { name: 'clean', dist: 'clean-1-0', paths: ['bin/clean'] }]);
    assert.equal(found.length, 7);
    assert.match(tarballDecision(found).notice!, /p0-1-0 \(post-link\), .*p4-1-0 \(post-link\) and 2 more run link scripts/);
  });
});
