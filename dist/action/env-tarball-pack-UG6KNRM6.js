import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  TAR_END,
  tarHeader,
  tarPadding
} from "./chunk-GZTGHQV7.js";
import {
  ENV_TARBALL_FORMAT_VERSION,
  EnvTarballError,
  MANIFEST_FORMAT,
  MANIFEST_MEMBER,
  isTransientPath
} from "./chunk-CMGERPJQ.js";
import {
  lockPrefix,
  tidyPrefix
} from "./chunk-SFA5OI3U.js";
import {
  journalPaths,
  recoverJournal
} from "./chunk-F7FIXKAF.js";
import {
  Tracer
} from "./chunk-DXBL3FTS.js";
import "./chunk-LQK3ML4U.js";

// core/cache/env-tarball-pack.ts
import { randomBytes } from "node:crypto";
import { closeSync, createWriteStream, existsSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants as zlibConstants, createZstdCompress } from "node:zlib";
var CHUNK = 1 << 20;
async function packEnvironment(options) {
  const tracer = options.tracer ?? Tracer.disabled();
  const prefix = resolve(options.prefix);
  return tracer.span("cache.pack", async (span) => {
    if (!existsSync(join(prefix, "conda-meta"))) {
      throw new EnvTarballError("prefix", `${prefix} is not a conda environment (it has no conda-meta folder): nothing to pack`, { file: prefix });
    }
    const lock = await lockPrefix(prefix, options.lock);
    try {
      if (existsSync(journalPaths(prefix).journal)) await recoverJournal(prefix);
      const { members, skipped, hardlinks } = walkPrefix(prefix);
      const files = members.filter((m) => m.type === "file");
      const manifest = {
        format: MANIFEST_FORMAT,
        version: ENV_TARBALL_FORMAT_VERSION,
        prefix,
        platform: options.platform,
        files: files.length,
        entries: members.length,
        bytes: files.reduce((n, m) => n + m.size, 0),
        meta: { ...options.meta }
      };
      const output = resolve(options.output);
      const temp = join(dirname(output), `.${randomBytes(6).toString("hex")}.packing`);
      const compress = createZstdCompress({
        params: { [zlibConstants.ZSTD_c_compressionLevel]: options.level ?? 3, [zlibConstants.ZSTD_c_checksumFlag]: 1 }
      });
      try {
        await pipeline(Readable.from(tarStream(manifest, members), { objectMode: false }), compress, createWriteStream(temp), { signal: options.signal });
        await rename(temp, output);
      } catch (error) {
        await rm(temp, { force: true });
        throw error instanceof EnvTarballError ? error : new EnvTarballError("io", `cannot write the environment tarball ${output}: ${error.message}`, { cause: error });
      }
      const compressedBytes = (await stat(output)).size;
      span.addAttributes({ prefix, files: manifest.files, entries: manifest.entries, bytes: manifest.bytes, compressedBytes });
      return { archive: output, manifest, compressedBytes, hardlinks, skipped };
    } finally {
      await lock.release();
      await tidyPrefix(prefix, void 0);
    }
  });
}
function walkPrefix(prefix) {
  const members = [];
  const skipped = [];
  const inodes = /* @__PURE__ */ new Map();
  let hardlinks = 0;
  const add = (rel, st) => {
    const abs = join(prefix, rel);
    if (st.isDirectory()) {
      members.push({ path: rel, type: "dir", mode: st.mode & 4095, mtime: 0, size: 0, abs });
      return true;
    }
    if (st.isSymbolicLink()) {
      members.push({ path: rel, type: "symlink", mode: 511, mtime: 0, size: 0, linkpath: readlinkSync(abs), abs });
    } else if (st.isFile()) {
      const inode = st.nlink > 1 ? `${st.dev}:${st.ino}` : void 0;
      const first = inode === void 0 ? void 0 : inodes.get(inode);
      if (first !== void 0) {
        members.push({ path: rel, type: "hardlink", mode: st.mode & 4095, mtime: Math.floor(st.mtimeMs / 1e3), size: 0, linkpath: first, abs });
        hardlinks++;
      } else {
        if (inode !== void 0) inodes.set(inode, rel);
        members.push({ path: rel, type: "file", mode: st.mode & 4095, mtime: Math.floor(st.mtimeMs / 1e3), size: st.size, abs });
      }
    } else skipped.push(rel);
    return false;
  };
  const visit = (rel) => {
    const dir = rel === "" ? prefix : join(prefix, rel);
    const names = readdirSync(dir, { encoding: "buffer" }).map((raw) => {
      const name = raw.toString("utf8");
      if (!Buffer.from(name, "utf8").equals(raw)) {
        const shown = `${rel === "" ? "" : `${rel}/`}${raw.toString("latin1").replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}`;
        throw new EnvTarballError("format", `${prefix} cannot be packed: ${shown} has a name that is not valid UTF-8 (rename or remove it to have the environment stored)`, { file: shown });
      }
      return name;
    }).sort();
    for (const name of names) {
      const child = rel === "" ? name : `${rel}/${name}`;
      if (child === MANIFEST_MEMBER || isTransientPath(child) || rel === "" && name === "conda-meta") continue;
      if (add(child, lstatSync(join(prefix, child)))) visit(child);
    }
  };
  add("conda-meta", lstatSync(join(prefix, "conda-meta")));
  visit("conda-meta");
  visit("");
  return { members, skipped, hardlinks };
}
function* tarStream(manifest, members) {
  let parts = [];
  let pending = 0;
  const push = (b) => {
    parts.push(b);
    pending += b.length;
    if (pending < CHUNK) return void 0;
    const out = parts.length === 1 ? parts[0] : Buffer.concat(parts, pending);
    parts = [];
    pending = 0;
    return out;
  };
  const json = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
  const first = [tarHeader({ path: MANIFEST_MEMBER, type: "file", mode: 420, mtime: 0, size: json.length }), json, Buffer.alloc(tarPadding(json.length))];
  for (const b of first) push(b);
  for (const m of members) {
    let out = push(tarHeader(m));
    if (out) yield out;
    if (m.type !== "file" || m.size === 0) continue;
    if (m.size <= 4 * CHUNK) {
      const data = readFileSync(m.abs);
      if (data.length !== m.size) throw changed(m, data.length);
      out = push(data);
    } else {
      const fd = openSync(m.abs, "r");
      try {
        let done = 0;
        while (done < m.size) {
          const buf = Buffer.allocUnsafe(Math.min(CHUNK, m.size - done));
          const n = readSync(fd, buf, 0, buf.length, done);
          if (n === 0) throw changed(m, done);
          done += n;
          out = push(n === buf.length ? buf : buf.subarray(0, n));
          if (out) yield out;
        }
        if (readSync(fd, Buffer.alloc(1), 0, 1, done) !== 0) throw changed(m, done + 1);
      } finally {
        closeSync(fd);
      }
      out = void 0;
    }
    if (out) yield out;
    const padding = tarPadding(m.size);
    if (padding > 0) {
      out = push(Buffer.alloc(padding));
      if (out) yield out;
    }
  }
  push(TAR_END);
  if (pending > 0) yield Buffer.concat(parts, pending);
}
function changed(m, actual) {
  return new EnvTarballError("io", `${m.abs} changed while it was being packed (${m.size} bytes when listed, ${actual} when read): is another process changing the environment?`, { file: m.path });
}
export {
  packEnvironment
};
