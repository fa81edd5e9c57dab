// A lock file that works across processes (and machines sharing a folder): created with O_EXCL,
// holding { pid, host, nonce, at }, kept fresh by touching its mtime while held. A lock is stale
// when its holder is a process of this host that no longer exists, or when it has not been touched
// for `staleMs`; a stale lock is broken by renaming it aside (atomic: of two breakers only one
// succeeds) and checking that the renamed file is the one judged stale. Waiting polls with a
// growing delay. Used per package in the package cache, so two runs sharing one cache never work
// on the same package at once.

import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InstallError } from './errors.ts';

export interface LockOptions {
  /** A lock untouched for this long is stale. Default 60 000 ms. */
  staleMs?: number;
  /** Give up waiting after this long (InstallError 'lock-timeout'). Default 30 minutes. */
  timeoutMs?: number;
  /** How often the holder touches the lock. Default staleMs / 4. */
  heartbeatMs?: number;
  /** Called once when the lock is found taken and the caller starts to wait. */
  onWait?: (holder: LockHolder | undefined) => void;
  signal?: AbortSignal;
  /** Names the thing locked in errors (a package file name). */
  what?: string;
}

export interface LockHolder {
  pid: number;
  host: string;
  nonce: string;
  at: number;
}

export interface HeldLock {
  readonly path: string;
  /** True when the lock was taken over by someone else while held (it had looked stale). */
  readonly lost: boolean;
  /** Milliseconds spent waiting for the lock. */
  readonly waitedMs: number;
  release(): Promise<void>;
}

const HOST = hostname();

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.nonce === 'string') return { pid: v.pid, host: v.host, nonce: v.nonce, at: Number(v.at) || 0 };
  } catch {
    // a lock being written, or garbage: judged by its age only
  }
  return undefined;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<{ holder: LockHolder | undefined; text: string; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { holder: parseHolder(text), text, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(found: { holder: LockHolder | undefined; mtimeMs: number }, staleMs: number, now: number): boolean {
  const h = found.holder;
  if (h && h.host === HOST && h.pid !== process.pid && !processExists(h.pid)) return true;
  return now - found.mtimeMs > staleMs;
}

/** Breaks a lock judged stale; true when it is gone (by us or someone else). */
async function breakStale(path: string, judged: { text: string }): Promise<boolean> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== judged.text) {
    // Someone replaced the stale lock with a live one between our look and our rename: put it back
    // unless yet another lock appeared meanwhile (link never overwrites).
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
  return moved === judged.text;
}

/** Takes the lock at `path`, waiting while another live holder has it. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(staleMs / 4));
  const started = Date.now();
  const me: LockHolder = { pid: process.pid, host: HOST, nonce: randomUUID(), at: started };
  const text = JSON.stringify(me);
  await mkdir(dirname(path), { recursive: true });
  let delay = 20;
  let waiting = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(path, text, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const found = await readLock(path);
    if (found === undefined) continue;
    if (isStale(found, staleMs, Date.now())) {
      await breakStale(path, found);
      continue;
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(found.holder);
    }
    if (Date.now() - started > timeoutMs) {
      const who = found.holder ? `process ${found.holder.pid} on ${found.holder.host}` : 'another process';
      throw new InstallError('lock-timeout', `${options.what ?? path}: gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${who}, which holds ${path}; remove the file if that process is gone`, {
        package: options.what,
        file: path,
      });
    }
    await sleep(delay, undefined, { signal: options.signal }).catch(() => options.signal?.throwIfAborted());
    delay = Math.min(250, Math.round(delay * 1.5));
  }
  const waitedMs = Date.now() - started;
  let lost = false;
  const timer = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => {
      lost = true;
    });
  }, heartbeatMs);
  timer.unref();
  let released = false;
  return {
    path,
    get lost() {
      return lost;
    },
    waitedMs,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const current = await readFile(path, 'utf8').catch(() => undefined);
      if (current === text) await unlink(path).catch(() => undefined);
      else lost = true;
    },
  };
}

/** Runs `fn` while holding the lock at `path`. */
export async function withLock<T>(path: string, options: LockOptions, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
