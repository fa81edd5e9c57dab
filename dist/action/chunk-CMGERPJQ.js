import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  STATE_DIR
} from "./chunk-F7FIXKAF.js";

// core/cache/env-tarball-format.ts
var ENV_TARBALL_FORMAT_VERSION = 1;
var MANIFEST_MEMBER = ".env-setup-environment.json";
var MANIFEST_FORMAT = "env-setup-environment";
function isTransientPath(rel) {
  return rel === STATE_DIR || rel.startsWith(`${STATE_DIR}/`);
}
function parseManifest(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `its manifest is not JSON (${error.message})`;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "its manifest is not a JSON object";
  const m = value;
  if (m.format !== MANIFEST_FORMAT) return `its manifest has the format "${String(m.format)}", not "${MANIFEST_FORMAT}"`;
  if (m.version !== ENV_TARBALL_FORMAT_VERSION) return `it has layout version ${String(m.version)}; this env-setup reads version ${ENV_TARBALL_FORMAT_VERSION}`;
  if (typeof m.prefix !== "string" || !m.prefix.startsWith("/")) return "its manifest has no absolute prefix";
  if (typeof m.platform !== "string") return "its manifest has no platform";
  for (const key of ["files", "entries", "bytes"]) if (typeof m[key] !== "number") return `its manifest has no "${key}" count`;
  const meta = m.meta !== null && typeof m.meta === "object" && !Array.isArray(m.meta) ? m.meta : {};
  return {
    format: MANIFEST_FORMAT,
    version: ENV_TARBALL_FORMAT_VERSION,
    prefix: m.prefix,
    platform: m.platform,
    files: m.files,
    entries: m.entries,
    bytes: m.bytes,
    meta: Object.fromEntries(Object.entries(meta).filter((e) => typeof e[1] === "string"))
  };
}

// core/cache/env-tarball-errors.ts
var EnvTarballError = class extends Error {
  kind;
  /** The archive member or prefix-relative path involved, when there is one. */
  file;
  constructor(kind, message, details = {}) {
    super(message, details.cause === void 0 ? void 0 : { cause: details.cause });
    this.name = "EnvTarballError";
    this.kind = kind;
    this.file = details.file;
  }
  /** Whether installing from the spec file instead is the right response (everything but 'prefix'). */
  get fallBack() {
    return this.kind !== "prefix";
  }
};
function damagedTarball(archive, entry, problem) {
  return new EnvTarballError("corrupt", `the environment tarball ${archive} is damaged: ${entry === void 0 ? "" : `entry ${entry} `}${problem}; it will not be used`, { file: entry });
}
function unreadableTarball(archive, cause) {
  return new EnvTarballError("corrupt", `the environment tarball ${archive} could not be read to its end (${cause.message}); it will not be used`, { cause });
}
function unopenableTarball(archive, error) {
  return new EnvTarballError("io", error.code === "ENOENT" ? `the environment tarball ${archive} does not exist` : `cannot restore ${archive}: ${error.message}`, { cause: error });
}

export {
  ENV_TARBALL_FORMAT_VERSION,
  MANIFEST_MEMBER,
  MANIFEST_FORMAT,
  isTransientPath,
  parseManifest,
  EnvTarballError,
  damagedTarball,
  unreadableTarball,
  unopenableTarball
};
