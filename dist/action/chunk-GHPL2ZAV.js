import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  LinkTree,
  normalizeEntryName,
  symlinkTargetProblem
} from "./chunk-FCQK2HFX.js";
import {
  TarFormatError,
  TarReader
} from "./chunk-G3APC2K4.js";
import {
  InstallError
} from "./chunk-F7FIXKAF.js";

// core/install/verify.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
function checkedHash(mode, expected) {
  if (mode === "size") return void 0;
  const sha = validHex(expected.sha256, 64);
  const md5 = validHex(expected.md5, 32);
  if (mode === "sha256") return sha ? "sha256" : md5 ? "md5" : void 0;
  return md5 ? "md5" : sha ? "sha256" : void 0;
}
function hashesToCompute(mode, expected) {
  const checked = checkedHash(mode, expected);
  if (checked) return [checked];
  if (mode !== "size" && !validHex(expected.sha256, 64) && !validHex(expected.md5, 32)) return ["sha256", "md5"];
  return [];
}
function validHex(value, length) {
  return value !== void 0 && value.length === length && /^[0-9a-fA-F]+$/.test(value) ? value.toLowerCase() : void 0;
}
var MultiHash = class {
  #hashes;
  constructor(algorithms) {
    this.#hashes = new Map(algorithms.map((a) => [a, createHash(a)]));
  }
  update(chunk) {
    for (const h of this.#hashes.values()) h.update(chunk);
  }
  digest() {
    const out = {};
    for (const [a, h] of this.#hashes) out[a] = h.digest("hex");
    return out;
  }
};
function verifyProblem(mode, expected, actual) {
  if (expected.size !== void 0 && expected.size !== actual.size) return { kind: "size", expected: `${expected.size} bytes`, actual: `${actual.size} bytes` };
  const algorithm = checkedHash(mode, expected);
  if (algorithm === void 0) return void 0;
  const want = expected[algorithm].toLowerCase();
  const got = actual[algorithm];
  if (got === void 0) throw new Error(`internal: the ${algorithm} of the archive was not computed`);
  return got === want ? void 0 : { kind: "checksum", algorithm, expected: want, actual: got };
}
async function hashFile(path, algorithms, signal) {
  const hash = new MultiHash(algorithms);
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, ...hash.digest() };
}

// core/install/tar-extract.ts
import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  copyFileSync,
  fchmodSync,
  linkSync,
  mkdirSync,
  openSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync
} from "node:fs";
var UMASK = process.umask();
var CREATE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
var META_LIMIT = 1 << 20;
var PackageTree = class {
  root;
  /** The package file name, for messages. */
  what;
  limits;
  #nodes = /* @__PURE__ */ new Map();
  #dirModes = /* @__PURE__ */ new Map();
  links = new LinkTree();
  files = 0;
  bytes = 0;
  entries = 0;
  constructor(root, what, limits) {
    this.root = root;
    this.what = what;
    this.limits = limits;
    this.#nodes.set("", "dir");
  }
  /** After every tar: the whole-package link check, then folder modes. */
  finish() {
    const escape = this.links.findEscape();
    if (escape) {
      throw new InstallError("unsafe-path", `${this.what}: the symbolic link ${escape.path} -> ${escape.target} leads outside the package through other links of the package`, {
        package: this.what,
        file: escape.path
      });
    }
    for (const [path, mode] of this.#dirModes) chmodSync(this.abs(path), mode & 511 | 448);
  }
  /** The absolute path of a normalized entry path (plain concatenation: the hot path of small files). */
  abs(path) {
    return `${this.root}/${path}`;
  }
  kindOf(path) {
    return this.#nodes.get(path);
  }
  /** Makes `path` and its missing ancestors as folders (`entry` names the archive entry in errors). */
  ensureDir(path, inner, entry = path) {
    if (this.#nodes.get(path) === "dir") return;
    const parts = path.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join("/");
      const kind = this.#nodes.get(p);
      if (kind === "dir") continue;
      if (kind === "link") throw this.error("unsafe-path", inner, entry, `is written through the symbolic link ${p}`);
      if (kind === "file") {
        rmSync(this.abs(p), { force: true });
        this.#nodes.delete(p);
      }
      mkdirSync(this.abs(p));
      this.#nodes.set(p, "dir");
    }
  }
  /** Clears `path` for a new entry (tar semantics: a later entry replaces an earlier one). */
  prepare(path, inner) {
    const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    this.ensureDir(parent, inner, path);
    const existing = this.#nodes.get(path);
    const abs = this.abs(path);
    if (existing === "dir") throw this.error("corrupt", inner, path, "replaces a folder of the same name");
    if (existing !== void 0) {
      unlinkSync(abs);
      this.#nodes.delete(path);
      if (existing === "link") this.links.delete(path);
    }
    return abs;
  }
  set(path, kind) {
    this.#nodes.set(path, kind);
  }
  setDirMode(path, mode) {
    if (mode !== void 0 && path !== "") this.#dirModes.set(path, mode);
  }
  error(kind, inner, entry, problem) {
    const where = entry === void 0 ? `${this.what} (${inner})` : `${this.what}: entry ${entry} of ${inner}`;
    return new InstallError(kind, `${where} ${problem}`, { package: this.what, file: entry });
  }
};
async function extractTar(source, tree, inner) {
  let openFd;
  let streamBytes = 0;
  const streamLimit = tree.limits.maxUnpackedBytes * 2 + 64 * 1024 * 1024;
  const onEntry = (entry) => {
    const name = normalizeEntryName(entry.path);
    if (!name.ok) throw tree.error("unsafe-path", inner, entry.path, name.reason);
    const path = name.path;
    if (++tree.entries > tree.limits.maxEntries) throw tree.error("too-large", inner, void 0, `has more than ${tree.limits.maxEntries} entries; refused as a possible zip bomb`);
    switch (entry.type) {
      case "Directory":
        if (path !== "") tree.ensureDir(path, inner);
        tree.setDirMode(path, entry.mode);
        return void 0;
      case "File":
      case "OldFile":
      case "ContiguousFile":
        return writeFile(entry, path);
      case "SymbolicLink":
        writeSymlink(entry, path);
        return void 0;
      case "Link":
        writeHardLink(entry, path);
        return void 0;
      case "CharacterDevice":
      case "BlockDevice":
      case "FIFO": {
        const what = entry.type === "FIFO" ? "a FIFO" : entry.type === "CharacterDevice" ? "a character device" : "a block device";
        throw tree.error("unsafe-path", inner, path, `is ${what}; packages may hold only files, folders and links`);
      }
      default:
        throw tree.error("corrupt", inner, path, `has the unsupported entry type ${entry.type}`);
    }
  };
  const writeFile = (entry, path) => {
    if (path === "") throw tree.error("corrupt", inner, entry.path, "is a file without a name");
    tree.bytes += entry.size;
    if (tree.bytes > tree.limits.maxUnpackedBytes) {
      throw tree.error("too-large", inner, path, `would take the package past ${tree.limits.maxUnpackedBytes} unpacked bytes; refused as a possible zip bomb`);
    }
    const abs = tree.prepare(path, inner);
    const mode = (entry.mode ?? 420) & 511;
    let fd;
    try {
      fd = openSync(abs, CREATE_FLAGS, mode);
    } catch (error) {
      throw fsError(tree, inner, path, error);
    }
    openFd = fd;
    tree.set(path, "file");
    tree.files++;
    return (chunk) => {
      try {
        if (chunk !== null) {
          let off = 0;
          while (off < chunk.length) off += writeSync(fd, chunk, off);
          return;
        }
        openFd = void 0;
        try {
          if ((mode & ~UMASK) !== mode) fchmodSync(fd, mode);
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        throw fsError(tree, inner, path, error);
      }
    };
  };
  const writeSymlink = (entry, path) => {
    const target = entry.linkpath ?? "";
    const problem = symlinkTargetProblem(path, target);
    if (problem) throw tree.error(target === "" ? "corrupt" : "unsafe-path", inner, path, problem);
    if (path === "") throw tree.error("unsafe-path", inner, entry.path, "replaces the package folder with a symbolic link");
    const abs = tree.prepare(path, inner);
    try {
      symlinkSync(target, abs);
    } catch (error) {
      throw fsError(tree, inner, path, error);
    }
    tree.set(path, "link");
    tree.links.add(path, target);
  };
  const writeHardLink = (entry, path) => {
    if (!entry.linkpath) throw tree.error("corrupt", inner, path, "is a hard link with an empty target");
    const target = normalizeEntryName(entry.linkpath);
    if (!target.ok) throw tree.error("unsafe-path", inner, path, `is a hard link that ${target.reason.replace(/^is /, "is to ").replace(/^has /, "has a target with ")}`);
    const kind = tree.kindOf(target.path);
    if (kind === void 0) throw tree.error("corrupt", inner, path, `is a hard link to ${target.path}, which is not in the archive before it`);
    if (kind !== "file") throw tree.error("unsafe-path", inner, path, `is a hard link to ${target.path}, which is not a regular file`);
    if (target.path === path) return;
    const abs = tree.prepare(path, inner);
    const from = tree.abs(target.path);
    try {
      try {
        linkSync(from, abs);
      } catch (error) {
        const code = error.code;
        if (code !== "EPERM" && code !== "EXDEV" && code !== "ENOTSUP" && code !== "EMLINK") throw error;
        copyFileSync(from, abs);
      }
    } catch (error) {
      throw fsError(tree, inner, path, error);
    }
    tree.set(path, "file");
    tree.files++;
  };
  const reader = new TarReader(onEntry, { maxMetaSize: META_LIMIT });
  try {
    for await (const chunk of source) {
      streamBytes += chunk.length;
      if (streamBytes > streamLimit) throw tree.error("too-large", inner, void 0, `unpacks to more than ${streamLimit} bytes; refused as a possible zip bomb`);
      reader.write(chunk);
      if (reader.eof) break;
    }
    reader.end();
    if (reader.entries === 0 && !reader.eof) throw tree.error("corrupt", inner, void 0, "is not a tar archive");
  } catch (error) {
    if (error instanceof TarFormatError) throw tree.error(error.kind, inner, error.entry, error.message);
    throw error;
  } finally {
    if (openFd !== void 0) closeSync(openFd);
  }
}
function fsError(tree, inner, entry, error) {
  if (error instanceof InstallError) return error;
  const e = error;
  return new InstallError("cache", `${tree.what}: cannot write entry ${entry} of ${inner} into ${tree.root}: ${e.message}`, {
    package: tree.what,
    file: entry,
    cause: error
  });
}

export {
  checkedHash,
  hashesToCompute,
  MultiHash,
  verifyProblem,
  hashFile,
  PackageTree,
  extractTar
};
