import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/cache/env-tarball-scan.ts
import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join, resolve } from "node:path";
function isSimpleMode(env = process.env) {
  return /^(1|true|yes|on)$/i.test((env.ENV_SETUP_SIMPLE ?? "").trim());
}
var isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
var HEX64 = /^[0-9a-f]{64}$/i;
function readRecordFiles(prefix) {
  const dir = join(prefix, "conda-meta");
  const out = [];
  const files = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith(".json")).map((d) => d.name).sort();
  for (const file of files) {
    const text = readRegularFile(join(dir, file), RECORD_LIMIT);
    if (text === void 0) continue;
    try {
      const json = JSON.parse(text);
      if (isObject(json)) out.push({ file, json });
    } catch {
    }
  }
  return out;
}
var RECORD_LIMIT = 256 << 20;
function readRegularFile(path, limit) {
  let fd;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
  } catch {
    return void 0;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > limit) return void 0;
    const buf = Buffer.alloc(st.size);
    let n = 0;
    for (let got; n < buf.length && (got = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += got;
    return buf.toString("utf8", 0, n);
  } finally {
    closeSync(fd);
  }
}
function recordDist(record) {
  const { name, version, build } = record.json;
  return typeof name === "string" && typeof version === "string" && typeof build === "string" ? `${name}-${version}-${build}` : record.file.replace(/\.json$/, "");
}
function expectedFiles(records) {
  const out = /* @__PURE__ */ new Map();
  for (const record of records) {
    const pathsData = record.json.paths_data;
    if (!isObject(pathsData) || !Array.isArray(pathsData.paths)) continue;
    const dist = recordDist(record);
    for (const entry of pathsData.paths) {
      if (!isObject(entry) || typeof entry._path !== "string") continue;
      const type = entry.path_type ?? "hardlink";
      let expected;
      if (type === "softlink") expected = { package: dist, type: "softlink", sha256: void 0, size: void 0 };
      else if (type === "directory") continue;
      else {
        const hash = typeof entry.sha256_in_prefix === "string" ? entry.sha256_in_prefix : typeof entry.sha256 === "string" ? entry.sha256 : void 0;
        if (hash === void 0 || !HEX64.test(hash)) continue;
        const placeholder = typeof entry.prefix_placeholder === "string" && entry.prefix_placeholder !== "";
        const size = !placeholder && typeof entry.size_in_bytes === "number" ? entry.size_in_bytes : void 0;
        expected = { package: dist, type: "file", sha256: hash.toLowerCase(), size };
      }
      const before = out.get(entry._path);
      if (before !== void 0 && (before.type !== expected.type || before.sha256 !== expected.sha256)) {
        out.set(entry._path, { package: before.package, type: before.type === expected.type ? before.type : "any", sha256: void 0, size: void 0 });
      } else out.set(entry._path, expected);
    }
  }
  return out;
}
var EXPECTED_TEXT = { file: "a file", softlink: "a symbolic link", any: "a file or link" };
function compareFile(path, expected, actual) {
  const base = { path, package: expected.package };
  if (expected.type !== "any" && actual.type !== expected.type) {
    return { ...base, problem: "type", expected: EXPECTED_TEXT[expected.type], actual: { file: "a file", softlink: "a symbolic link", dir: "a folder", other: "something else" }[actual.type] };
  }
  if (expected.size !== void 0 && actual.size !== void 0 && actual.size !== expected.size) return { ...base, problem: "size", expected: `${expected.size} bytes`, actual: `${actual.size} bytes` };
  if (expected.sha256 !== void 0 && actual.sha256 !== void 0 && actual.sha256 !== expected.sha256) return { ...base, problem: "sha256", expected: expected.sha256, actual: actual.sha256 };
  return void 0;
}
var STREAM_ABOVE = 8 << 20;
function describeDifferences(differences, limit = 10) {
  const lines = differences.slice(0, limit).map((d) => `${d.path} (${d.package}): ${d.problem === "missing" ? "missing" : `${d.problem} is ${d.actual}, expected ${d.expected}`}`);
  if (differences.length > limit) lines.push(`\u2026 and ${differences.length - limit} more`);
  return lines.join("\n");
}

// core/cache/env-tarball-stream-scan.ts
var StreamScan = class {
  expected;
  seen = /* @__PURE__ */ new Map();
  bytes = 0;
  constructor(expected) {
    this.expected = expected;
  }
  /** The scan's result: the differences seen, and every listed path the archive did not have. */
  finish() {
    const differences = [];
    for (const [path, want] of this.expected) {
      const actual = this.seen.get(path);
      const difference = actual === void 0 ? { path, package: want.package, problem: "missing", expected: want.type === "softlink" ? "a symbolic link" : "a file", actual: "nothing" } : compareFile(path, want, actual);
      if (difference) differences.push(difference);
    }
    differences.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return { ok: differences.length === 0, checked: this.expected.size, bytes: this.bytes, differences };
  }
};
function archiveName(archive) {
  return typeof archive === "string" ? archive : archive.name;
}

export {
  isSimpleMode,
  readRecordFiles,
  readRegularFile,
  recordDist,
  expectedFiles,
  describeDifferences,
  StreamScan,
  archiveName
};
