import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  InstallError,
  journalPaths,
  recoverJournal
} from "./chunk-F7FIXKAF.js";

// core/install/prefix-lock.ts
import { existsSync } from "node:fs";
import { readdir, rmdir } from "node:fs/promises";
import { join } from "node:path";

// core/install/package-lock.ts
import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
var HOST = hostname();
function parseHolder(text) {
  try {
    const v = JSON.parse(text);
    if (typeof v.pid === "number" && typeof v.host === "string" && typeof v.nonce === "string") return { pid: v.pid, host: v.host, nonce: v.nonce, at: Number(v.at) || 0 };
  } catch {
  }
  return void 0;
}
function processExists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function readLock(path) {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    return { holder: parseHolder(text), text, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
function isStale(found, staleMs, now) {
  const h = found.holder;
  if (h && h.host === HOST && h.pid !== process.pid && !processExists(h.pid)) return true;
  return now - found.mtimeMs > staleMs;
}
async function breakStale(path, judged) {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (error.code === "ENOENT") return true;
    throw error;
  }
  const moved = await readFile(aside, "utf8").catch(() => "");
  if (moved !== judged.text) {
    await link(aside, path).catch(() => void 0);
  }
  await unlink(aside).catch(() => void 0);
  return moved === judged.text;
}
async function acquireLock(path, options = {}) {
  const staleMs = options.staleMs ?? 6e4;
  const timeoutMs = options.timeoutMs ?? 30 * 6e4;
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(staleMs / 4));
  const started = Date.now();
  const me = { pid: process.pid, host: HOST, nonce: randomUUID(), at: started };
  const text = JSON.stringify(me);
  await mkdir(dirname(path), { recursive: true });
  let delay = 20;
  let waiting = false;
  for (; ; ) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(path, text, { flag: "wx" });
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    const found = await readLock(path);
    if (found === void 0) continue;
    if (isStale(found, staleMs, Date.now())) {
      await breakStale(path, found);
      continue;
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(found.holder);
    }
    if (Date.now() - started > timeoutMs) {
      const who = found.holder ? `process ${found.holder.pid} on ${found.holder.host}` : "another process";
      throw new InstallError("lock-timeout", `${options.what ?? path}: gave up after ${Math.round(timeoutMs / 1e3)} s waiting for ${who}, which holds ${path}; remove the file if that process is gone`, {
        package: options.what,
        file: path
      });
    }
    await sleep(delay, void 0, { signal: options.signal }).catch(() => options.signal?.throwIfAborted());
    delay = Math.min(250, Math.round(delay * 1.5));
  }
  const waitedMs = Date.now() - started;
  let lost = false;
  const timer = setInterval(() => {
    const now = /* @__PURE__ */ new Date();
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
      const current = await readFile(path, "utf8").catch(() => void 0);
      if (current === text) await unlink(path).catch(() => void 0);
      else lost = true;
    }
  };
}

// core/install/prefix-lock.ts
async function lockPrefix(prefix, options = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await acquireLock(journalPaths(prefix).lock, { ...options, what: prefix });
    } catch (error) {
      if (error.code !== "ENOENT" || attempt >= 100) throw error;
    }
  }
}
async function tidyPrefix(prefix, made) {
  const quiet = (p) => p.catch(() => void 0);
  await quiet(rmdir(journalPaths(prefix).state));
  if (made?.createdCondaMeta) {
    const left = await readdir(join(prefix, "conda-meta")).catch(() => void 0);
    if (left !== void 0 && left.length === 0) await quiet(rmdir(join(prefix, "conda-meta")));
  }
  if (made?.createdPrefix) await quiet(rmdir(prefix));
}
async function recoverPrefix(prefix, options = {}) {
  const paths = journalPaths(prefix);
  if (!existsSync(paths.journal) && !existsSync(paths.backup)) return { kind: "none" };
  const lock = await lockPrefix(prefix, options);
  let outcome;
  try {
    outcome = await recoverJournal(prefix);
  } finally {
    await lock.release();
  }
  await tidyPrefix(prefix, outcome.kind === "none" ? void 0 : outcome.begin);
  return outcome;
}

export {
  acquireLock,
  lockPrefix,
  tidyPrefix,
  recoverPrefix
};
