import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  SpecError
} from "./chunk-ZNMD3YGT.js";
import {
  debug,
  info,
  warning
} from "./chunk-JZ6SK242.js";

// core/timing/stages.ts
var STAGES = [
  { stage: "cache restore", spans: ["action.restore.*", "cache.spec.lookup", "cache.pip-sources", "cache.restore"] },
  { stage: "fetch index", spans: ["repodata.download", "shards.index", "shards.walk", "shards.more", "repodata.cache.read", "repodata.cache.write"] },
  { stage: "parse", spans: ["repodata.scan", "repodata.decompress", "repodata.table.read", "shards.index.decode"] },
  { stage: "reduce", spans: ["index"] },
  { stage: "solve", spans: ["solve", "solve.pins", "explain"] },
  { stage: "download", spans: ["install.download"] },
  { stage: "verify", spans: ["install.verify"] },
  { stage: "extract", spans: ["install.extract"] },
  { stage: "link", spans: ["install.unlink", "install.link", "install.compile", "install.scripts", "install.records"] },
  { stage: "pip", spans: ["install.pip"] },
  { stage: "scan", spans: ["cache.scan", "cache.relocate"] },
  { stage: "cache save", spans: ["cache.save", "cache.spec.save", "action.save.*"] }
];
function stageOf(name) {
  for (const { stage, spans } of STAGES) {
    for (const pattern of spans) {
      if (pattern.endsWith(".*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern) return stage;
    }
  }
  return void 0;
}
function stageTimes(doc) {
  const byStage = /* @__PURE__ */ new Map();
  for (const span of doc.spans) {
    const stage = stageOf(span.name);
    if (stage === void 0 || span.durationMs === null) continue;
    const list2 = byStage.get(stage);
    if (list2 === void 0) byStage.set(stage, [span]);
    else list2.push(span);
  }
  return STAGES.map(({ stage }) => {
    const spans = byStage.get(stage) ?? [];
    const ms = Math.round(union(spans.map((s) => [s.startMs, s.startMs + s.durationMs])) * 1e3) / 1e3;
    return { stage, ms, share: doc.totalMs > 0 ? ms / doc.totalMs : 0, spans: spans.length };
  });
}
function slowestSpans(doc, name, count) {
  return doc.spans.filter((s) => s.name === name && s.durationMs !== null).map((s) => ({ package: String(s.attributes.package ?? s.attributes.fn ?? `span ${s.id}`), ms: s.durationMs, bytes: typeof s.attributes.size === "number" ? s.attributes.size : typeof s.attributes.bytes === "number" ? s.attributes.bytes : void 0 })).sort((a, b) => b.ms - a.ms).slice(0, count);
}
function union(intervals) {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const [a, b] of intervals) {
    if (a > to) {
      if (to > from) total += to - from;
      from = a;
      to = b;
    } else if (b > to) to = b;
  }
  if (to > from) total += to - from;
  return total;
}

// core/install/progress-reporter.ts
var MB = 1024 * 1024;
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 * MB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${(bytes / (1024 * MB)).toFixed(2)} GB`;
}
function formatDuration(ms) {
  const s = Math.max(0, Math.round(ms / 1e3));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
function installProgressReporter(stream, options) {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5e3;
  const started = now();
  const bytesOf = /* @__PURE__ */ new Map();
  const totalOf = /* @__PURE__ */ new Map();
  const samples = [];
  let planned = 0;
  let packages = 0;
  let cachedAtStart = 0;
  let ready = 0;
  let extracting = 0;
  const waiting = /* @__PURE__ */ new Set();
  let downloading = 0;
  let lastRender = -Infinity;
  let lastPlain = started;
  let shown = false;
  const sum = (m) => {
    let s = 0;
    for (const v of m.values()) s += v;
    return s;
  };
  const totalBytes = () => Math.max(planned, sum(totalOf));
  const rate = () => {
    const t = now();
    while (samples.length > 2 && t - samples[0].t > 3e3) samples.shift();
    if (samples.length < 2) return 0;
    const first = samples[0];
    const last = samples[samples.length - 1];
    return last.t > first.t ? (last.bytes - first.bytes) * 1e3 / (last.t - first.t) : 0;
  };
  const figures = () => {
    const bytes = sum(bytesOf);
    const total = totalBytes();
    const speed = rate();
    const eta = speed > 0 && total > bytes ? formatDuration((total - bytes) / speed * 1e3) : "--";
    return { bytes, total, speed, eta };
  };
  const liveLine = () => {
    const f = figures();
    const tail = ` ${formatBytes(f.bytes)}/${formatBytes(f.total)} \xB7 ${formatBytes(Math.round(f.speed))}/s \xB7 ETA ${f.eta} \xB7 ${ready}/${packages} ready${extracting ? ` \xB7 extracting ${extracting}` : ""}${waiting.size ? ` \xB7 waiting for ${waiting.size} locked by another run` : ""}`;
    const width = Math.max(10, Math.min(30, (options.columns ?? 80) - tail.length - "packages [] ".length));
    const done = f.total > 0 ? Math.min(width, Math.round(f.bytes / f.total * width)) : 0;
    return `packages [${"#".repeat(done)}${"-".repeat(width - done)}]${tail}`;
  };
  const render = (force) => {
    const t = now();
    if (options.tty) {
      if (!force && t - lastRender < 100) return;
      lastRender = t;
      stream.write(`\r\x1B[K${liveLine()}`);
      shown = true;
      return;
    }
    if (!force && t - lastPlain < interval) return;
    lastPlain = t;
    const f = figures();
    const pct = f.total > 0 ? ` (${Math.round(f.bytes / f.total * 100)}%)` : "";
    stream.write(`packages: ${formatBytes(f.bytes)} of ${formatBytes(f.total)} downloaded${pct}, ${formatBytes(Math.round(f.speed))}/s, ETA ${f.eta}; ${ready}/${packages} ready
`);
  };
  return {
    onProgress(e) {
      switch (e.type) {
        case "plan":
          planned = e.downloadBytes;
          packages = e.packages;
          cachedAtStart = e.cached;
          if (options.tty && e.toDownload > 0) render(true);
          return;
        case "waiting":
          waiting.add(e.fn);
          break;
        case "download-start":
          if (e.total !== void 0) totalOf.set(e.fn, e.total);
          bytesOf.set(e.fn, 0);
          downloading++;
          break;
        case "download-progress":
          bytesOf.set(e.fn, e.bytes);
          if (e.total !== void 0) totalOf.set(e.fn, e.total);
          samples.push({ t: now(), bytes: sum(bytesOf) });
          if (samples.length > 200) samples.splice(0, 100);
          break;
        case "download-done":
          downloading = Math.max(0, downloading - 1);
          break;
        case "extract-start":
          extracting++;
          break;
        case "extract-done":
          extracting = Math.max(0, extracting - 1);
          break;
        case "ready":
          ready++;
          waiting.delete(e.fn);
          break;
        case "finish": {
          if (options.tty) {
            if (shown) stream.write("\r\x1B[K");
            shown = false;
            return;
          }
          if (e.packages === 0) return;
          const took = formatDuration(now() - started);
          const fromCache = e.packages - e.downloaded;
          stream.write(`packages: ${e.packages} ready (${fromCache} from the cache, ${e.downloaded} downloaded, ${formatBytes(e.downloadedBytes)}) in ${took}
`);
          return;
        }
        default:
          break;
      }
      if (options.tty) {
        if (packages > cachedAtStart) render(e.type !== "download-progress");
      } else if (downloading > 0) render(false);
    },
    finish() {
      if (options.tty && shown) stream.write("\r\x1B[K");
      shown = false;
    }
  };
}

// action/action-log.ts
var coreSink = { info: (m) => info(m), warning: (m) => warning(m), debug: (m) => debug(m) };
function actionLog(level, sink = coreSink, progressIntervalMs = 5e3) {
  const info2 = (m) => {
    if (level !== "warning") sink.info(m);
  };
  const debug2 = (m) => level === "debug" ? sink.info(`debug: ${m}`) : sink.debug(m);
  const progress = installProgressReporter({ write: (text) => info2(text.replace(/\n$/, "")) }, { tty: false, intervalMs: progressIntervalMs });
  return {
    level,
    info: info2,
    warning: (m) => sink.warning(m),
    debug: debug2,
    onRepodataProgress(p) {
      if (p.phase !== "downloading") debug2(`repodata ${p.channel}/${p.subdir}: ${p.phase}${p.total !== void 0 ? ` (${p.total} bytes)` : ""}`);
    },
    onInstallProgress(event) {
      progress.onProgress(event);
      switch (event.type) {
        case "download-progress":
        case "plan":
        case "finish":
          return;
        case "download-done":
          return debug2(`downloaded ${event.fn} (${event.bytes} bytes)`);
        case "download-retry":
          return info2(`retrying ${event.fn} (attempt ${event.attempt}): ${event.reason}`);
        case "extract-done":
          return debug2(`extracted ${event.fn}: ${event.files} files`);
        case "ready":
          return debug2(`ready ${event.fn} (${event.source})`);
        default:
          return debug2(`${event.type} ${event.fn}`);
      }
    },
    onTransactionEvent(event) {
      switch (event.type) {
        case "start":
          return info2(`linking: ${event.unlink} to remove, ${event.link} to add`);
        case "linked":
          return debug2(`linked ${event.dist} (${event.files} files)`);
        case "unlinked":
          return debug2(`unlinked ${event.dist}`);
        case "script": {
          info2(`${event.run.action} script of ${event.run.package}: exit ${event.run.exitCode}`);
          if (event.run.output.trim() !== "") debug2(event.run.output.trimEnd());
          return;
        }
        case "rollback":
          return info2(`rolling back: ${event.reason.split("\n")[0]}`);
        case "done":
          return;
      }
    },
    stages(doc) {
      const parts = stageTimes(doc).filter((s) => s.ms >= 1).map((s) => `${s.stage} ${Math.round(s.ms)} ms`);
      if (parts.length > 0) info2(`stages: ${parts.join(" \xB7 ")} (total ${Math.round(doc.totalMs)} ms)`);
    },
    pins(pins) {
      if (pins.length === 0) return;
      info2(`pins that would shrink the solve most: ${pins.slice(0, 5).map((p) => `${p.pin} (leaves ${p.left} of ${p.candidates} candidates)`).join(", ")}`);
    }
  };
}

// core/cache/ttl.ts
var DEFAULT_SPEC_TTL = 24 * 36e5;
var DEFAULT_TARBALL_TTL = 24 * 36e5;
var UNIT_MS = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 7 * 864e5 };
function parseTtl(text, flag) {
  const input = text.trim().toLowerCase();
  const fail = (why) => new SpecError(`${flag}: invalid duration '${text}': ${why}; write e.g. 24h, 12h, 30m, 7d, 1d12h, 0 (always refresh) or never`, { input: text });
  if (input === "never") return Infinity;
  if (input === "") throw fail("it is empty");
  if (/^0+$/.test(input)) return 0;
  if (/^\d+(\.\d+)?$/.test(input)) throw fail("a number needs a unit (s, m, h, d or w)");
  const part = /(\d+(?:\.\d+)?)([a-z]+)/y;
  let total = 0;
  let at = 0;
  while (at < input.length) {
    part.lastIndex = at;
    const m = part.exec(input);
    if (m === null) throw fail(`unexpected '${input.slice(at)}'`);
    const unit = UNIT_MS[m[2]];
    if (unit === void 0) throw fail(`unknown unit '${m[2]}' (use s, m, h, d or w)`);
    total += Number(m[1]) * unit;
    at = part.lastIndex;
  }
  return Math.round(total);
}
function isExpired(created, ttl2, now = Date.now()) {
  if (ttl2 === Infinity) return false;
  if (ttl2 <= 0) return true;
  return now - created >= ttl2;
}

// action/inputs.ts
var InputError = class extends Error {
  constructor(input, message) {
    super(`input '${input}': ${message}`);
    this.name = "InputError";
  }
};
var INPUT_DEFAULTS = {
  "environment-file": "environment.yml",
  "environment-name": "",
  prefix: "",
  "create-args": "",
  channels: "",
  "channel-priority": "",
  platform: "",
  condarc: "",
  "condarc-file": "",
  "cache-spec": "true",
  "spec-ttl": "24h",
  "cache-environment": "true",
  "environment-ttl": "24h",
  "environment-cache-max-size": "4GB",
  "cache-packages": "true",
  "cache-key": "",
  simple: "false",
  "post-link-scripts": "true",
  activate: "true",
  prewarm: "false",
  "timing-artifact": "env-setup-timings",
  summary: "true",
  "log-level": "info",
  "cache-write": "true",
  "auth-token": "",
  "auth-host": ""
};
function raw(env, name) {
  const v = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`];
  if (v === void 0 || v.trim() === "") return { value: INPUT_DEFAULTS[name] ?? "", given: false };
  return { value: v.trim(), given: true };
}
function bool(env, name) {
  const { value } = raw(env, name);
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(name, `'${value}' is not a boolean; use true or false`);
}
function readLogLevel(env) {
  try {
    return choice(env, "log-level", LOG_LEVELS) ?? "info";
  } catch {
    return "info";
  }
}
var LOG_LEVELS = ["debug", "info", "warning"];
function choice(env, name, accepted) {
  const { value } = raw(env, name);
  if (value === "") return void 0;
  if (!accepted.includes(value)) throw new InputError(name, `'${value}' is not one of ${accepted.join(", ")}`);
  return value;
}
function ttl(env, name) {
  try {
    return parseTtl(raw(env, name).value, name);
  } catch (e) {
    throw new InputError(name, e.message.replace(`${name}: `, ""));
  }
}
var SIZE_UNITS = { "": 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
function parseSize(text, input) {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m === null ? void 0 : SIZE_UNITS[m[2].toLowerCase()];
  if (m === null || unit === void 0) throw new InputError(input, `'${text}' is not a size; write e.g. 4GB, 500MB, 2GiB or 0`);
  return Math.round(Number(m[1]) * unit);
}
function list(env, name, separators) {
  return raw(env, name).value.split("\n").flatMap((line) => line.replace(/(^|\s)#.*$/, "").split(separators)).map((s) => s.trim()).filter((s) => s !== "");
}
function readInputs(env = process.env) {
  const text = (name) => raw(env, name).value || void 0;
  const platform = text("platform");
  if (platform !== void 0 && !/^(linux|osx|win)-(64|32|aarch64|arm64|ppc64le|s390x|armv7l)$|^noarch$/.test(platform)) {
    throw new InputError("platform", `'${platform}' is not a conda platform; use e.g. linux-64, linux-aarch64, osx-64, osx-arm64`);
  }
  const cacheKey = text("cache-key");
  if (cacheKey !== void 0 && !/^[A-Za-z0-9._-]{1,64}$/.test(cacheKey)) throw new InputError("cache-key", `'${cacheKey}' may only hold letters, digits, '.', '_' and '-' (at most 64)`);
  const authToken = text("auth-token");
  const authHost = text("auth-host");
  if (authToken === void 0 !== (authHost === void 0)) throw new InputError(authToken === void 0 ? "auth-token" : "auth-host", "auth-token and auth-host go together: give both or neither");
  const condarc = text("condarc");
  const condarcFile = text("condarc-file");
  if (condarc !== void 0 && condarcFile !== void 0) throw new InputError("condarc", "give condarc (the text) or condarc-file (a path), not both");
  const artifact = raw(env, "timing-artifact");
  if (artifact.value !== "" && /[":<>|*?\r\n\\/]/.test(artifact.value)) throw new InputError("timing-artifact", `'${artifact.value}' cannot be an artifact name (no " : < > | * ? \\ / or line breaks)`);
  return {
    environmentFile: raw(env, "environment-file").value,
    environmentFileGiven: raw(env, "environment-file").given,
    environmentName: text("environment-name"),
    prefix: text("prefix"),
    createArgs: list(env, "create-args", /[\s]+/),
    channels: list(env, "channels", /[\s,]+/),
    channelPriority: choice(env, "channel-priority", ["strict", "flexible", "disabled"]),
    platform,
    condarc,
    condarcFile,
    cacheSpec: bool(env, "cache-spec"),
    specTtl: ttl(env, "spec-ttl"),
    cacheEnvironment: bool(env, "cache-environment"),
    environmentTtl: ttl(env, "environment-ttl"),
    environmentCacheMaxSize: parseSize(raw(env, "environment-cache-max-size").value, "environment-cache-max-size"),
    cachePackages: bool(env, "cache-packages"),
    cacheKey,
    simple: bool(env, "simple"),
    postLinkScripts: bool(env, "post-link-scripts"),
    activate: bool(env, "activate"),
    prewarm: bool(env, "prewarm"),
    // an input given as the empty string disables the upload; the runner passes the default otherwise
    timingArtifact: env["INPUT_TIMING-ARTIFACT"] !== void 0 && env["INPUT_TIMING-ARTIFACT"].trim() === "" ? void 0 : artifact.value || void 0,
    summary: bool(env, "summary"),
    logLevel: choice(env, "log-level", LOG_LEVELS) ?? "info",
    cacheWrite: bool(env, "cache-write"),
    authToken,
    authHost
  };
}

// action/state-keys.ts
var STATE_TEMP = "env-setup-temp";
var STATE_UNSAVED = "env-setup-unsaved";
var STATE_NAMESPACE = "env-setup-namespace";

export {
  DEFAULT_SPEC_TTL,
  DEFAULT_TARBALL_TTL,
  isExpired,
  stageTimes,
  slowestSpans,
  actionLog,
  InputError,
  readLogLevel,
  readInputs,
  STATE_TEMP,
  STATE_UNSAVED,
  STATE_NAMESPACE
};
