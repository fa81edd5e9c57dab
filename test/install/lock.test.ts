// The package lock: exclusive across holders, kept fresh while held, broken when its holder is gone
// (a dead process of this host, or no heartbeat for staleMs), and a clear error when waiting too long.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { InstallError } from '../../core/install/errors.ts';
import { acquireLock } from '../../core/install/package-lock.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'env-setup-lock-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('package locks', () => {
  it('are exclusive: a second holder waits for the first', async () => {
    const path = join(dir, 'a.lock');
    const first = await acquireLock(path);
    let waited = false;
    const second = acquireLock(path, { onWait: () => (waited = true) });
    await sleep(100);
    assert.ok(waited);
    await first.release();
    const held = await second;
    assert.ok(held.waitedMs >= 90, `waited ${held.waitedMs} ms`);
    await held.release();
    assert.ok(!existsSync(path));
  });

  it('break the lock of a process that is gone', async () => {
    const path = join(dir, 'dead.lock');
    await writeFile(path, JSON.stringify({ pid: deadPid(), host: hostname(), nonce: 'x', at: Date.now() }));
    const lock = await acquireLock(path, { timeoutMs: 1000 });
    assert.ok(lock.waitedMs < 500);
    assert.equal(JSON.parse(await readFile(path, 'utf8')).pid, process.pid);
    await lock.release();
  });

  it('break a lock nobody has touched for staleMs (a holder on another machine)', async () => {
    const path = join(dir, 'old.lock');
    await writeFile(path, JSON.stringify({ pid: 1, host: 'another-machine', nonce: 'y', at: 0 }));
    const old = new Date(Date.now() - 120_000);
    await utimes(path, old, old);
    const lock = await acquireLock(path, { staleMs: 60_000, timeoutMs: 1000 });
    await lock.release();
  });

  it('stay fresh while held, so a waiter times out with a clear error instead of stealing it', async () => {
    const path = join(dir, 'live.lock');
    const holder = await acquireLock(path, { staleMs: 300 });
    const before = (await stat(path)).mtimeMs;
    await sleep(400);
    assert.ok((await stat(path)).mtimeMs > before, 'touched by the heartbeat');
    await assert.rejects(acquireLock(path, { staleMs: 300, timeoutMs: 400, what: 'pkg-1.0-0.conda' }), (error: unknown) => {
      assert.ok(error instanceof InstallError);
      assert.equal(error.kind, 'lock-timeout');
      assert.match(error.message, new RegExp(`^pkg-1\\.0-0\\.conda: gave up after 0 s waiting for process ${process.pid} on `));
      return true;
    });
    assert.ok(!holder.lost);
    await holder.release();
  });

  it('release only their own lock', async () => {
    const path = join(dir, 'own.lock');
    const lock = await acquireLock(path);
    await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'someone-else', at: Date.now() }));
    await lock.release();
    assert.ok(existsSync(path), 'a lock taken over by another holder is left to it');
    assert.ok(lock.lost);
  });

  it('can be given up while waiting', async () => {
    const path = join(dir, 'abort.lock');
    const holder = await acquireLock(path);
    const controller = new AbortController();
    const waiting = acquireLock(path, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await assert.rejects(waiting, /stop/);
    await holder.release();
  });
});
