import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  defaultCacheDir
} from "./chunk-7RRHTYUO.js";
import {
  splitChannel,
  stripCredentials
} from "./chunk-ES7CHA43.js";
import {
  InstallError
} from "./chunk-F7FIXKAF.js";

// core/install/turbofan-pause.ts
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
var allowed = false;
var paused = 0;
function allowTurbofanPause() {
  allowed = true;
}
function turbofanPauses(env = process.env, cpus = availableParallelism()) {
  const asked = env.ENV_SETUP_V8_INSTALL_TURBOFAN;
  if (!allowed || asked === "on") return false;
  return asked === "off" || cpus <= 2;
}
async function withTurbofanPaused(fn, env = process.env) {
  if (!turbofanPauses(env)) return fn();
  if (paused++ === 0) setFlagsFromString("--no-turbofan");
  try {
    return await fn();
  } finally {
    if (--paused === 0) setFlagsFromString("--turbofan");
  }
}

// core/install/link-record.ts
var str = (v) => typeof v === "string" ? v : v === void 0 || v === null ? "" : String(v);
function prefixRecordFileName(record) {
  return `${str(record.name)}-${str(record.version)}-${str(record.build)}.json`;
}
function buildPrefixRecord(input) {
  const fn = str(input.record.fn);
  const ext = fn.endsWith(".tar.bz2") ? ".tar.bz2" : ".conda";
  const merged = {
    ...input.record,
    files: input.linked.files.filter((_, i) => i >= input.linked.pathsData.rowCount || input.linked.pathsData.pathType(i) !== "directory"),
    // made entry by entry as the record is written (prefix-paths-data.ts), keys already sorted
    paths_data: { paths: input.linked.pathsData, paths_version: 1 },
    link: { source: input.dir, type: input.linked.linkType },
    requested_spec: input.requestedSpec ?? "None",
    extracted_package_dir: input.dir,
    package_tarball_full_path: input.archive ?? input.dir + ext
  };
  return sortKeys(merged);
}
function sortKeys(value) {
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  if (sorted) return value;
  const out = {};
  for (const key of Object.keys(value).sort()) out[key] = value[key];
  return out;
}
function distString(record) {
  const channelText = str(record.channel) || str(record.url).split("/").slice(0, -1).join("/");
  const parts = channelText === "" ? void 0 : splitChannel(channelText);
  const subdir = str(record.subdir) || parts?.subdir || "";
  const channel = parts?.name ?? "<unknown>";
  return `${channel}${subdir ? `/${subdir}` : ""}::${str(record.name)}-${str(record.version)}-${str(record.build)}`;
}
function pythonListRepr(items) {
  const repr = (s) => {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    return quote + s.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`).replaceAll("\n", "\\n") + quote;
  };
  return `[${items.map(repr).join(", ")}]`;
}
var two = (n) => String(n).padStart(2, "0");
function formatHistoryBlock(block) {
  const d = block.date;
  const lines = [`==> ${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} <==`, `# cmd: ${block.cmd}`];
  if (block.version) lines.push(`# env-setup version: ${block.version}`);
  for (const dist of [...block.unlinked].sort()) lines.push(`-${dist}`);
  for (const dist of [...block.linked].sort()) lines.push(`+${dist}`);
  if (block.removeSpecs?.length) lines.push(`# remove specs: ${pythonListRepr(block.removeSpecs)}`);
  if (block.updateSpecs?.length) lines.push(`# update specs: ${pythonListRepr(block.updateSpecs)}`);
  return lines.join("\n") + "\n";
}
function buildStateFile(existing, vars) {
  let state = {};
  try {
    const parsed = existing === void 0 ? void 0 : JSON.parse(existing);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) state = parsed;
  } catch {
  }
  const current = state.env_vars !== null && typeof state.env_vars === "object" && !Array.isArray(state.env_vars) ? state.env_vars : {};
  state.env_vars = { ...current, ...vars };
  return JSON.stringify(state, null, 2) + "\n";
}
function readStateVars(text) {
  try {
    const parsed = text === void 0 ? void 0 : JSON.parse(text);
    const vars = parsed?.env_vars;
    if (vars === null || typeof vars !== "object" || Array.isArray(vars)) return {};
    return Object.fromEntries(Object.entries(vars).filter(([, v]) => typeof v === "string"));
  } catch {
    return {};
  }
}

