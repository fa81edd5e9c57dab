import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  require_undici
} from "./chunk-FNQRZOOX.js";
import {
  parseVirtualPackageArg,
  resolveChannels
} from "./chunk-NHLEP6IP.js";
import {
  ShortBody,
  header,
  parseContentRange,
  rangeValidator
} from "./chunk-MK3B743T.js";
import {
  TarReader
} from "./chunk-G3APC2K4.js";
import {
  DEFAULT_RETRY_POLICY,
  errorCode,
  isRetryableError,
  isRetryableStatus,
  redactUrl,
  retryDelayMs,
  stripCredentials,
  stripCredentialsInText
} from "./chunk-ES7CHA43.js";
import {
  SpecError
} from "./chunk-ZNMD3YGT.js";
import {
  TAR_END,
  tarHeader,
  tarPadding
} from "./chunk-GZTGHQV7.js";
import {
  __toESM
} from "./chunk-LQK3ML4U.js";

// action/actions-cache-store.ts
import { mkdir, rename, rm, copyFile, stat } from "node:fs/promises";
import { createReadStream, existsSync } from "node:fs";
import { dirname, join } from "node:path";

// core/cache/cache-keys.ts
import { createHash as createHash3 } from "node:crypto";
import { resolve } from "node:path";

// core/cache/environment-key.ts
import { createHash as createHash2 } from "node:crypto";

// core/cache/spec-file.ts
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

// core/spec/source-text.ts
var BOM = "\uFEFF";
function stripBom(text) {
  return text.startsWith(BOM) ? text.slice(1) : text;
}
function splitLines(text) {
  const parts = text.split(/\r\n|\n|\r/);
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts.map((lineText, index) => ({ text: lineText, line: index + 1 }));
}
function lineRange(line, startIndex, endIndex) {
  return { start: { line, column: startIndex + 1 }, end: { line, column: endIndex + 1 } };
}
function errorAt(message2, file, position, options = {}) {
  return new SpecError(message2, { ...options, file, position: { line: position.line, column: position.column } });
}
function quote(text, max = 80) {
  const shown = text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
  return `'${shown}'`;
}
var PLATFORM_COMMENT = /^#\s*platform\s*:\s*(\S+)\s*$/;
function platformOfComment(trimmedLine) {
  return PLATFORM_COMMENT.exec(trimmedLine)?.[1];
}

