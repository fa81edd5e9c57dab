import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  StreamScan,
  archiveName,
  expectedFiles
} from "./chunk-YZMUABH4.js";
import {
  PackageTree,
  hashFile
} from "./chunk-GHPL2ZAV.js";
import {
  fsBatchPool,
  normalizeEntryName,
  symlinkTargetProblem
} from "./chunk-FCQK2HFX.js";
import {
  TarFormatError,
  TarReader
} from "./chunk-G3APC2K4.js";
import {
  EnvTarballError,
  MANIFEST_MEMBER,
  damagedTarball,
  isTransientPath,
  parseManifest,
  unopenableTarball,
  unreadableTarball
} from "./chunk-CMGERPJQ.js";
import {
  InstallError
} from "./chunk-F7FIXKAF.js";
import "./chunk-DXBL3FTS.js";
import "./chunk-LQK3ML4U.js";

// core/cache/env-tarball-extract.ts
import { createHash, hash as hashOnce } from "node:crypto";
import { closeSync, constants as fsConstants, fchmodSync, futimesSync, linkSync, openSync, symlinkSync, writeSync } from "node:fs";
import { basename } from "node:path";

// core/cache/env-tarball-zstd.ts
import { once } from "node:events";
import { open } from "node:fs/promises";
import { createZstdDecompress } from "node:zlib";
var ZstdStreamError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "ZstdStreamError";
  }
};
var READ_SIZE = 1 << 20;
var ZstdSourceError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "ZstdSourceError";
  }
};
async function* decompressFile(path, signal) {
  const file = await open(path, "r");
  try {
    yield* decompressFrom(async (decompress, closed, stopped) => {
      const buffers = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
      const taken = [void 0, void 0];
      for (let i = 0; !stopped(); i ^= 1) {
        signal?.throwIfAborted();
        await Promise.race([taken[i], closed]);
        const buffer = buffers[i];
        const { bytesRead } = await file.read(buffer, 0, READ_SIZE, null);
        if (bytesRead === 0 || stopped()) break;
        taken[i] = new Promise((resolve) => decompress.write(buffer.subarray(0, bytesRead), () => resolve()));
      }
    });
  } finally {
    await file.close();
  }
}
async function* decompressChunks(source, signal, cancel) {
  yield* decompressFrom(
    async (decompress, closed, stopped) => {
      try {
        for await (const chunk of source) {
          signal?.throwIfAborted();
          if (stopped()) break;
          if (!decompress.write(chunk)) await Promise.race([once(decompress, "drain").catch(() => void 0), closed]);
        }
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ZstdSourceError(error.message, { cause: error });
      }
    },
    cancel
  );
}
async function* decompressFrom(feed, cancel) {
  const decompress = createZstdDecompress({ chunkSize: 1 << 20 });
  let stopped = false;
  let fed = false;
  const closed = new Promise((resolve) => decompress.once("close", () => resolve()));
  const feeding = feed(decompress, closed, () => stopped).then(() => {
    fed = true;
    if (!stopped) decompress.end();
  }).catch((error) => {
    decompress.destroy(Object.assign(error, { fromSource: true }));
  });
  try {
    for await (const chunk of decompress) yield chunk;
  } catch (error) {
    if (error.fromSource) throw error;
    throw new ZstdStreamError(error.message, { cause: error });
  } finally {
    stopped = true;
    decompress.destroy();
    if (!fed) cancel?.();
    await feeding;
  }
}