// core/install/pkgs-dir.ts
import { homedir } from "node:os";
import { join } from "node:path";
function resolvePkgsDir(options = {}) {
  if (options.pkgsDir) return options.pkgsDir;
  const env = options.env ?? process.env;
  const first = (env.CONDA_PKGS_DIRS ?? "").split(",").map((d) => d.trim()).find((d) => d !== "");
  if (first) return first === "~" || first.startsWith("~/") ? join(options.home ?? homedir(), first.slice(1)) : first;
  return join(defaultCacheDir(options), "pkgs");
}
function splitArchiveName(fn) {
  if (fn.includes("/") || fn.includes("\\") || fn.startsWith(".")) return void 0;
  if (fn.endsWith(".tar.bz2") && fn.length > 8) return { dist: fn.slice(0, -8), format: "tar.bz2" };
  if (fn.endsWith(".conda") && fn.length > 6) return { dist: fn.slice(0, -6), format: "conda" };
  return void 0;
}
var PkgsDirLayout = class {
  root;
  constructor(root) {
    this.root = root;
  }
  get own() {
    return join(this.root, ".env-setup");
  }
  get locks() {
    return join(this.own, "locks");
  }
  get partialDir() {
    return join(this.own, "partial");
  }
  get tmp() {
    return join(this.own, "tmp");
  }
  get trash() {
    return join(this.own, "trash");
  }
  get index() {
    return join(this.own, "index.jsonl");
  }
  get urlsTxt() {
    return join(this.root, "urls.txt");
  }
  /** Paths of the package in file `fn`; undefined when `fn` is not a conda archive name. */
  package(fn) {
    const split = splitArchiveName(fn);
    if (!split) return void 0;
    return {
      fn,
      dist: split.dist,
      format: split.format,
      archive: join(this.root, fn),
      extracted: join(this.root, split.dist),
      partial: join(this.partialDir, fn),
      partialMeta: join(this.partialDir, `${fn}.json`),
      lock: join(this.locks, `${split.dist}.lock`)
    };
  }
};

// core/install/prefix-usable.ts
import { existsSync } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join as join2 } from "node:path";
async function checkPrefixUsable(prefix) {
  let st;
  try {
    st = await lstat(prefix);
  } catch {
    return;
  }
  if (!st.isDirectory()) throw new InstallError("prefix", `${prefix} exists and is not a folder`, { file: prefix });
  if (!existsSync(join2(prefix, "conda-meta")) && !await isEmptyBesidesCondaMeta(prefix)) {
    throw new InstallError("prefix", `${prefix} is not empty and is not a conda environment (it has no conda-meta folder); choose another prefix`, { file: prefix });
  }
}
async function isEmptyBesidesCondaMeta(prefix) {
  const entries = await readdir(prefix).catch(() => []);
  return entries.every((e) => e === "conda-meta");
}

// core/install/transaction-plan.ts
import { readdirSync, readFileSync } from "node:fs";
import { join as join4 } from "node:path";

// core/install/link-python.ts
import { spawn } from "node:child_process";
import { closeSync, existsSync as existsSync2, openSync, readSync } from "node:fs";
import { join as join3 } from "node:path";