// core/spec/explicit-file.ts
var PACKAGE_EXTENSIONS = [".conda", ".tar.bz2"];
var SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
var KNOWN_SUBDIR = /^(?:noarch|(?:linux|osx|win|freebsd|emscripten|wasi|zos)-[a-z0-9]+)$/;
function isExplicitMarker(line) {
  return line.trim() === "@EXPLICIT";
}
function hasExplicitMarker(text) {
  return splitLines(stripBom(text)).some((source) => isExplicitMarker(source.text));
}
function parseExplicitFile(text, fileName) {
  const result = { kind: "explicit", fileName, packages: [] };
  let seenMarker = false;
  for (const source of splitLines(stripBom(text))) {
    const trimmed = source.text.trim();
    if (trimmed === "") continue;
    const start = source.text.length - source.text.trimStart().length;
    if (trimmed.startsWith("#")) {
      const platform = platformOfComment(trimmed);
      if (platform !== void 0 && result.platform === void 0) result.platform = platform;
      continue;
    }
    if (isExplicitMarker(trimmed)) {
      seenMarker = true;
      continue;
    }
    if (!seenMarker) {
      throw errorAt(
        `${quote(trimmed)} comes before the @EXPLICIT line; in an explicit file package URLs go after @EXPLICIT (move the line below it, or remove @EXPLICIT if this is a list of match specs)`,
        fileName,
        { line: source.line, column: start + 1 }
      );
    }
    result.packages.push(parsePackageLine(source, start, trimmed, fileName));
  }
  if (!seenMarker) {
    throw errorAt(
      'not an explicit spec file: there is no @EXPLICIT line; add a line "@EXPLICIT" before the package URLs',
      fileName,
      { line: 1, column: 1 }
    );
  }
  return result;
}
function parsePackageLine(source, start, trimmed, fileName) {
  const line = source.line;
  const at = (index) => ({ line, column: start + index + 1 });
  const range = lineRange(line, start, start + trimmed.length);
  const hashAt = trimmed.indexOf("#");
  const url = hashAt === -1 ? trimmed : trimmed.slice(0, hashAt);
  const hash = hashAt === -1 ? void 0 : trimmed.slice(hashAt + 1);
  const isUrl = SCHEME.test(url);
  if (isUrl) {
    const space = url.search(/\s/);
    if (space !== -1) {
      throw errorAt(
        `unexpected whitespace in package URL ${quote(url.trimEnd())}; write one URL per line, with the hash directly after it as "#<md5>" or "#sha256:<sha256>" (spaces in URLs must be written as %20)`,
        fileName,
        at(space)
      );
    }
    if (!URL.canParse(url)) {
      throw errorAt(`invalid package URL ${quote(url)}; write a full URL such as https://conda.anaconda.org/conda-forge/linux-64/<file>.conda`, fileName, at(0));
    }
  }
  const lastSlash = Math.max(url.lastIndexOf("/"), isUrl ? -1 : url.lastIndexOf("\\"));
  const rawFileName = url.slice(lastSlash + 1);
  const extension = PACKAGE_EXTENSIONS.find((ext) => rawFileName.endsWith(ext));
  if (extension === void 0 || rawFileName.length === extension.length) {
    throw errorAt(
      `expected the URL of a conda package ending in .conda or .tar.bz2, found ${quote(trimmed)}; an explicit file lists one package URL per line after @EXPLICIT (if this is a list of match specs, remove the @EXPLICIT line)`,
      fileName,
      at(0)
    );
  }
  const packageFileName = decode(rawFileName);
  const stem = packageFileName.slice(0, -extension.length);
  const buildDash = stem.lastIndexOf("-");
  const versionDash = buildDash <= 0 ? -1 : stem.lastIndexOf("-", buildDash - 1);
  if (versionDash <= 0 || versionDash + 1 === buildDash || buildDash === stem.length - 1) {
    throw errorAt(
      `package file name ${quote(packageFileName)} is not of the form <name>-<version>-<build>${extension}; check the URL`,
      fileName,
      at(lastSlash + 1)
    );
  }
  const folder = lastSlash === -1 ? "" : url.slice(0, lastSlash);
  const folderSlash = Math.max(folder.lastIndexOf("/"), isUrl ? -1 : folder.lastIndexOf("\\"));
  const parent = folder.slice(folderSlash + 1);
  const hasSubdir = folderSlash !== -1 && KNOWN_SUBDIR.test(parent) && !(isUrl && folder.slice(0, folderSlash).endsWith(":/"));
  const pkg = {
    url,
    fileName: packageFileName,
    name: stem.slice(0, versionDash),
    version: stem.slice(versionDash + 1, buildDash),
    build: stem.slice(buildDash + 1),
    channel: hasSubdir ? folder.slice(0, folderSlash) : folder,
    range
  };
  if (hasSubdir) pkg.subdir = parent;
  if (hash !== void 0) {
    const md5 = /^[0-9a-f]{32}$/.exec(hash);
    const sha256 = /^(?:sha256:)?([0-9a-f]{64})$/.exec(hash);
    if (md5) {
      pkg.md5 = hash;
    } else if (sha256) {
      pkg.sha256 = sha256[1];
    } else {
      const lower = hash.toLowerCase();
      const hint = lower !== hash && (/^[0-9a-f]{32}$/.test(lower) || /^(?:sha256:)?[0-9a-f]{64}$/.test(lower)) ? "hashes must be written in lowercase hex" : 'expected 32 hex digits (md5), 64 hex digits (sha256) or "sha256:" and 64 hex digits';
      throw errorAt(`bad package hash ${quote(hash)} after the URL: ${hint}; copy the hash again, or remove "#\u2026" to skip the check`, fileName, at(hashAt + 1));
    }
  }
  return pkg;
}
function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// core/cache/spec-file.ts
var SPEC_FORMAT_VERSION = "1.0.0";
var MARKER = "env-setup spec file";
var oneLine = (text) => text.replace(/[\r\n]+/g, " ").trim();
function packageLine(url, sha256, md5) {
  const clean = stripCredentials(url);
  if (sha256 !== void 0) return `${clean}#sha256:${sha256}`;
  if (md5 !== void 0) return `${clean}#${md5}`;
  return clean;
}
function specFileHash(platform, packages) {
  const h = createHash("sha256");
  h.update(`env-setup spec ${SPEC_FORMAT_VERSION.split(".")[0]}
platform: ${platform ?? ""}
`);
  for (const p of packages) h.update(`${packageLine(p.url, p.sha256, p.md5)}
`);
  return h.digest("hex");
}
var ownVersion;
function envSetupVersion() {
  ownVersion ??= JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  return ownVersion;
}
function writeSpecFile(input) {
  const lines = [
    "# This file may be used to create an environment using:",
    "# $ conda create --name <env> --file <this file>",
    `# platform: ${oneLine(input.platform)}`,
    `# ${MARKER}`,
    `# spec-format: ${SPEC_FORMAT_VERSION}`,
    `# env-setup: ${oneLine(input.envSetupVersion ?? envSetupVersion())}`
  ];
  if (input.environmentKey !== void 0) lines.push(`# environment-key: ${oneLine(input.environmentKey)}`);
  for (const c of input.channels) lines.push(`# channel: ${oneLine(redactUrl(c))}`);
  for (const v of input.virtualPackages) lines.push(`# virtual-package: ${oneLine(typeof v === "string" ? v : `${v.name}=${v.version}=${v.build}`)}`);
  lines.push(`# created: ${(input.created ?? /* @__PURE__ */ new Date()).toISOString()}`);
  lines.push("@EXPLICIT");
  for (const p of input.packages) {
    if (p.url === void 0) throw new SpecError(`cannot write a spec file: the package '${p.name}' has no URL to install it from`);
    lines.push(packageLine(p.url, p.sha256, p.md5));
  }
  return lines.join("\n") + "\n";
}
function readSpecFile(text, fileName) {
  const explicit = parseExplicitFile(text, fileName);
  const header2 = readHeader(text, fileName);
  const platform = header2?.platform ?? explicit.platform;
  return { header: header2, explicit, hash: specFileHash(platform, explicit.packages) };
}
function readHeader(text, fileName) {
  const fields = [];
  let ours = false;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "@EXPLICIT") break;
    if (!line.startsWith("#")) continue;
    const body = line.slice(1).trim();
    if (body === MARKER) ours = true;
    const m = /^([a-z][a-z-]*):\s?(.*)$/.exec(body);
    if (m) fields.push([m[1], m[2].trim(), i + 1]);
  }
  if (!ours) return void 0;
  const one = (name) => fields.find(([k]) => k === name)?.[1];
  const all = (name) => fields.filter(([k]) => k === name).map(([, v]) => v);
  const format = fields.find(([k]) => k === "spec-format");
  if (format === void 0) throw new SpecError('the env-setup spec file header has no "spec-format:" line; write the file again with env-setup lock', { file: fileName, position: { line: 1, column: 1 } });
  const [major] = format[1].split(".");
  if (!/^\d+\.\d+\.\d+$/.test(format[1])) throw new SpecError(`"spec-format: ${format[1]}" is not a version such as ${SPEC_FORMAT_VERSION}`, { file: fileName, position: { line: format[2], column: 1 } });
  if (Number(major) > Number(SPEC_FORMAT_VERSION.split(".")[0])) {
    throw new SpecError(`this spec file has format ${format[1]}, newer than the ${SPEC_FORMAT_VERSION} this env-setup reads; update env-setup, or write the file again with this one`, { file: fileName, position: { line: format[2], column: 1 } });
  }
  return {
    formatVersion: format[1],
    envSetupVersion: one("env-setup"),
    environmentKey: one("environment-key"),
    platform: one("platform"),
    channels: all("channel"),
    virtualPackages: all("virtual-package"),
    created: one("created")
  };
}

