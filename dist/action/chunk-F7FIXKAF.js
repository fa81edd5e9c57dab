import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/install/link-journal.ts
import { closeSync as closeSync2, fsyncSync, openSync as openSync2 } from "node:fs";
import { lstat, mkdir, readFile, rename, rm, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";

// core/install/json-parts.ts
import { closeSync, openSync } from "node:fs";

// core/install/scratch-window.ts
import { writeSync } from "node:fs";
var WINDOW_BYTES = 1 << 20;
var window;
var encoder = new TextEncoder();
function scratchWindow() {
  return window ??= Buffer.allocUnsafe(WINDOW_BYTES);
}
var TextWindowWriter = class {
  #fd;
  #buf = scratchWindow();
  #filled = 0;
  constructor(fd) {
    this.#fd = fd;
  }
  write(text) {
    const buf = this.#buf;
    if (text.length * 3 <= WINDOW_BYTES) {
      if (text.length * 3 > WINDOW_BYTES - this.#filled) this.flush();
      this.#filled += buf.write(text, this.#filled);
      return;
    }
    let at = 0;
    while (at < text.length) {
      if (WINDOW_BYTES - this.#filled < Math.min(text.length - at, 4096) * 3) this.flush();
      const { read, written } = encoder.encodeInto(at === 0 ? text : text.slice(at), this.#filled === 0 ? buf : buf.subarray(this.#filled));
      this.#filled += written;
      at += read;
      if (at < text.length) this.flush();
    }
  }
  flush() {
    for (let done = 0; done < this.#filled; ) done += writeSync(this.#fd, this.#buf, done, this.#filled - done);
    this.#filled = 0;
  }
};

// core/install/json-parts.ts
var ARRAY_GROUP = 64;
var isJsonRows = (v) => typeof v === "object" && v !== null && typeof v.row === "function" && typeof v.rowCount === "number";
var isSkipped = (v) => v === void 0 || typeof v === "function" || typeof v === "symbol";
var isContainer = (v) => typeof v === "object" && v !== null && typeof v.toJSON !== "function";
function emitJsonText(value, indent, suffix, out) {
  if (isSkipped(value)) return;
  const step = " ".repeat(indent);
  const whole = (v, pad) => {
    const text = JSON.stringify(v, null, indent) ?? "null";
    out(indent > 0 && pad !== "" && text.includes("\n") ? text.replaceAll("\n", "\n" + pad) : text);
  };
  const emit = (v, pad, depth) => {
    const rows = isJsonRows(v) ? v : void 0;
    if (rows === void 0 && !isContainer(v)) return whole(v, pad);
    const inner = indent > 0 ? pad + step : "";
    const open = indent > 0 ? "\n" + inner : "";
    const sep = indent > 0 ? ",\n" + inner : ",";
    const close = indent > 0 ? "\n" + pad : "";
    if (rows !== void 0 || Array.isArray(v)) {
      const count = rows !== void 0 ? rows.rowCount : v.length;
      if (count === 0) return out("[]");
      out("[");
      let head = 1;
      let tail = 1;
      for (let j = 0; j < depth; j++) {
        head += 1 + (indent > 0 ? 1 + (j + 1) * indent : 0);
        tail += 1 + (indent > 0 ? 1 + j * indent : 0);
      }
      tail += indent > 0 ? 1 + depth * indent : 0;
      for (let i = 0; i < count; i += ARRAY_GROUP) {
        let wrapped = rows !== void 0 ? Array.from({ length: Math.min(ARRAY_GROUP, count - i) }, (_, k) => rows.row(i + k)) : count <= ARRAY_GROUP ? v : v.slice(i, i + ARRAY_GROUP);
        for (let j = 0; j < depth; j++) wrapped = [wrapped];
        const text = JSON.stringify(wrapped, null, indent);
        if (i > 0) out(",");
        out(text.slice(head, text.length - tail));
      }
      return out(close + "]");
    }
    const record = v;
    let first = true;
    for (const key of Object.keys(record)) {
      const member = record[key];
      if (isSkipped(member)) continue;
      out((first ? "{" + open : sep) + JSON.stringify(key) + (indent > 0 ? ": " : ":"));
      first = false;
      emit(member, inner, depth + 1);
    }
    out(first ? "{}" : close + "}");
  };
  emit(value, "", 0);
  if (suffix !== "") out(suffix);
}
function writeJsonSync(fd, values, indent = 0, suffix = "") {
  const writer = new TextWindowWriter(fd);
  for (const value of values) emitJsonText(value, indent, suffix, (part) => writer.write(part));
  writer.flush();
}
function writeJsonFileSync(path, value, indent = 0, suffix = "") {
  const fd = openSync(path, "w");
  try {
    writeJsonSync(fd, [value], indent, suffix);
  } finally {
    closeSync(fd);
  }
}

// core/install/link-journal.ts
var STATE_DIR = "conda-meta/.env-setup";
function journalPaths(prefix) {
  const state = join(prefix, STATE_DIR);
  return { state, journal: join(state, "journal.jsonl"), backup: join(state, "backup"), lock: join(state, "lock") };
}
var exists = async (path) => {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
};
var Journal = class _Journal {
  prefix;
  paths;
  begin;
  #fd;
  #next = 0;
  #entries = [];
  constructor(prefix, fd, begin) {
    this.prefix = prefix;
    this.paths = journalPaths(prefix);
    this.#fd = fd;
    this.begin = begin;
  }
  /** Starts a journal in `prefix` (whose state folder exists, with the lock held). */
  static async open(prefix, flags) {
    const paths = journalPaths(prefix);
    await rm(paths.backup, { recursive: true, force: true });
    await mkdir(paths.backup, { recursive: true });
    const fd = openSync2(paths.journal, "w");
    const begin = { op: "begin", pid: process.pid, at: (/* @__PURE__ */ new Date()).toISOString(), ...flags };
    const journal = new _Journal(prefix, fd, begin);
    journal.#append(begin);
    fsyncSync(fd);
    return journal;
  }
  #append(entry) {
    if (this.#fd === void 0) throw new Error("the journal is closed");
    writeJsonSync(this.#fd, [entry], 0, "\n");
    this.#entries.push(entry);
  }
  /** Several entries in one write. */
  #appendAll(entries) {
    if (this.#fd === void 0) throw new Error("the journal is closed");
    if (entries.length === 0) return;
    writeJsonSync(this.#fd, entries, 0, "\n");
    this.#entries.push(...entries);
  }
  #full(rel) {
    return join(this.prefix, rel);
  }
  /** Moves whatever is at `rel` to the backup; false when nothing was there. */
  async moveAside(rel) {
    const full = this.#full(rel);
    if (!await exists(full)) return false;
    const to = String(this.#next++);
    this.#append({ op: "move", path: rel, to });
    await rename(full, join(this.paths.backup, to));
    return true;
  }
  /** Records that `rels` are about to be created. */
  creating(rels) {
    if (rels.length > 0) this.#append({ op: "create", paths: [...rels] });
  }
  /** Creates the absent folder `rel` (its parent exists). */
  async mkdir(rel) {
    this.#append({ op: "mkdir", path: rel });
    await mkdir(this.#full(rel));
  }
  /** Records that the absent folders `rels` (parents first) are about to be created by the caller (one `mkdir` entry each, in one write). */
  makingDirs(rels) {
    this.#appendAll(rels.map((path) => ({ op: "mkdir", path })));
  }
  /** Removes the empty folder `rel`. */
  async rmdir(rel) {
    this.#append({ op: "rmdir", path: rel });
    await rmdir(this.#full(rel));
  }
  /** Everything is in place: marks the journal committed, then deletes the backups and the journal. */
  async commit() {
    this.#append({ op: "commit" });
    fsyncSync(this.#fd);
    this.#close();
    await finishCommitted(this.paths);
  }
  /** Undoes everything recorded, then deletes the backups and the journal. */
  async rollback() {
    this.#close();
    return undo(this.prefix, this.#entries);
  }
  #close() {
    if (this.#fd !== void 0) closeSync2(this.#fd);
    this.#fd = void 0;
  }
};
async function finishCommitted(paths) {
  await rm(paths.backup, { recursive: true, force: true });
  await rm(paths.journal, { force: true });
}
function parseJournal(text) {
  const entries = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      break;
    }
  }
  return entries;
}
async function undo(prefix, entries) {
  const paths = journalPaths(prefix);
  const problems = [];
  const full = (rel) => join(prefix, rel);
  const attempt = async (what, fn) => {
    try {
      await fn();
    } catch (error) {
      const code = error.code;
      if (code !== "ENOENT" && code !== "ENOTEMPTY" && code !== "EEXIST") problems.push(`${what}: ${error.message}`);
    }
  };
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.op === "create") {
      for (const rel of [...e.paths].reverse()) {
        await attempt(`remove ${rel}`, async () => {
          const st = await lstat(full(rel));
          if (st.isDirectory()) await rmdir(full(rel));
          else await rm(full(rel), { force: true });
        });
      }
    } else if (e.op === "mkdir") {
      await attempt(`remove folder ${e.path}`, () => rmdir(full(e.path)));
    } else if (e.op === "rmdir") {
      await attempt(`restore folder ${e.path}`, () => mkdir(full(e.path), { recursive: true }));
    } else if (e.op === "move") {
      const from = join(paths.backup, e.to);
      if (!await exists(from)) continue;
      await attempt(`restore ${e.path}`, async () => {
        await rm(full(e.path), { recursive: true, force: true });
        await mkdir(dirname(full(e.path)), { recursive: true });
        await rename(from, full(e.path));
      });
    }
  }
  await rm(paths.backup, { recursive: true, force: true });
  await rm(paths.journal, { force: true });
  return problems;
}
async function recoverJournal(prefix) {
  const paths = journalPaths(prefix);
  let text;
  try {
    text = await readFile(paths.journal, "utf8");
  } catch {
    if (await exists(paths.backup)) await rm(paths.backup, { recursive: true, force: true });
    return { kind: "none" };
  }
  const entries = parseJournal(text);
  const begin = entries.find((e) => e.op === "begin");
  if (entries.some((e) => e.op === "commit")) {
    await finishCommitted(paths);
    return { kind: "completed", begin, problems: [] };
  }
  const problems = await undo(prefix, entries);
  return { kind: "rolled-back", begin, problems };
}

// core/install/errors.ts
var InstallError = class extends Error {
  kind;
  package;
  file;
  url;
  status;
  expected;
  actual;
  constructor(kind, message, details = {}) {
    super(message, details.cause === void 0 ? void 0 : { cause: details.cause });
    this.name = "InstallError";
    this.kind = kind;
    this.package = details.package;
    this.file = details.file;
    this.url = details.url;
    this.status = details.status;
    this.expected = details.expected;
    this.actual = details.actual;
  }
  /** The CLI's exit code: 2 for bad input (a bad record, an unusable cache folder or prefix), 1 otherwise. */
  get exitCode() {
    return this.kind === "bad-record" || this.kind === "cache" || this.kind === "prefix" ? 2 : 1;
  }
};

export {
  WINDOW_BYTES,
  scratchWindow,
  writeJsonFileSync,
  STATE_DIR,
  journalPaths,
  Journal,
  recoverJournal,
  InstallError
};
