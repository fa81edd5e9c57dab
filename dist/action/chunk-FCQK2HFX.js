import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/install/fs-batch.ts
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
var PLACE = { link: 1, copy: 2, symlink: 3, mkdir: 4 };
var CHECK = { any: 0, file: 1, symlink: 2 };
var CACHE_CHANGED = "ECACHECHANGED";
var CROSS_DEVICE_CODES = ["EXDEV", "EPERM", "EMLINK", "ENOTSUP", "EOPNOTSUPP", "EACCES", "ENOSYS"];
function runBatch(fs2, cross, m, crypto2) {
  switch (m.kind) {
    case "place":
      return placeBatch(fs2, cross, m);
    case "check":
      return checkBatch(fs2, m);
    case "stat":
      return statBatch(fs2, m);
    case "hash":
      return hashBatch(fs2, m, crypto2);
    default:
      return existsBatch(fs2, m);
  }
}
function placeBatch(fs2, cross, m) {
  const r = { linked: 0, copied: 0, symlinked: 0, made: 0, crossDevice: false, failures: [] };
  const ops = m.ops;
  const src = m.src.split("\0");
  const dest = m.dest === null || m.dest === void 0 ? src : m.dest.split("\0");
  const stamps = m.stamps === null || m.stamps === void 0 ? void 0 : m.stamps;
  const { linkSync, lstatSync, mkdirSync } = fs2;
  const noThrow = { throwIfNoEntry: false };
  const srcRoot = m.srcRoot + "/";
  const destRoot = m.destRoot + "/";
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const to = destRoot + dest[i];
    try {
      if (op === 4) {
        mkdirSync(to);
        r.made++;
        continue;
      }
      const from = srcRoot + src[i];
      if (stamps !== void 0 && stamps[3 * i] >= 0) {
        const problem = stampProblem(lstatSync(from, noThrow), op === 3, stamps, i);
        if (problem !== void 0) {
          r.failures.push({ index: i, code: "ECACHECHANGED", message: problem });
          continue;
        }
      }
      if (op === 1 && !r.crossDevice) {
        try {
          linkSync(from, to);
          r.linked++;
          continue;
        } catch (e) {
          if (!cross.has(e.code ?? "")) throw e;
          r.crossDevice = true;
        }
      }
      if (op === 1 || op === 2) {
        fs2.copyFileSync(from, to);
        r.copied++;
      } else if (op === 3) {
        fs2.symlinkSync(fs2.readlinkSync(from), to);
        r.symlinked++;
      }
    } catch (e) {
      r.failures.push({ index: i, code: e.code, message: e.message });
    }
  }
  return r;
}
function lstatUnder(fs2, root) {
  const { lstatSync } = fs2;
  const noThrow = { throwIfNoEntry: false };
  const under = root + "/";
  return (path) => lstatSync(under + path, noThrow);
}
function checkBatch(fs2, m) {
  const paths = m.paths.split("\0");
  const lstat = lstatUnder(fs2, m.root);
  for (let i = 0; i < paths.length; i++) {
    const st = lstat(paths[i]);
    if (st === void 0) return { index: i, kind: "missing" };
    const t = m.types ? m.types[i] : 0;
    if (t === 1 && !st.isFile() || t === 2 && !st.isSymbolicLink()) {
      return { index: i, kind: "type", found: st.isFile() ? "file" : st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "dir" : "other", size: st.size };
    }
    if (m.sizes && m.sizes[i] >= 0 && st.isFile() && st.size !== m.sizes[i]) return { index: i, kind: "size", found: "file", size: st.size };
    if (m.stamps && m.stamps[3 * i] >= 0 && stampProblem(st, st.isSymbolicLink(), m.stamps, i) !== void 0) return { index: i, kind: "changed", size: st.size };
  }
  return null;
}
function stampProblem(st, symlink, stamps, i) {
  if (st === void 0) return "is missing";
  if (symlink ? !st.isSymbolicLink() : !st.isFile()) return symlink ? "is no longer a symbolic link" : "is no longer a regular file";
  if (stamps[3 * i] < 0) return void 0;
  if (st.size !== stamps[3 * i]) return "has another size";
  if (st.mtimeMs !== stamps[3 * i + 1] || st.ino !== stamps[3 * i + 2]) return "was modified or replaced";
  return void 0;
}
function statBatch(fs2, m) {
  const paths = m.paths.split("\0");
  const out = new Float64Array(paths.length * 3).fill(-1);
  const lstat = lstatUnder(fs2, m.root);
  for (let i = 0; i < paths.length; i++) {
    const st = lstat(paths[i]);
    if (st === void 0) continue;
    out[3 * i] = st.size;
    out[3 * i + 1] = st.mtimeMs;
    out[3 * i + 2] = st.ino;
  }
  return out;
}
function hashBatch(fs2, m, crypto2) {
  const paths = m.paths.split("\0");
  const digests = m.digests === void 0 ? void 0 : m.digests.split("\0");
  const all = [];
  const sizes = m.withSizes ? new Float64Array(paths.length) : void 0;
  const limits = m.sizes ?? void 0;
  const flags = m.withSizes ? fs2.constants.O_RDONLY | (fs2.constants.O_NOFOLLOW ?? 0) | (fs2.constants.O_NONBLOCK ?? 0) : fs2.constants.O_RDONLY;
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let i = 0; i < paths.length; i++) {
    if (digests !== void 0 && digests[i] === "") continue;
    let actual = null;
    let size = 0;
    try {
      const fd = fs2.openSync(m.root + "/" + paths[i], flags);
      try {
        if (sizes !== void 0) {
          const st = fs2.fstatSync(fd);
          if (!st.isFile()) throw new Error("not a file");
          if (limits !== void 0 && st.size > limits[i]) {
            sizes[i] = st.size;
            all.push(null);
            continue;
          }
        }
        const first = fs2.readSync(fd, buf, 0, buf.length, null);
        size = first;
        if (first < buf.length && typeof crypto2.hash === "function") {
          actual = crypto2.hash("sha256", buf.subarray(0, first), "hex");
        } else {
          const h = crypto2.createHash("sha256").update(buf.subarray(0, first));
          for (let n; (n = fs2.readSync(fd, buf, 0, buf.length, null)) > 0; size += n) h.update(buf.subarray(0, n));
          actual = h.digest("hex");
        }
      } finally {
        fs2.closeSync(fd);
      }
    } catch {
    }
    if (sizes !== void 0) sizes[i] = actual === null ? -1 : size;
    if (digests === void 0) all.push(actual);
    else if (actual !== digests[i]) return { index: i, actual };
  }
  return digests === void 0 ? sizes !== void 0 ? { digests: all, sizes } : all : null;
}
function existsBatch(fs2, m) {
  const paths = m.paths.split("\0");
  const out = [];
  const lstat = lstatUnder(fs2, m.root);
  for (let i = 0; i < paths.length; i++) {
    let there;
    try {
      there = lstat(paths[i]) !== void 0;
    } catch {
      there = true;
    }
    if (there) out.push(i);
  }
  return out;
}
var WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
// a background worker (Linux only: there a thread has its own nice value) runs at the lowest
// priority, on what CPU the others leave
if (workerData && workerData.nice) {
  try { require('node:os').setPriority(workerData.nice); } catch {}
}
// loaded when first needed: only hashing uses it, and loading it slows every worker's start
let crypto;
const CROSS = new Set(${JSON.stringify(CROSS_DEVICE_CODES)});
${[stampProblem, lstatUnder, placeBatch, checkBatch, statBatch, hashBatch, existsBatch, runBatch].map((f) => f.toString()).join("\n")}
parentPort.on('message', (m) => {
  let result, error;
  try {
    if (m.kind === 'hash') crypto ??= require('node:crypto');
    result = runBatch(fs, CROSS, m, crypto);
  } catch (e) {
    error = { message: String((e && e.message) || e), code: e && e.code };
  }
  parentPort.postMessage({ id: m.id, result, error });
});
`;
var IDLE_MS = 1e4;
var FsWorker = class {
  worker;
  pending = /* @__PURE__ */ new Map();
  /** The worker runs JavaScript (it takes tens of milliseconds to start). */
  online = false;
  #idle;
  /** `onReady`: the worker came online or answered a batch (it can take more); `onGone`: it stopped (`beforeOnline`: it failed before it ever ran). */
  constructor(onReady, onGone, background) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: "env-setup fs batch", workerData: background ? { nice: BACKGROUND_NICE } : void 0 });
    const idle = () => {
      if (this.pending.size > 0) return;
      this.worker.unref();
      clearTimeout(this.#idle);
      this.#idle = setTimeout(() => {
        onGone(this, false);
        void this.worker.terminate();
      }, IDLE_MS).unref();
    };
    this.worker.once("online", () => {
      this.online = true;
      onReady();
      idle();
    });
    this.worker.on("message", (m) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.result);
      onReady();
      idle();
    });
    const fail = (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      onGone(this, !this.online);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the file-system worker stopped (exit code ${code})`)));
    this.worker.unref();
  }
  send(id, message) {
    clearTimeout(this.#idle);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...message, id });
    });
  }
};
var CROSS = new Set(CROSS_DEVICE_CODES);
var BACKGROUND_NICE = 19;
var canRunInBackground = (platform = process.platform) => platform === "linux";
function defaultWorkers() {
  const set = process.env.ENV_SETUP_FS_WORKERS;
  if (set !== void 0 && set !== "" && Number.isFinite(Number(set))) return Number(set);
  const cpus = availableParallelism();
  return cpus <= 1 ? 0 : Math.min(4, cpus);
}
var MIN_CHUNK = 512;
var SHARED_KINDS = /* @__PURE__ */ new Set(["check", "exists"]);
var IN_FLIGHT = 2;
var FsBatchPool = class {
  /** Worker threads; 0: batches run on this thread, one per turn of the event loop. */
  size;
  #workers = [];
  #next = 0;
  #inline = Promise.resolve();
  /** Batches no one has taken yet, in the order they came. */
  #queue = [];
  /** This thread has a turn of the event loop booked to run a batch of the queue. */
  #helping = false;
  /** Batches run so far: on this thread and on the workers. */
  ran = { here: 0, workers: 0 };
  #started = 0;
  /** Its workers run at the lowest priority (see canRunInBackground; ignored where it cannot be). */
  background;
  constructor(size = defaultWorkers(), options = {}) {
    this.size = Math.max(0, Math.floor(size));
    this.background = options.background === true && canRunInBackground();
  }
  /** Starts the workers now (they take some tens of milliseconds to start), so they are ready when needed. */
  warm() {
    while (this.#workers.length < this.size) {
      this.#workers.push(new FsWorker(() => this.#pump(), (w, beforeOnline) => this.#drop(w, beforeOnline), this.background));
      this.#started++;
    }
  }
  /** How many workers this pool has started (restarts included). */
  get workersStarted() {
    return this.#started;
  }
  #drop(w, beforeOnline) {
    this.#workers = this.#workers.filter((x) => x !== w);
    if (beforeOnline && !this.#workers.some((x) => x.online)) {
      const error = new Error("the file-system worker could not start");
      for (const q of this.#queue.filter((x) => x.offThread)) q.reject(error);
      this.#queue = this.#queue.filter((x) => !x.offThread);
    }
    this.#pump();
  }
  /**
   * Runs `message` on a worker or on this thread. With no workers, here, one batch per turn of the
   * event loop (so timers, I/O and signals are served in between). Else the batch joins a queue the
   * workers take from: every kind at once, except the shared kinds (SHARED_KINDS), which a worker
   * takes at most IN_FLIGHT at a time, leaving the rest for this thread too, one batch per turn of
   * the event loop. This thread also runs any batch but an `offThread` one while no worker has
   * started yet (it would only wait). Measured on the warm install of bench/install.ts (2 CPUs):
   * sharing the cache's check took 60-70 ms off its 250; sharing linking too made the link phase
   * slower (this thread has its own work then, and a worker fed one batch at a time waited for it).
   */
  #send(message, offThread = false) {
    if (this.size === 0) {
      const run = this.#inline.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => {
        this.ran.here++;
        return runBatch(fs, CROSS, message, crypto);
      });
      this.#inline = run.catch(() => void 0);
      return run;
    }
    this.warm();
    return new Promise((resolve, reject) => {
      this.#queue.push({ message, offThread, resolve, reject });
      this.#pump();
    });
  }
  /** Whether this thread may run `q` now (see #send). */
  #mine(q) {
    return SHARED_KINDS.has(q.message.kind) || !q.offThread && !this.#workers.some((w) => w.online);
  }
  /** Hands queued batches to the workers (see #send), and books a turn of this thread when one is for it. */
  #pump() {
    while (this.#queue.length > 0) {
      let best;
      for (const w of this.#workers) if (w.online && (best === void 0 || w.pending.size < best.pending.size)) best = w;
      const q = this.#queue[0];
      if (best === void 0 || SHARED_KINDS.has(q.message.kind) && best.pending.size >= IN_FLIGHT) break;
      this.#queue.shift();
      this.ran.workers++;
      best.send(this.#next++, q.message).then(q.resolve, q.reject);
    }
    for (const w of this.#workers) {
      if (w.online) continue;
      if (this.#queue.length > 0) w.worker.ref();
      else w.worker.unref();
    }
    if (!this.#helping && this.#queue.some((q) => this.#mine(q))) {
      this.#helping = true;
      setImmediate(() => this.#runOne());
    }
  }
  #runOne() {
    this.#helping = false;
    const at = this.#queue.findIndex((q) => this.#mine(q));
    if (at >= 0) {
      const [q] = this.#queue.splice(at, 1);
      this.ran.here++;
      try {
        q.resolve(runBatch(fs, CROSS, q.message, crypto));
      } catch (error) {
        q.reject(error);
      }
    }
    this.#pump();
  }
  /** Runs `batch` (split across the workers when large); failures are reported with indices into `batch`. */
  async place(batch, chunk = MIN_CHUNK) {
    const n = batch.ops.length;
    const parts = Math.max(1, Math.min(this.size === 0 ? Infinity : this.size * 4, Math.floor(n / chunk)));
    const per = Math.ceil(n / parts);
    const slices = [];
    for (let at = 0; at < n; at += per) {
      const end = Math.min(n, at + per);
      const message = {
        kind: "place",
        srcRoot: batch.srcRoot,
        destRoot: batch.destRoot,
        src: batch.src.slice(at, end).join("\0"),
        dest: batch.dest === void 0 ? null : batch.dest.slice(at, end).join("\0"),
        ops: Uint8Array.from(batch.ops.slice(at, end)),
        stamps: batch.stamps === void 0 ? null : batch.stamps.slice(3 * at, 3 * end)
      };
      slices.push(this.#send(message).then((r) => ({ at, r })));
    }
    const settled = await Promise.allSettled(slices);
    const out = { linked: 0, copied: 0, symlinked: 0, made: 0, crossDevice: false, failures: [] };
    for (const s of settled) {
      if (s.status === "rejected") throw s.reason;
      const { at, r } = s.value;
      out.linked += r.linked;
      out.copied += r.copied;
      out.symlinked += r.symlinked;
      out.made += r.made;
      out.crossDevice ||= r.crossDevice;
      for (const f of r.failures) out.failures.push({ ...f, index: f.index + at });
    }
    out.failures.sort((a, b) => a.index - b.index);
    return out;
  }
  /**
   * Makes the folders `dirs` (relative to `root`; any order where parents come before their
   * children) as `mkdir` places: one depth after the other, each depth split across the workers —
   * making a folder is mostly the kernel's own work (finding an inode), which runs in parallel,
   * where `cp -al` makes them one by one. Failures are reported with indices into `dirs`; a folder
   * whose parent failed fails too.
   */
  async mkdirs(root, dirs) {
    const byDepth = /* @__PURE__ */ new Map();
    dirs.forEach((d, i) => {
      let n = 0;
      for (let at = d.indexOf("/"); at >= 0; at = d.indexOf("/", at + 1)) n++;
      const level = byDepth.get(n);
      if (level === void 0) byDepth.set(n, [i]);
      else level.push(i);
    });
    const out = { linked: 0, copied: 0, symlinked: 0, made: 0, crossDevice: false, failures: [] };
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      const level = byDepth.get(depth);
      const src = level.map((i) => dirs[i]);
      const chunk = Math.max(16, Math.ceil(level.length / Math.max(1, this.size)));
      const r = await this.place({ srcRoot: "", destRoot: root, src, ops: src.map(() => PLACE.mkdir) }, chunk);
      out.made += r.made;
      for (const f of r.failures) out.failures.push({ ...f, index: level[f.index] });
    }
    out.failures.sort((a, b) => a.index - b.index);
    return out;
  }
  /** The first of `batch.paths` (in order) that fails the check, or undefined. */
  async check(batch, chunk = 2048) {
    const n = batch.paths.length;
    const parts = [];
    for (let at = 0; at < n; at += chunk) {
      const end = Math.min(n, at + chunk);
      const message = {
        kind: "check",
        root: batch.root,
        paths: batch.paths.slice(at, end).join("\0"),
        types: batch.types === void 0 ? null : Uint8Array.from(batch.types.slice(at, end)),
        sizes: batch.sizes === void 0 ? null : Float64Array.from(batch.sizes.slice(at, end)),
        stamps: batch.stamps === void 0 ? null : batch.stamps.slice(3 * at, 3 * end)
      };
      parts.push(this.#send(message).then((p) => p === null ? null : { ...p, index: p.index + at }));
    }
    for (const p of await Promise.all(parts)) if (p !== null) return p;
    return void 0;
  }
  /** [size, mtimeMs, ino] of each of `paths` (relative to `root`; -1s when missing), three numbers per path. */
  async stat(root, paths, chunk = 2048) {
    const parts = [];
    for (let at2 = 0; at2 < paths.length; at2 += chunk) {
      parts.push(this.#send({ kind: "stat", root, paths: paths.slice(at2, at2 + chunk).join("\0") }));
    }
    const out = new Float64Array(paths.length * 3);
    let at = 0;
    for (const part of await Promise.all(parts)) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
  /**
   * The first of `paths` (relative to `root`) whose sha256 is not `digests[i]` (lowercase hex; ''
   * skips the path), with what it is (null: unreadable); undefined when every one matches. Split
   * into parts of about `chunkBytes` by `sizes`, so large files spread across the workers.
   */
  async hash(root, paths, digests, sizes, chunkBytes = 32 << 20) {
    const parts = [];
    let at = 0;
    while (at < paths.length) {
      let end = at;
      let bytes = 0;
      while (end < paths.length && (end === at || bytes + Math.max(0, sizes[end] ?? 0) <= chunkBytes) && end - at < 4096) bytes += Math.max(0, sizes[end++] ?? 0);
      const from = at;
      const message = { kind: "hash", root, paths: paths.slice(from, end).join("\0"), digests: digests.slice(from, end).join("\0") };
      parts.push(this.#send(message).then((p) => p === null ? null : { ...p, index: p.index + from }));
      at = end;
    }
    for (const p of await Promise.all(parts)) if (p !== null) return p;
    return void 0;
  }
  /** The sha256 (lowercase hex) of each of `paths` (relative to `root`), null for one that cannot be read; one batch. */
  async digests(root, paths) {
    return await this.#send({ kind: "hash", root, paths: paths.join("\0") });
  }
  /**
   * The sha256 and size of each file (relative to `root`), read through; a path that cannot be read
   * as a file (missing, a folder, a FIFO or device, a symbolic link in its last place) has digest
   * null and size -1; one larger than its `limits` entry is not read (digest null, its size).
   * Run on a worker even while none has started yet (this thread is needed elsewhere meanwhile).
   */
  async contents(root, paths, limits) {
    return await this.#send({ kind: "hash", root, paths: paths.join("\0"), withSizes: true, sizes: limits ?? null }, true);
  }
  /** The indices of `paths` (relative to `root`) that exist. */
  async exists(root, paths, chunk = 2048) {
    const parts = [];
    for (let at = 0; at < paths.length; at += chunk) {
      const slice = paths.slice(at, at + chunk);
      parts.push(this.#send({ kind: "exists", root, paths: slice.join("\0") }).then((xs) => xs.map((i) => i + at)));
    }
    return (await Promise.all(parts)).flat();
  }
};
var shared;
function fsBatchPool() {
  shared ??= new FsBatchPool();
  return shared;
}
var sharedHashing;
function hashingPool() {
  sharedHashing ??= new FsBatchPool(availableParallelism());
  return sharedHashing;
}

// core/install/path-safety.ts
var SEPARATOR = /[/\\]/;
function isAbsoluteName(name) {
  return name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name);
}
function isCleanName(name) {
  const n = name.length;
  if (n === 0) return false;
  const c0 = name.charCodeAt(0) | 32;
  if (n >= 2 && name.charCodeAt(1) === 58 && c0 >= 97 && c0 <= 122) return false;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 47;
    if (c === 47) {
      const len = i - start;
      if (len === 0) return false;
      if (len <= 2 && name.charCodeAt(start) === 46 && (len === 1 || name.charCodeAt(start + 1) === 46)) return false;
      start = i + 1;
    } else if (c === 92 || c === 0) return false;
  }
  return true;
}
function normalizeEntryName(name) {
  if (isCleanName(name)) return { ok: true, path: name };
  if (name.includes("\0")) return { ok: false, reason: "has a NUL character in its name" };
  if (isAbsoluteName(name)) return { ok: false, reason: "is an absolute path" };
  const parts = name.split(SEPARATOR).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return { ok: false, reason: 'has ".." in its path' };
  return { ok: true, path: parts.join("/") };
}
function symlinkTargetProblem(linkPath, target) {
  if (target === "") return "is a symbolic link with an empty target";
  if (target.includes("\0")) return "is a symbolic link whose target has a NUL character";
  if (isAbsoluteName(target)) return `is a symbolic link to the absolute path ${target}`;
  const stack = linkPath.split("/").slice(0, -1);
  for (const part of target.split(SEPARATOR)) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (stack.length === 0) return `is a symbolic link to ${target}, outside the package`;
      stack.pop();
    } else stack.push(part);
  }
  return void 0;
}
var LinkTree = class {
  #links = /* @__PURE__ */ new Map();
  add(path, target) {
    this.#links.set(path, target);
  }
  delete(path) {
    this.#links.delete(path);
  }
  /** A link that, followed through the others, leads outside the package; undefined when none does. */
  findEscape() {
    for (const [path, target] of this.#links) if (this.#escapes(path)) return { path, target };
    return void 0;
  }
  #escapes(start) {
    const stack = start.split("/").slice(0, -1);
    let pending = this.#links.get(start).split(SEPARATOR);
    let hops = 0;
    for (let i = 0; i < pending.length; i++) {
      const part = pending[i];
      if (part === "" || part === ".") continue;
      if (part === "..") {
        if (stack.length === 0) return true;
        stack.pop();
        continue;
      }
      stack.push(part);
      const target = this.#links.get(stack.join("/"));
      if (target === void 0) continue;
      if (++hops > 64) return false;
      if (isAbsoluteName(target)) return true;
      stack.pop();
      pending = [...target.split(SEPARATOR), ...pending.slice(i + 1)];
      i = -1;
    }
    return false;
  }
};

// core/install/task-pool.ts
var TaskPool = class {
  size;
  #running = 0;
  #waiting = [];
  constructor(size) {
    this.size = Math.max(1, Math.floor(size));
  }
  async run(task) {
    if (this.#running >= this.size) await new Promise((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
};

export {
  PLACE,
  CHECK,
  CACHE_CHANGED,
  stampProblem,
  canRunInBackground,
  FsBatchPool,
  fsBatchPool,
  hashingPool,
  TaskPool,
  isCleanName,
  normalizeEntryName,
  symlinkTargetProblem,
  LinkTree
};