// core/cache/environment-key.ts
function canonicalPip(pip, files) {
  return {
    pip: [...new Set(pip.map((p) => stripCredentialsInText(p.trim().replace(/\s+/g, " "))))].sort(),
    files: files.map((f) => ({ path: f.path, sha256: f.sha256 })).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  };
}
function canonicalEnvironment(request3) {
  const env = request3.env ?? process.env;
  const specChannels = request3.specs.map((s) => s.channel).filter((c) => c !== void 0 && c !== "*");
  const resolved = resolveChannels({
    platform: request3.platform,
    channels: request3.channels,
    specChannels,
    channelPriority: request3.channelPriority,
    condarcPath: request3.condarcPath,
    overrideChannels: request3.overrideChannels,
    env
  });
  const channels = resolved.channels.flatMap((c) => c.subdirUrls.map((s) => stripCredentials(s.url).replace(/\/+$/, "")));
  const overrides = /* @__PURE__ */ new Map();
  for (const text of request3.virtualPackages ?? []) {
    const v = parseVirtualPackageArg(text);
    overrides.set(v.name, `${v.name}=${v.version}=${v.build}`);
  }
  const variables = Object.keys(env).filter((k) => k.startsWith("CONDA_OVERRIDE_") && env[k] !== void 0).sort().map((k) => `${k}=${env[k].trim()}`);
  return {
    format: Number(SPEC_FORMAT_VERSION.split(".")[0]),
    platform: request3.platform,
    specs: [...new Set(request3.specs.map((s) => stripCredentialsInText(s.toString())))].sort(),
    channels,
    channelPriority: resolved.channelPriority,
    virtualPackages: [...[...overrides.values()].sort(), ...variables],
    ...canonicalPip(request3.pip ?? [], request3.files ?? [])
  };
}
function hashCanonicalEnvironment(canonical) {
  return createHash2("sha256").update(JSON.stringify(canonical)).digest("hex");
}
function environmentKey(request3) {
  const canonical = canonicalEnvironment(request3);
  return { key: hashCanonicalEnvironment(canonical), canonical };
}

// core/cache/cache-keys.ts
var SPEC_KEY_PREFIX = "env-setup-spec-";
var TARBALL_KEY_PREFIX = "env-setup-env-";
var HEX64 = /^[0-9a-f]{64}$/;
var PART = /^[a-z0-9][a-z0-9._]*$/;
function checkPart(value, what) {
  if (!PART.test(value)) throw new SpecError(`invalid ${what} '${value}' for a cache key: use lower-case letters, digits, '.' and '_'`, { input: value });
}
function checkPlatform(platform) {
  if (!/^[a-z0-9]+-[a-z0-9]+$|^noarch$/.test(platform)) throw new SpecError(`invalid platform '${platform}' for a cache key (expected a subdir such as linux-64)`, { input: platform });
}
function specFileKey(environmentKey2, platform) {
  if (!HEX64.test(environmentKey2)) throw new SpecError(`invalid environment key '${environmentKey2}': expected 64 lower-case hex digits`);
  checkPlatform(platform);
  return `${SPEC_KEY_PREFIX}${SPEC_FORMAT_VERSION.split(".")[0]}-${platform}-${environmentKey2}`;
}
function prefixHash(prefix) {
  return createHash3("sha256").update(resolve(prefix)).digest("hex").slice(0, 16);
}
function tarballKey(parts) {
  if (!HEX64.test(parts.specFileHash)) throw new SpecError(`invalid spec file hash '${parts.specFileHash}': expected 64 lower-case hex digits`);
  checkPlatform(parts.platform);
  const format = String(parts.formatVersion);
  checkPart(format, "tarball format version");
  return `${TARBALL_KEY_PREFIX}${format}-${parts.platform}-${prefixHash(parts.prefix)}-${parts.specFileHash}`;
}
function tarballContentHash(specFileHash2, pip) {
  if (pip === void 0 || pip.requirements.length === 0) return specFileHash2;
  const { pip: requirements, files } = canonicalPip(pip.requirements, pip.files);
  return createHash3("sha256").update(JSON.stringify({ specFileHash: specFileHash2, pip: requirements, files })).digest("hex");
}
function keyKind(key) {
  if (key.startsWith(SPEC_KEY_PREFIX)) return "spec";
  if (key.startsWith(TARBALL_KEY_PREFIX)) return "tarball";
  return "other";
}