// core/install/link-prefix-replace.ts
var MAX_SHEBANG_LENGTH = 127;
function replaceAll(data, from, to) {
  let at = data.indexOf(from);
  if (at < 0 || from.length === 0) return data;
  const parts = [];
  let start = 0;
  while (at >= 0) {
    parts.push(data.subarray(start, at), to);
    start = at + from.length;
    at = data.indexOf(from, start);
  }
  parts.push(data.subarray(start));
  return Buffer.concat(parts);
}
function replaceTextPrefix(data, placeholder, prefix, windows = false) {
  let out = data;
  if (!windows && prefix.includes(" ")) {
    const newline = out.indexOf(10);
    if (newline > -1) {
      const first = out.subarray(0, newline);
      const marker = Buffer.from(`#!${placeholder}`);
      if (first.includes(marker)) {
        const escaped = replaceAll(first, marker, Buffer.from(`#!${prefix.replaceAll(" ", "\\ ")}`));
        out = Buffer.concat([escaped, out.subarray(newline)]);
      }
    }
  }
  return replaceAll(out, Buffer.from(placeholder), Buffer.from(prefix));
}
var PaddingError = class extends Error {
};
function replaceBinaryPrefix(data, placeholder, prefix) {
  const a = Buffer.from(placeholder);
  if (data.indexOf(a) < 0) return data;
  const out = Buffer.allocUnsafe(data.length);
  data.copy(out);
  replaceBinaryRuns(data, out, a, Buffer.from(prefix));
  return out;
}
function replaceBinaryRuns(data, out, a, b) {
  let runs = 0;
  let at = data.indexOf(a);
  while (at >= 0) {
    const nul = data.indexOf(0, at + a.length);
    if (nul < 0) break;
    replaceBinaryRun(data, out, at, nul, a, b);
    runs++;
    at = data.indexOf(a, nul + 1);
  }
  return runs;
}
function replaceBinaryRun(data, out, at, nul, a, b) {
  const replaced = replaceAll(data.subarray(at, nul), a, b);
  if (replaced.length > nul - at) throw new PaddingError(`the prefix is ${b.length - a.length} bytes longer than the placeholder`);
  replaced.copy(out, at);
  out.fill(0, at + replaced.length, nul);
}
var SHEBANG = /^#![ ]*(\/(?:\\ |[^ \n\r\t])*)([^\n]*)$/;
function replaceLongShebang(data) {
  if (data.length < 2 || data[0] !== 35 || data[1] !== 33) return data;
  let end = data.indexOf(10);
  if (end < 0) end = data.length;
  const line = data.subarray(0, end);
  const m = SHEBANG.exec(line.toString("latin1"));
  if (m === null) return data;
  const executable = Buffer.from(m[1], "latin1").toString("utf8");
  const slash = executable.lastIndexOf("/");
  const dir = executable.slice(0, slash);
  const tool = executable.slice(slash + 1);
  if (line.length <= MAX_SHEBANG_LENGTH && !dir.includes("\\ ")) return data;
  const options = Buffer.from(m[2], "latin1");
  return Buffer.concat([Buffer.from(`#!/usr/bin/env ${tool}`), options, data.subarray(end)]);
}
function rewriteForPrefix(data, placeholder, mode, prefix, where) {
  let out;
  if (mode === "text") {
    out = replaceTextPrefix(data, placeholder, prefix, where.windows);
    if (!where.windows) out = replaceLongShebang(out);
  } else {
    try {
      if (where.windows) out = data;
      else if (where.inPlace) {
        const runs = replaceBinaryRuns(data, data, Buffer.from(placeholder), Buffer.from(prefix));
        return { data, changed: runs > 0 && placeholder !== prefix };
      } else out = replaceBinaryPrefix(data, placeholder, prefix);
    } catch (error) {
      if (!(error instanceof PaddingError)) throw error;
      throw placeholderTooLong(placeholder, prefix, where);
    }
  }
  return { data: out, changed: !out.equals(data) };
}
function placeholderTooLong(placeholder, prefix, where) {
  return new InstallError(
    "placeholder-too-long",
    `${where.what}: ${where.path} is a binary file built for prefixes of at most ${Buffer.byteLength(placeholder)} bytes; ${prefix} has ${Buffer.byteLength(prefix)}. Use a shorter prefix`,
    { package: where.what, file: where.path }
  );
}