// core/cache/env-tarball-extract.ts
var EMPTY = Buffer.alloc(0);
var BodyHash = class {
  #first;
  #hash;
  update(chunk) {
    if (this.#hash !== void 0) this.#hash.update(chunk);
    else if (this.#first === void 0) this.#first = chunk;
    else {
      this.#hash = createHash("sha256").update(this.#first).update(chunk);
      this.#first = void 0;
    }
  }
  digest() {
    return this.#hash !== void 0 ? this.#hash.digest("hex") : hashOnce("sha256", this.#first ?? EMPTY, "hex");
  }
};
var OFFLOAD_MIN_BYTES = 128 * 1024;
var OFFLOAD_BATCH_BYTES = 16 * 1024 * 1024;
var CREATE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
var UMASK = process.umask();
var MANIFEST_LIMIT = 1 << 20;
async function extractEnvironment(options) {
  const archive = archiveName(options.archive);
  const what = basename(archive);
  const tree = new PackageTree(options.root, what, { maxUnpackedBytes: MANIFEST_LIMIT, maxEntries: 1 });
  let manifest;
  let manifestText;
  const records = [];
  let scan;
  let inCondaMeta = true;
  let openFd;
  let members = 0;
  const pendingHashes = [];
  const pool = fsBatchPool();
  const offloading = /* @__PURE__ */ new Set();
  const hashing = [];
  let batch = [];
  let batchBytes = 0;
  const flushHashes = () => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    batchBytes = 0;
    hashing.push(
      pool.digests(
        options.root,
        sent.map((b) => b.path)
      ).then((digests) => {
        sent.forEach((b, i) => {
          b.facts.sha256 = digests[i] ?? "unreadable";
          offloading.delete(b.facts);
        });
      })
    );
  };
  const corrupt = (entry, problem) => damagedTarball(archive, entry, problem);
  const onEntry = (entry) => {
    if (manifest === void 0) return manifestEntry(entry);
    const name = normalizeEntryName(entry.path);
    if (!name.ok) throw new EnvTarballError("unsafe-path", `the environment tarball ${archive} has the entry ${entry.path}, which ${name.reason}; it will not be used`, { file: entry.path });
    const path = name.path;
    if (++members > manifest.entries) throw corrupt(path, `is one more than the ${manifest.entries} members its manifest declares`);
    if (path === "" || isTransientPath(path)) return void 0;
    const condaMeta = path === "conda-meta" || path.startsWith("conda-meta/");
    if (inCondaMeta && !condaMeta) {
      inCondaMeta = false;
      if (options.scan) scan = new StreamScan(expectedFiles(records));
    } else if (!inCondaMeta && condaMeta) throw corrupt(path, "comes after the files of the environment, where conda-meta comes first");
    const before = tree.kindOf(path);
    if (before === "file" || before === "link") throw corrupt(path, "appears twice");
    switch (entry.type) {
      case "Directory":
        tree.ensureDir(path, what);
        tree.setDirMode(path, entry.mode);
        scan?.seen.set(path, { type: "dir" });
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
      default:
        throw new EnvTarballError("unsafe-path", `the environment tarball ${archive} has the entry ${path} of type ${entry.type}; an environment holds only files, folders and links`, { file: path });
    }
  };
  const manifestEntry = (entry) => {
    if (entry.path !== MANIFEST_MEMBER || entry.type !== "File") {
      throw new EnvTarballError("format", `${archive} is not an env-setup environment tarball (its first member is ${entry.path}, not ${MANIFEST_MEMBER})`, { file: entry.path });
    }
    manifestText = [];
    return (chunk) => {
      if (chunk !== null) {
        manifestText.push(Buffer.from(chunk));
        return;
      }
      const parsed = parseManifest(Buffer.concat(manifestText).toString("utf8"));
      if (typeof parsed === "string") throw new EnvTarballError("format", `${archive} cannot be restored: ${parsed}`, { file: MANIFEST_MEMBER });
      manifest = parsed;
      tree.limits.maxUnpackedBytes = parsed.bytes;
      tree.limits.maxEntries = parsed.entries;
    };
  };
  const writeFile = (entry, path) => {
    tree.bytes += entry.size;
    if (tree.bytes > tree.limits.maxUnpackedBytes) throw corrupt(path, `takes the content past the ${tree.limits.maxUnpackedBytes} bytes its manifest declares`);
    const abs = tree.prepare(path, what);
    const mode = (entry.mode ?? 420) & 4095;
    const fd = openSync(abs, CREATE_FLAGS, mode & 511);
    openFd = fd;
    tree.set(path, "file");
    tree.files++;
    const want = scan?.expected.get(path);
    const offload = want?.sha256 !== void 0 && pool.size > 0 && entry.size >= OFFLOAD_MIN_BYTES;
    const hash = want?.sha256 !== void 0 && !offload ? new BodyHash() : void 0;
    const record = options.scan && inCondaMeta && /^conda-meta\/[^/]+\.json$/.test(path) ? [] : void 0;
    const mtime = entry.mtime;
    let size = 0;
    return (chunk) => {
      if (chunk !== null) {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off);
        hash?.update(chunk);
        record?.push(Buffer.from(chunk));
        size += chunk.length;
        return;
      }
      openFd = void 0;
      try {
        if ((mode & ~UMASK) !== mode) fchmodSync(fd, mode);
        if (mtime !== void 0) futimesSync(fd, mtime, mtime);
      } finally {
        closeSync(fd);
      }
      if (hash !== void 0 || offload) scan.bytes += size;
      if (offload) {
        const facts = { type: "file", size };
        scan.seen.set(path, facts);
        offloading.add(facts);
        batch.push({ path, facts });
        if ((batchBytes += size) >= OFFLOAD_BATCH_BYTES) flushHashes();
      } else scan?.seen.set(path, { type: "file", size, sha256: hash?.digest() });
      if (record !== void 0) {
        try {
          const json = JSON.parse(Buffer.concat(record).toString("utf8"));
          if (json !== null && typeof json === "object" && !Array.isArray(json)) records.push({ file: path.slice("conda-meta/".length), json });
        } catch {
        }
      }
    };
  };
  const writeSymlink = (entry, path) => {
    const target = entry.linkpath ?? "";
    const problem = symlinkTargetProblem(path, target);
    if (problem) throw new EnvTarballError("unsafe-path", `the environment tarball ${archive}: ${path} ${problem.replace("outside the package", "outside the environment")}; it will not be used`, { file: path });
    symlinkSync(target, tree.prepare(path, what));
    tree.set(path, "link");
    tree.links.add(path, target);
    scan?.seen.set(path, { type: "softlink" });
  };
  const writeHardLink = (entry, path) => {
    const target = entry.linkpath === void 0 ? void 0 : normalizeEntryName(entry.linkpath);
    if (target === void 0 || !target.ok || tree.kindOf(target.path) !== "file") {
      throw new EnvTarballError("unsafe-path", `the environment tarball ${archive}: ${path} is a hard link to ${entry.linkpath ?? "nothing"}, which is not an earlier file of the archive; it will not be used`, { file: path });
    }
    if (target.path === path) return;
    linkSync(tree.abs(target.path), tree.prepare(path, what));
    tree.set(path, "file");
    const facts = scan?.seen.get(target.path);
    if (scan !== void 0 && facts !== void 0) {
      if (scan.expected.get(path)?.sha256 !== void 0 && facts.sha256 === void 0 && !offloading.has(facts)) pendingHashes.push(path);
      else scan.seen.set(path, facts);
    }
  };
  const reader = new TarReader(onEntry, { maxMetaSize: MANIFEST_LIMIT });
  try {
    const chunks = typeof options.archive === "string" ? decompressFile(options.archive, options.signal) : decompressChunks(options.archive.chunks, options.signal, options.archive.cancel);
    for await (const chunk of chunks) reader.write(chunk);
    reader.end();
    if (manifest === void 0) throw new EnvTarballError("format", `${archive} is not an env-setup environment tarball (it has no manifest)`);
    if (!reader.eof) throw corrupt(void 0, "ends without the end-of-archive marker");
    if (members !== manifest.entries) throw corrupt(void 0, `has ${members} members where its manifest declares ${manifest.entries}`);
    tree.finish();
    flushHashes();
    await Promise.all(hashing);
  } catch (error) {
    await Promise.allSettled(hashing);
    throw asTarballError(error, archive, corrupt);
  } finally {
    if (openFd !== void 0) closeSync(openFd);
  }
  if (options.scan && scan === void 0) scan = new StreamScan(expectedFiles(records));
  if (scan !== void 0) {
    for (const path of pendingHashes) {
      const facts = await hashFile(tree.abs(path), ["sha256"]);
      scan.bytes += facts.size;
      scan.seen.set(path, { type: "file", size: facts.size, sha256: facts.sha256 });
    }
  }
  return { manifest, files: tree.files, bytes: tree.bytes, scan };
}
function asTarballError(error, archive, corrupt) {
  if (error instanceof EnvTarballError) return error;
  if (error instanceof TarFormatError) return corrupt(error.entry, error.message);
  if (error instanceof InstallError) return new EnvTarballError(error.kind === "unsafe-path" ? "unsafe-path" : "corrupt", `the environment tarball ${archive}: ${error.message}; it will not be used`, { file: error.file, cause: error });
  if (error instanceof ZstdStreamError) return corrupt(void 0, `cannot be decompressed (${error.message})`);
  if (error instanceof ZstdSourceError) return unreadableTarball(archive, error);
  const e = error;
  if (e.code === "ENOENT" && e.path === archive) return unopenableTarball(archive, e);
  return new EnvTarballError("io", `cannot restore ${archive}: ${e.message}`, { cause: error });
}
export {
  extractEnvironment
};