// action/cache-service-read.ts
var import_undici2 = __toESM(require_undici(), 1);
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { relative, resolve as resolve2, sep } from "node:path";
import { constants as zlib, createGunzip, createZstdDecompress } from "node:zlib";
import { setTimeout as sleep2 } from "node:timers/promises";

// action/results-twirp.ts
var import_undici = __toESM(require_undici(), 1);
import { setTimeout as sleep } from "node:timers/promises";
var ResultsServiceError = class extends Error {
  constructor(message2, options) {
    super(message2, options);
    this.name = "ResultsServiceError";
  }
};
var USER_AGENT = "env-setup (GitHub Action)";
function isGhes(env) {
  let host;
  try {
    host = new URL(env.GITHUB_SERVER_URL || "https://github.com").hostname.trimEnd().toUpperCase();
  } catch {
    return true;
  }
  return host !== "GITHUB.COM" && !host.endsWith(".GHE.COM") && !host.endsWith(".LOCALHOST");
}
async function twirp(service, method, body, dispatcher) {
  const url = `${service.url}twirp/github.actions.results.api.v1.${method}`;
  const text = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    const last = attempt + 1 >= DEFAULT_RETRY_POLICY.attempts;
    let status;
    let answer;
    let retryAfter;
    try {
      const r = await (0, import_undici.request)(url, {
        method: "POST",
        body: text,
        headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${service.token}`, "user-agent": USER_AGENT },
        headersTimeout: 3e4,
        bodyTimeout: 3e4,
        ...dispatcher === void 0 ? {} : { dispatcher }
      });
      status = r.statusCode;
      const after = r.headers["retry-after"];
      retryAfter = typeof after === "string" ? after : void 0;
      answer = await r.body.text();
    } catch (error) {
      if (last || !isRetryableError(error)) throw new ResultsServiceError(`the results service did not answer: ${error.message}`, { cause: error });
      await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, attempt));
      continue;
    }
    if (status === 200) {
      try {
        const parsed = JSON.parse(answer);
        if (parsed !== null && typeof parsed === "object") return parsed;
      } catch {
      }
      throw new ResultsServiceError(`the results service answered ${method} with something that is not a JSON object`);
    }
    if (last || !isRetryableStatus(status)) throw new ResultsServiceError(`the results service answered HTTP ${status}${serviceMessage(answer)}`);
    await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, attempt, retryAfter));
  }
}
function serviceMessage(text) {
  try {
    const parsed = JSON.parse(text);
    const m = parsed.msg ?? parsed.message;
    return typeof m === "string" && m !== "" ? `: ${m.slice(0, 200)}` : "";
  } catch {
    return "";
  }
}
async function putBlob(url, body, contentType, what, dispatcher) {
  let status;
  try {
    const r = await (0, import_undici.request)(url, {
      method: "PUT",
      body,
      headers: { "x-ms-blob-type": "BlockBlob", "x-ms-version": "2024-11-04", "x-ms-blob-content-type": contentType, "content-type": contentType, "content-length": String(body.length), "user-agent": USER_AGENT },
      headersTimeout: 6e4,
      bodyTimeout: 6e4,
      ...dispatcher === void 0 ? {} : { dispatcher }
    });
    status = r.statusCode;
    await r.body.dump();
  } catch (error) {
    throw new ResultsServiceError(`uploading ${what} failed: ${error.message}`, { cause: error });
  }
  if (status !== 201 && status !== 200) throw new ResultsServiceError(`uploading ${what} failed: HTTP ${status}`);
}

// action/cache-service-read.ts
async function lookupEntry(service, keys, version, dispatcher) {
  if (!service.read) return void 0;
  const answer = await twirp(service, "CacheService/GetCacheEntryDownloadURL", { key: keys[0], restore_keys: keys.slice(1), version }, dispatcher);
  if (!answer.ok) return void 0;
  if (typeof answer.signed_download_url !== "string" || typeof answer.matched_key !== "string") throw new ResultsServiceError("the cache service answered a hit without a download URL or key");
  return { key: answer.matched_key, url: answer.signed_download_url };
}
async function* streamEntryFile(service, url, { member, method }, onSize, dispatcher, signal) {
  const want = relative(service.workspace, member).split(sep).join("/");
  let found = 0;
  let pending = [];
  const reader = new TarReader((header2) => {
    if (header2.type !== "File" && header2.type !== "OldFile" && header2.type !== "ContiguousFile") {
      throw new ResultsServiceError(`the cache entry holds ${header2.type} ${header2.path}, not only the file ${want}`);
    }
    if (resolve2(service.workspace, header2.path) !== resolve2(member) || ++found > 1) throw new ResultsServiceError(`the cache entry holds ${header2.path}, not only the file ${want}`);
    onSize?.(header2.size);
    return (chunk) => {
      if (chunk !== null) pending.push(chunk);
    };
  });
  const stop = new AbortController();
  const stopping = signal === void 0 ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const response = await getBlob(url, dispatcher, stopping);
  const decompress = method === "gzip" ? createGunzip({ chunkSize: 1 << 20 }) : createZstdDecompress({ chunkSize: 1 << 20, params: { [zlib.ZSTD_d_windowLogMax]: 31 } });
  const feeding = feedInPieces(resumableBody(url, response, dispatcher, stopping), decompress);
  try {
    for await (const chunk of decompress) {
      reader.write(chunk);
      if (pending.length > 0) {
        const out = pending;
        pending = [];
        for (const c of out) yield c;
      }
    }
    if (!reader.eof) reader.end();
    if (found !== 1) throw new ResultsServiceError(`the cache entry does not hold the file ${want}`);
  } catch (error) {
    if (error instanceof ResultsServiceError) throw error;
    const code = errorCode(error);
    if (signal?.aborted || error instanceof ShortBody || isRetryableError(error) || code?.startsWith("UND_ERR") || code === "ABORT_ERR") {
      throw new ResultsServiceError(`the download of the cache entry broke off: ${error.message}`, { cause: error });
    }
    throw new ResultsServiceError(`the cache entry's archive is damaged or incomplete: ${error.message}`, { cause: error });
  } finally {
    decompress.destroy();
    response.body.destroy();
    stop.abort();
    await feeding;
  }
}
async function getBlob(url, dispatcher, signal, range) {
  const headers = { "user-agent": USER_AGENT };
  if (range !== void 0) {
    headers.range = `bytes=${range.from}-`;
    if (range.validator !== void 0) headers["if-range"] = range.validator;
  }
  for (let attempt = 0; ; attempt++) {
    const last = attempt + 1 >= DEFAULT_RETRY_POLICY.attempts;
    let response;
    try {
      response = await (0, import_undici2.request)(url, { method: "GET", headers, headersTimeout: 6e4, bodyTimeout: 6e4, ...signal === void 0 ? {} : { signal }, ...dispatcher === void 0 ? {} : { dispatcher } });
    } catch (error) {
      if (last || signal?.aborted || !isRetryableError(error)) throw new ResultsServiceError(`downloading the cache entry failed: ${error.message}`, { cause: error });
      await sleep2(retryDelayMs(DEFAULT_RETRY_POLICY, attempt));
      continue;
    }
    if (response.statusCode === 200 || range !== void 0 && response.statusCode === 206) return response;
    await response.body.dump().catch(() => void 0);
    if (last || !isRetryableStatus(response.statusCode)) throw new ResultsServiceError(`downloading the cache entry failed: HTTP ${response.statusCode}`);
    const after = response.headers["retry-after"];
    await sleep2(retryDelayMs(DEFAULT_RETRY_POLICY, attempt, typeof after === "string" ? after : void 0));
  }
}
async function* resumableBody(url, first, dispatcher, signal) {
  const length = header(first.headers, "content-length");
  const total = length !== void 0 && /^\d+$/.test(length) ? Number(length) : void 0;
  const validator = rangeValidator(first.headers);
  let response = first;
  let received = 0;
  let fruitless = 0;
  for (; ; ) {
    let skip = 0;
    if (response !== first) {
      if (response.statusCode === 206) {
        const sent = header(response.headers, "content-range");
        const range = parseContentRange(sent);
        if (range === void 0 || range.start !== received || total !== void 0 && range.total !== void 0 && range.total !== total) {
          response.body.destroy();
          throw new ResultsServiceError(`the download of the cache entry broke off after ${received} bytes and could not be resumed (the server sent the range ${sent ?? "none"})`);
        }
      } else {
        if (rangeValidator(response.headers) !== validator) {
          response.body.destroy();
          throw new ResultsServiceError(`the download of the cache entry broke off after ${received} bytes, and the entry changed meanwhile`);
        }
        skip = received;
      }
    }
    const before = received;
    try {
      for await (const chunk of response.body) {
        let piece = chunk;
        if (skip > 0) {
          if (piece.length <= skip) {
            skip -= piece.length;
            continue;
          }
          piece = piece.subarray(skip);
          skip = 0;
        }
        received += piece.length;
        yield piece;
      }
      if (total !== void 0 && received < total) throw new ShortBody(`the body ended after ${received} of ${total} bytes`);
      return;
    } catch (error) {
      const code = errorCode(error);
      const broken = error instanceof ShortBody || isRetryableError(error) || code?.startsWith("UND_ERR") === true && code !== "UND_ERR_ABORTED";
      fruitless = received > before ? 1 : fruitless + 1;
      if (signal?.aborted || !broken || fruitless >= DEFAULT_RETRY_POLICY.attempts) throw error;
    } finally {
      response.body.destroy();
    }
    await sleep2(retryDelayMs(DEFAULT_RETRY_POLICY, fruitless - 1), void 0, signal === void 0 ? void 0 : { signal });
    response = await getBlob(url, dispatcher, signal, { from: received, validator });
  }
}
var PIECE = 1 << 20;
async function feedInPieces(body, decompress) {
  const buffers = [Buffer.allocUnsafe(PIECE), Buffer.allocUnsafe(PIECE)];
  const taken = [void 0, void 0];
  const closed = new Promise((resolve3) => decompress.once("close", () => resolve3()));
  let i = 0;
  let filled = 0;
  const give = async () => {
    const buffer = buffers[i];
    const piece = buffer.subarray(0, filled);
    taken[i] = new Promise((resolve3) => decompress.write(piece, () => resolve3()));
    i ^= 1;
    filled = 0;
    await Promise.race([taken[i], closed]);
  };
  try {
    for await (const chunk of body) {
      if (decompress.destroyed) return;
      for (let at = 0; at < chunk.length; ) {
        const n = chunk.copy(buffers[i], filled, at);
        filled += n;
        at += n;
        if (filled === PIECE) await give();
        if (decompress.destroyed) return;
      }
    }
    if (filled > 0) await give();
    if (!decompress.destroyed) decompress.end();
  } catch (error) {
    decompress.destroy(error);
  }
}
async function downloadEntryFile(service, url, file, dispatcher) {
  const partial = `${file.dest}.partial`;
  const fd = openSync(partial, "w");
  let written = 0;
  try {
    for await (const chunk of streamEntryFile(service, url, file, void 0, dispatcher)) {
      for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
      written += chunk.length;
    }
    closeSync(fd);
    renameSync(partial, file.dest);
    return written;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
    }
    rmSync(partial, { force: true });
    throw error;
  }
}

// action/cache-service-v2.ts
import { spawnSync } from "node:child_process";
import { createHash as createHash4 } from "node:crypto";
var CACHE_MODES = ["none", "read", "write", "write-only"];
function cacheServiceV2(env) {
  if (!env.ACTIONS_CACHE_SERVICE_V2 || isGhes(env)) return void 0;
  const url = env.ACTIONS_RESULTS_URL;
  const token = env.ACTIONS_RUNTIME_TOKEN;
  if (!url || !token) return void 0;
  let origin;
  try {
    origin = new URL(url).origin;
  } catch {
    return void 0;
  }
  const mode = (env.ACTIONS_CACHE_MODE ?? "").trim().toLowerCase();
  const known = CACHE_MODES.includes(mode);
  return {
    url: `${origin}/`,
    token,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    read: !known || mode === "read" || mode === "write",
    write: !known || mode === "write" || mode === "write-only"
  };
}
var compression;
function compressionMethod() {
  if (compression === void 0) {
    const r = spawnSync("zstd", ["--quiet", "--version"], { encoding: "utf8", timeout: 1e4 });
    compression = r.error === void 0 && `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() !== "" ? "zstd-without-long" : "gzip";
  }
  return compression;
}
function cacheVersion(paths, method, platform = process.platform) {
  const components = [...paths, method];
  if (platform === "win32") components.push("windows-only");
  components.push("1.0");
  return createHash4("sha256").update(components.join("|")).digest("hex");
}

// action/cache-service-write.ts
import { readFileSync as readFileSync2, statSync } from "node:fs";
import { relative as relative2, sep as sep2 } from "node:path";
import { constants as zlib2, gzipSync, zstdCompressSync } from "node:zlib";
var SMALL_ENTRY_LIMIT = 8 << 20;
function entryArchive(service, member, data, method, mtimeMs = Date.now()) {
  const name = relative2(service.workspace, member).split(sep2).join("/");
  const tar = Buffer.concat([
    tarHeader({ path: name, type: "file", mode: 420, mtime: Math.floor(mtimeMs / 1e3), size: data.length }),
    data,
    Buffer.alloc(tarPadding(data.length)),
    TAR_END
  ]);
  return method === "gzip" ? gzipSync(tar) : zstdCompressSync(tar, { params: { [zlib2.ZSTD_c_checksumFlag]: 1 } });
}
async function saveSmallEntry(service, { key, version, member, path, method }, dispatcher) {
  if (!service.write) return { ok: false, reason: "the runner's cache mode does not permit writes" };
  const archive = entryArchive(service, member, readFileSync2(path), method, statSync(path).mtimeMs);
  const created = await twirp(service, "CacheService/CreateCacheEntry", { key, version }, dispatcher);
  if (!created.ok || typeof created.signed_upload_url !== "string") {
    return { ok: false, reason: typeof created.message === "string" && created.message !== "" ? created.message : `unable to reserve the entry ${key}; another job may be creating it` };
  }
  await putBlob(created.signed_upload_url, archive, "application/octet-stream", "the cache entry", dispatcher);
  const finalized = await twirp(service, "CacheService/FinalizeCacheEntryUpload", { key, version, size_bytes: String(archive.length) }, dispatcher);
  if (!finalized.ok) throw new ResultsServiceError(`the cache service did not finish the entry: ${typeof finalized.message === "string" ? finalized.message : "no reason given"}`);
  return { ok: true, size: archive.length };
}

// action/actions-cache-store.ts
var actionsCache = () => import("./cache-DBSQAIJB.js");
var SLOW_FAILURE_MS = 3e3;
var CREATED = /-t(\d{10,})$/;
function remoteKey(key, created) {
  return `${key}-t${created}`;
}
function parseRemoteKey(remote) {
  const m = CREATED.exec(remote);
  return m === null ? void 0 : { key: remote.slice(0, m.index), created: Number(m[1]) };
}
var ActionsCacheStore = class {
  location = "GitHub Actions cache";
  /** Remote keys saved by this run. */
  saved = [];
  unsaved = [];
  #options;
  #io;
  #known = /* @__PURE__ */ new Map();
  #streamed = /* @__PURE__ */ new Map();
  #hidden = /* @__PURE__ */ new Set();
  #queue = Promise.resolve();
  /** Set when the service failed slowly (retries): later operations are skipped, so an outage costs one timeout, not one per entry. */
  down = false;
  /** With cache service v2: the entry's bytes streamed as they arrive (core restores a tarball from them, no copy on disk). */
  open;
  constructor(options) {
    this.#options = options;
    this.#io = ioPath(options.dir);
    const service = options.service;
    this.open = service === void 0 ? void 0 : (key) => this.#open(service, key);
  }
  /** The size of an entry this run read, streamed or saved (without downloading anything). */
  knownSize(key) {
    return this.#known.get(key)?.entry.size ?? this.#streamed.get(key)?.size;
  }
  async get(key) {
    if (this.#hidden.has(key) || !this.#holds(key)) return void 0;
    const known = this.#known.get(key);
    if (known !== void 0 && existsSync(known.path)) return known;
    return this.#serial(
      () => this.#span(`action.restore.${keyKind(key)}`, async () => {
        if (this.down) return void 0;
        const path = join(this.#options.dir, "entries", key);
        const service = this.#options.service;
        const created = service === void 0 ? await this.#restoreThroughIo(key, path) : await this.#download(service, key, path);
        if (created === void 0 || !existsSync(path)) return void 0;
        const found = { path, entry: { key, created, size: (await stat(path)).size } };
        this.#known.set(key, found);
        return found;
      })
    );
  }
  async put(key, file, options = {}) {
    const created = (this.#options.now ?? Date.now)();
    const path = join(this.#options.dir, "entries", key);
    await mkdir(dirname(path), { recursive: true });
    if (options.move) await rename(file, path).catch(() => copyFile(file, path));
    else await copyFile(file, path);
    const entry = { key, created, size: (await stat(path)).size };
    this.#known.set(key, { path, entry });
    this.#hidden.delete(key);
    const remote = this.#ns + remoteKey(key, created);
    const max = this.#options.maxTarballSize;
    const skip = !this.#holds(key) ? "this kind of entry is not cached" : !this.#options.write ? "cache-write is false" : this.#options.service?.write === false ? "the runner's cache mode (ACTIONS_CACHE_MODE) does not permit writes" : this.down ? "the cache service is not answering" : keyKind(key) === "tarball" && max !== void 0 && entry.size > max ? `the environment tarball (${entry.size} bytes) is larger than environment-cache-max-size (${max} bytes)` : void 0;
    if (skip !== void 0) {
      this.unsaved.push({ key, remoteKey: remote, path, reason: skip, retry: false });
      return entry;
    }
    await this.#serial(() => this.#span(`action.save.${keyKind(key)}`, () => this.#save(key, remote, path)));
    return entry;
  }
  /** Saves the file at `path` under `remote` (through the fixed io path); false with a warning when that failed. */
  async #save(key, remote, path) {
    const t0 = performance.now();
    const service = this.#options.service;
    const small = service !== void 0 && (await stat(path)).size <= SMALL_ENTRY_LIMIT;
    const result = small ? await saveSmall(service, this.#io, path, remote, this.#options.log, this.#options.dispatcher) : await saveThroughIo(this.#io, path, remote, this.#options.log);
    if (!result.ok) this.#checkSlow(t0);
    if (result.ok) this.saved.push(remote);
    else this.unsaved.push({ key, remoteKey: remote, path, reason: result.reason, retry: true });
    return result.ok;
  }
  async #open(service, key) {
    if (this.#hidden.has(key) || !this.#holds(key)) return void 0;
    const known = this.#known.get(key);
    if (known !== void 0 && existsSync(known.path)) return { entry: known.entry, chunks: createReadStream(known.path, { highWaterMark: 1 << 20 }) };
    return this.#serial(
      () => this.#span(`action.restore.${keyKind(key)}`, async () => {
        if (this.down) return void 0;
        const found = await this.#lookup(service, key);
        if (found === void 0) return void 0;
        const entry = { key, created: found.created, size: 0 };
        this.#streamed.set(key, entry);
        const log = this.#options.log;
        const { remote, url } = found;
        const method = compressionMethod();
        const member = this.#io;
        const dispatcher = this.#options.dispatcher;
        const stop = new AbortController();
        async function* chunks() {
          let bytes = 0;
          for await (const chunk of streamEntryFile(service, url, { member, method }, (size) => entry.size = size, dispatcher, stop.signal)) {
            bytes += chunk.length;
            yield chunk;
          }
          log.info(`restored ${remote} from the GitHub Actions cache, streamed (${(bytes / 1e6).toFixed(1)} MB)`);
        }
        return { entry, chunks: chunks(), cancel: () => stop.abort() };
      })
    );
  }
  /**
   * The newest remote entry of `key` (our client): its remote key, signed URL and creation time, or
   * undefined — also when the lookup failed (a warning) or the match belongs to another key.
   */
  async #lookup(service, key) {
    const prefix = `${this.#ns}${key}-t`;
    const t0 = performance.now();
    let found;
    try {
      found = await lookupEntry(service, [prefix, prefix], this.#version(), this.#options.dispatcher);
    } catch (e) {
      this.#options.log.warning(`restoring ${key} from the GitHub Actions cache failed: ${message(e)}; continuing without it`);
    }
    if (found === void 0) this.#checkSlow(t0);
    const parsed = this.#parse(found?.key);
    return found === void 0 || parsed?.key !== key ? void 0 : { remote: found.key, url: found.url, created: parsed.created };
  }
  /** Looks `key` up and writes its file to `path` (our client); the entry's creation time, or undefined (a miss, or a warning). */
  async #download(service, key, path) {
    const found = await this.#lookup(service, key);
    if (found === void 0) return void 0;
    try {
      await mkdir(dirname(path), { recursive: true });
      const bytes = await downloadEntryFile(service, found.url, { member: this.#io, dest: path, method: compressionMethod() }, this.#options.dispatcher);
      this.#options.log.info(`restored ${found.remote} from the GitHub Actions cache (${(bytes / 1e6).toFixed(1)} MB)`);
      return found.created;
    } catch (e) {
      this.#options.log.warning(`restoring ${key} from the GitHub Actions cache failed: ${message(e)}; continuing without it`);
      return void 0;
    }
  }
  /** Restores `key` through @actions/cache into the io path, then moves the file to `path`; the entry's creation time, or undefined. */
  async #restoreThroughIo(key, path) {
    await rm(dirname(this.#io), { recursive: true, force: true });
    const prefix = `${this.#ns}${key}-t`;
    const t0 = performance.now();
    let matched;
    try {
      matched = await (await actionsCache()).restoreCache([this.#io], prefix, [prefix]);
    } catch (e) {
      this.#options.log.warning(`restoring ${key} from the GitHub Actions cache failed: ${message(e)}; continuing without it`);
    }
    if (matched === void 0) this.#checkSlow(t0);
    const parsed = this.#parse(matched);
    if (parsed?.key !== key || !existsSync(this.#io)) return void 0;
    await mkdir(dirname(path), { recursive: true });
    await rename(this.#io, path);
    return parsed.created;
  }
  /** The version our client looks entries up by: @actions/cache's for the io path. */
  #version() {
    return cacheVersion([this.#io], compressionMethod());
  }
  /** The store key and creation time of a remote key of this store's namespace. */
  #parse(remote) {
    return remote === void 0 || !remote.startsWith(this.#ns) ? void 0 : parseRemoteKey(remote.slice(this.#ns.length));
  }
  async list(prefix = "") {
    const local = [...this.#known.values()].filter((k) => k.entry.key.startsWith(prefix) && !this.#hidden.has(k.entry.key)).map((k) => k.entry);
    if (prefix === "" || this.down) return local;
    const service = this.#options.service;
    const remote = await this.#serial(async () => {
      try {
        if (service !== void 0) return (await lookupEntry(service, [this.#ns + prefix, this.#ns + prefix], this.#version(), this.#options.dispatcher))?.key;
        return await (await actionsCache()).restoreCache([this.#io], this.#ns + prefix, [this.#ns + prefix], { lookupOnly: true });
      } catch (e) {
        this.#options.log.warning(`looking up ${prefix}\u2026 in the GitHub Actions cache failed: ${message(e)}`);
        return void 0;
      }
    });
    const parsed = this.#parse(remote);
    const all = [...local];
    if (parsed !== void 0 && !this.#hidden.has(parsed.key) && !all.some((e) => e.key === parsed.key)) all.push({ key: parsed.key, created: parsed.created, size: 0 });
    return all.sort((a, b) => a.created - b.created);
  }
  async delete(key) {
    const had = this.#known.has(key);
    const known = this.#known.get(key);
    this.#known.delete(key);
    this.#hidden.add(key);
    if (known !== void 0) await rm(known.path, { force: true });
    return had;
  }
  /** A miss or failed save that took longer than a healthy service ever does means retries against a failing one. */
  #checkSlow(t0) {
    if (this.down || performance.now() - t0 < SLOW_FAILURE_MS) return;
    this.down = true;
    this.#options.log.warning("the GitHub Actions cache service is failing or not answering: skipping the remaining cache operations of this run (the job goes on, only slower)");
  }
  get #ns() {
    return this.#options.namespace ?? "";
  }
  #holds(key) {
    return this.#options.kinds === void 0 || this.#options.kinds.includes(keyKind(key));
  }
  #serial(fn) {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => void 0);
    return run;
  }
  #span(name, fn) {
    return this.#options.tracer === void 0 ? fn() : this.#options.tracer.span(name, fn);
  }
};
function ioPath(dir) {
  return join(dir, "io", "entry");
}
async function saveThroughIo(io, path, remote, log) {
  await rm(dirname(io), { recursive: true, force: true });
  await mkdir(dirname(io), { recursive: true });
  await rename(path, io);
  try {
    const id = await (await actionsCache()).saveCache([io], remote);
    if (id === -1) {
      const reason = "the cache service did not take it (see the messages above)";
      log.warning(`saving ${remote} to the GitHub Actions cache failed: ${reason}; the next run will be slower, nothing else is affected`);
      return { ok: false, reason };
    }
    return { ok: true };
  } catch (e) {
    const reason = message(e);
    log.warning(`saving ${remote} to the GitHub Actions cache failed: ${reason}; the next run will be slower, nothing else is affected`);
    return { ok: false, reason };
  } finally {
    await rename(io, path).catch(() => void 0);
  }
}
async function saveSmall(service, io, path, remote, log, dispatcher) {
  let reason;
  try {
    const method = compressionMethod();
    const r = await saveSmallEntry(service, { key: remote, version: cacheVersion([io], method), member: io, path, method }, dispatcher);
    if (r.ok) return { ok: true };
    reason = r.reason;
  } catch (e) {
    reason = message(e);
  }
  log.warning(`saving ${remote} to the GitHub Actions cache failed: ${reason}; the next run will be slower, nothing else is affected`);
  return { ok: false, reason };
}
function message(e) {
  return e instanceof Error ? e.message : String(e);
}

export {
  stripBom,
  splitLines,
  lineRange,
  errorAt,
  quote,
  platformOfComment,
  hasExplicitMarker,
  parseExplicitFile,
  specFileHash,
  envSetupVersion,
  writeSpecFile,
  readSpecFile,
  environmentKey,
  TARBALL_KEY_PREFIX,
  specFileKey,
  tarballKey,
  tarballContentHash,
  ResultsServiceError,
  isGhes,
  twirp,
  putBlob,
  cacheServiceV2,
  actionsCache,
  remoteKey,
  parseRemoteKey,
  ActionsCacheStore,
  ioPath,
  saveThroughIo
};