// core/install/link-python.ts
function pythonTarget(record) {
  const m = /^(\d+)\.(\d+)/.exec(record.version);
  if (m === null) return void 0;
  const version = `${m[1]}.${m[2]}`;
  const custom = typeof record.python_site_packages_path === "string" && record.python_site_packages_path !== "" ? record.python_site_packages_path.replace(/\/+$/, "") : void 0;
  return { version, sitePackages: custom ?? `lib/python${version}/site-packages`, executable: `bin/python${version}` };
}
function noarchPythonPath(path, python) {
  if (path.startsWith("site-packages/")) return python.sitePackages + path.slice("site-packages".length);
  if (path.startsWith("python-scripts/")) return "bin" + path.slice("python-scripts".length);
  return path;
}
function pycPath(pyPath, pythonVersion) {
  const tag = pythonVersion.replace(".", "");
  if (tag.startsWith("2")) return `${pyPath}c`;
  const slash = pyPath.lastIndexOf("/");
  const dir = pyPath.slice(0, slash + 1);
  const file = pyPath.slice(slash + 1);
  const dot = file.lastIndexOf(".");
  const stem = dot > 0 ? file.slice(0, dot) : file;
  const ext = dot > 0 ? file.slice(dot) : "";
  return `${dir}__pycache__/${stem}.cpython-${tag}${ext}c`;
}
function isCompilablePy(packagePath) {
  return /^site-packages\/[^\t\n\r\f\v]+\.py$/.test(packagePath);
}
function parseEntryPoint(definition) {
  const eq = definition.indexOf("=");
  if (eq < 0) return void 0;
  const command = definition.slice(0, eq).trim();
  const rest = definition.slice(eq + 1);
  const colon = rest.indexOf(":");
  if (colon < 0) return void 0;
  const module = rest.slice(0, colon).trim();
  const func = rest.slice(colon + 1).trim();
  if (command === "" || module === "" || func === "" || command.includes("/") || command.includes("\\") || command === "." || command === "..") return void 0;
  return { command, module, func };
}
function entryPointShebang(python) {
  const shebang = `#!${python}
`;
  if (shebang.length > MAX_SHEBANG_LENGTH || shebang.includes(" ")) {
    return `#!/bin/sh
'''exec' "${python}" "$0" "$@"
' '''
`;
  }
  return shebang;
}
function entryPointScript(python, entry) {
  const importName = entry.func.split(".")[0];
  return entryPointShebang(python) + `# -*- coding: utf-8 -*-
import re
import sys

from ${entry.module} import ${importName}

if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])
    sys.exit(${entry.func}())
`;
}
function isProgram(path) {
  const head = Buffer.alloc(4);
  let fd;
  try {
    fd = openSync(path, "r");
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } catch {
    return false;
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
  if (head[0] === 35 && head[1] === 33) return true;
  const magic = head.readUInt32BE(0);
  return magic === 2135247942 || [4277009102, 4277009103, 3472551422, 3489328638, 3405691582].includes(magic);
}
async function compilePython(prefix, python, files, pycs, signal) {
  if (files.length === 0) return { compiled: [], problem: void 0 };
  const exe = join3(prefix, python.executable);
  if (!existsSync2(exe)) return { compiled: [], problem: `no ${python.executable} in the environment: .py files were not byte-compiled` };
  if (!isProgram(exe)) return { compiled: [], problem: `${python.executable} in the environment is not a program (neither a binary nor a #! script): .py files were not byte-compiled` };
  const args = ["-Wi", "-m", "compileall", "-q", "-l", "-i", "-"];
  const [major, minor2] = python.version.split(".").map(Number);
  if (major >= 3 && minor2 > 5) args.push("-j", "0");
  const output = await new Promise((resolve) => {
    const child = spawn(exe, args, { cwd: prefix, stdio: ["pipe", "pipe", "pipe"], signal });
    let text = "";
    child.stdout.on("data", (d) => text += d.toString());
    child.stderr.on("data", (d) => text += d.toString());
    child.on("error", (e) => resolve({ code: -1, text: e.message }));
    child.on("close", (code) => resolve({ code, text }));
    child.stdin.on("error", () => void 0);
    child.stdin.end(files.join("\n") + "\n");
  });
  const compiled = pycs.filter((p) => existsSync2(join3(prefix, p)));
  const problem = compiled.length === pycs.length ? void 0 : `python could not byte-compile ${pycs.length - compiled.length} of ${pycs.length} files (exit ${output.code}): ${output.text.trim().slice(0, 2e3)}`;
  return { compiled, problem };
}

// core/install/transaction-plan.ts
var str2 = (v) => typeof v === "string" ? v : "";
function readInstalled(prefix) {
  const dir = join4(prefix, "conda-meta");
  let names;
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return names.map((file) => {
    let record;
    try {
      const parsed = JSON.parse(readFileSync(join4(dir, file), "utf8"));
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
      record = parsed;
    } catch (error) {
      throw new InstallError("prefix", `${join4(dir, file)} cannot be read: ${error.message}`, { file: join4(dir, file) });
    }
    const files = Array.isArray(record.files) ? record.files.filter((f) => typeof f === "string") : [];
    const name = str2(record.name);
    const version = str2(record.version);
    const build = str2(record.build) || str2(record.build_string);
    return { file, name, version, build, dist: `${name}-${version}-${build}`, record, files };
  });
}
var lower = (v) => typeof v === "string" && v !== "" ? v.toLowerCase() : void 0;
function isSamePackage(installed, wanted) {
  if (installed.name !== wanted.name || installed.version !== wanted.version || installed.build !== wanted.build) return false;
  const sha = [lower(installed.record.sha256), lower(wanted.sha256)];
  if (sha[0] && sha[1]) return sha[0] === sha[1];
  const md5 = [lower(installed.record.md5), lower(wanted.md5)];
  if (md5[0] && md5[1]) return md5[0] === md5[1];
  const url = [str2(installed.record.url), wanted.url ?? ""];
  if (url[0] && url[1]) return stripCredentials(url[0]) === stripCredentials(url[1]);
  return true;
}
var minor = (version) => version === void 0 ? void 0 : /^(\d+\.\d+)/.exec(version)?.[1];
function diffPrefix(installed, wanted) {
  const oldPython = minor(installed.find((p) => p.name === "python")?.version);
  const newPython = minor(wanted.find((p) => p.name === "python")?.version);
  const pythonChanged = oldPython !== void 0 && newPython !== void 0 && oldPython !== newPython;
  const keep = [];
  const kept = /* @__PURE__ */ new Set();
  for (const pkg of installed) {
    const match = wanted.find((w) => !kept.has(w) && isSamePackage(pkg, w));
    if (match === void 0) continue;
    if (pythonChanged && pkg.record.noarch === "python") continue;
    keep.push(pkg);
    kept.add(match);
  }
  const keepSet = new Set(keep);
  return { unlink: installed.filter((p) => !keepSet.has(p)), link: wanted.filter((w) => !kept.has(w)), keep };
}
function finalPython(link, keep) {
  const linked = link.find((r) => r.name === "python");
  if (linked !== void 0) return pythonTarget({ version: str2(linked.version), python_site_packages_path: linked.python_site_packages_path });
  const installed = keep.find((p) => p.name === "python");
  if (installed !== void 0) return pythonTarget({ version: installed.version, python_site_packages_path: installed.record.python_site_packages_path });
  return void 0;
}
function pathsSeenTwice(lists) {
  let total = 0;
  for (const list2 of lists) total += list2.length;
  const shared = /* @__PURE__ */ new Set();
  if (total < 2) return shared;
  const size = 1 << 32 - Math.clz32(2 * total - 1);
  const mask = size - 1;
  const table = new Int32Array(size);
  const list = new Int32Array(total);
  const item = new Int32Array(total);
  let k = 0;
  for (let l = 0; l < lists.length; l++) {
    const paths = lists[l];
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i];
      let h = 2166136261;
      for (let j = 0; j < path.length; j++) h = Math.imul(h ^ path.charCodeAt(j), 16777619);
      for (let slot = h & mask; ; slot = slot + 1 & mask) {
        const at = table[slot];
        if (at === 0) {
          table[slot] = k + 1;
          list[k] = l;
          item[k] = i;
          k++;
          break;
        }
        if (lists[list[at - 1]][item[at - 1]] === path) {
          shared.add(path);
          break;
        }
      }
    }
  }
  return shared;
}
function findClobbers(stay, link) {
  const shared = pathsSeenTwice([...stay.map((p) => p.files), ...link.map((p) => p.paths)]);
  if (shared.size === 0) return [];
  const owners = /* @__PURE__ */ new Map();
  const own = (path, dist) => {
    if (!shared.has(path)) return;
    const o = owners.get(path);
    if (o === void 0) owners.set(path, [dist]);
    else if (!o.includes(dist)) o.push(dist);
  };
  for (const pkg of stay) for (const f of pkg.files) own(f, pkg.dist);
  for (const pkg of link) for (const p of pkg.paths) own(p, pkg.dist);
  const out = [];
  for (const [path, list] of owners) if (list.length > 1) out.push({ path, packages: list, winner: list[list.length - 1] });
  return out.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

// core/install/link-codesign.ts
import { execFile } from "node:child_process";
function needsCodesign(subdir, platform = process.platform) {
  return platform === "darwin" && subdir === "osx-arm64";
}
function codesign(path) {
  return new Promise((resolve) => {
    execFile("/usr/bin/codesign", ["-s", "-", "-f", path], (error, _stdout, stderr) => {
      resolve(error ? `codesign failed for ${path}: ${String(stderr).trim() || error.message}` : void 0);
    });
  });
}

export {
  allowTurbofanPause,
  withTurbofanPaused,
  needsCodesign,
  codesign,
  replaceAll,
  PaddingError,
  replaceBinaryRun,
  rewriteForPrefix,
  placeholderTooLong,
  noarchPythonPath,
  pycPath,
  isCompilablePy,
  parseEntryPoint,
  entryPointShebang,
  entryPointScript,
  compilePython,
  prefixRecordFileName,
  buildPrefixRecord,
  distString,
  formatHistoryBlock,
  buildStateFile,
  readStateVars,
  resolvePkgsDir,
  PkgsDirLayout,
  checkPrefixUsable,
  isEmptyBesidesCondaMeta,
  readInstalled,
  diffPrefix,
  finalPython,
  findClobbers
};
