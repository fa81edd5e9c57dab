import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  SpecError
} from "./chunk-ZNMD3YGT.js";

// core/channel/network.ts
import { readFileSync } from "node:fs";

// core/channel/pause-guard.ts
function remainingOf(get) {
  const encoding = get("transfer-encoding");
  if (encoding !== void 0 && /chunked/i.test(encoding)) return void 0;
  const length = get("content-length");
  return length !== void 0 && /^\s*\d+\s*$/.test(length) ? Number(length) : void 0;
}
function rawHeader(raw, name) {
  for (let i = 0; i + 1 < raw.length; i += 2) if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
  return void 0;
}
function unpausable(controller) {
  return {
    pause() {
    },
    resume: () => controller.resume(),
    abort: (reason) => controller.abort(reason),
    get paused() {
      return controller.paused;
    },
    get aborted() {
      return controller.aborted;
    },
    get reason() {
      return controller.reason;
    }
  };
}
function guardedHandler(handler) {
  const target = handler;
  let remaining;
  const mustNotPause = (bytes) => {
    if (remaining === void 0) return true;
    remaining -= bytes;
    return remaining <= 0;
  };
  const methods = /* @__PURE__ */ new Map();
  if (typeof target.onHeaders === "function") {
    const onHeaders = target.onHeaders;
    methods.set("onHeaders", (statusCode, raw, resume, statusText) => {
      remaining = remainingOf((name) => rawHeader(raw, name));
      return onHeaders.call(target, statusCode, raw, resume, statusText);
    });
  }
  if (typeof target.onData === "function") {
    const onData = target.onData;
    methods.set("onData", (chunk) => {
      const result = onData.call(target, chunk);
      return mustNotPause(chunk.length) ? true : result;
    });
  }
  if (typeof target.onResponseStart === "function") {
    methods.set("onResponseStart", (controller, statusCode, headers, statusMessage) => {
      remaining = remainingOf((name) => {
        const v = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
        return Array.isArray(v) ? v.join(", ") : v;
      });
      return target.onResponseStart(controller, statusCode, headers, statusMessage);
    });
  }
  if (typeof target.onResponseData === "function") {
    methods.set("onResponseData", (controller, chunk) => target.onResponseData(mustNotPause(chunk.length) ? unpausable(controller) : controller, chunk));
  }
  return new Proxy(target, {
    get(_, key) {
      const made = methods.get(key);
      if (made !== void 0) return made;
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      const bound = value.bind(target);
      methods.set(key, bound);
      return bound;
    }
  });
}
function guardPauses(dispatcher) {
  return dispatcher.compose((dispatch) => (options, handler) => dispatch(options, guardedHandler(handler)));
}

// core/channel/undici-module.ts
var loading;
function loadUndici() {
  loading ??= import("./undici-JD6MIYHZ.js").then((m) => m.default ?? m);
  return loading;
}

// core/channel/network.ts
function networkSettings(input) {
  const { env } = input;
  const verify = input.sslVerify ?? true;
  const settings = { sslVerify: verify !== false };
  if (typeof verify === "string") settings.caFile = verify;
  else if (verify) {
    const bundle = env.REQUESTS_CA_BUNDLE || env.CURL_CA_BUNDLE || env.SSL_CERT_FILE;
    if (bundle) settings.caFile = bundle;
  }
  const proxies = input.proxyServers ?? {};
  const httpProxy = proxies.http || env.HTTP_PROXY || env.http_proxy;
  const httpsProxy = proxies.https || env.HTTPS_PROXY || env.https_proxy;
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  if (httpProxy) settings.httpProxy = httpProxy;
  if (httpsProxy) settings.httpsProxy = httpsProxy;
  if (noProxy) settings.noProxy = noProxy;
  return settings;
}
async function createDispatcher(settings = { sslVerify: true }, options = {}) {
  const tls = {};
  if (!settings.sslVerify) tls.rejectUnauthorized = false;
  if (settings.sslVerify && settings.caFile) {
    try {
      tls.ca = readFileSync(settings.caFile);
    } catch (error) {
      throw new SpecError(`cannot read the CA bundle ${settings.caFile} (from ssl_verify, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE or SSL_CERT_FILE): ${error.message}`, {
        file: settings.caFile,
        cause: error
      });
    }
  }
  const { Agent, EnvHttpProxyAgent } = await loadUndici();
  const common = {
    connect: { ...tls, timeout: options.connectTimeoutMs ?? 1e4 },
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 1e4
  };
  if (settings.httpProxy || settings.httpsProxy) {
    return guardPauses(
      new EnvHttpProxyAgent({
        ...common,
        requestTls: tls,
        httpProxy: settings.httpProxy ?? "",
        httpsProxy: settings.httpsProxy ?? "",
        noProxy: settings.noProxy ?? "",
        // plain-http requests go to the proxy as absolute-form GETs (as curl and requests do); https still tunnels
        proxyTunnel: false
      })
    );
  }
  return guardPauses(new Agent(common));
}

// core/spec/url-credentials.ts
var SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
var TOKEN = /\/t\/[^/?#]+(?=[/?#]|$)/g;
function split(url) {
  const scheme = SCHEME.exec(url);
  if (!scheme) return void 0;
  const start = scheme[0].length;
  const end = (() => {
    const i = url.slice(start).search(/[/?#]/);
    return i === -1 ? url.length : start + i;
  })();
  const authority = url.slice(start, end);
  const at = authority.lastIndexOf("@");
  const userInfo = at === -1 ? void 0 : authority.slice(0, at);
  const colon = userInfo?.indexOf(":") ?? -1;
  return {
    scheme: scheme[0],
    user: userInfo === void 0 ? void 0 : colon === -1 ? userInfo : userInfo.slice(0, colon),
    hasPassword: colon !== -1,
    host: at === -1 ? authority : authority.slice(at + 1),
    rest: url.slice(end)
  };
}
function redactUrl(url) {
  const p = split(url);
  if (p === void 0) return url;
  return `${p.scheme}${p.user !== void 0 ? `${p.user}@` : ""}${p.host}${p.rest.replace(TOKEN, "/t/<TOKEN>")}`;
}
function stripCredentials(url) {
  const p = split(url);
  if (p === void 0) return url;
  return `${p.scheme}${p.host}${p.rest.replace(TOKEN, "")}`;
}
var URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s'",\]]+/g;
function stripCredentialsInText(text) {
  return text.replace(URL_IN_TEXT, (url) => stripCredentials(url));
}
function redactUrlsInText(text) {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

// core/spec/platform.ts
var KNOWN_SUBDIRS = /* @__PURE__ */ new Set([
  "noarch",
  "emscripten-wasm32",
  "wasi-wasm32",
  "freebsd-64",
  "linux-32",
  "linux-64",
  "linux-aarch64",
  "linux-armv6l",
  "linux-armv7l",
  "linux-ppc64",
  "linux-ppc64le",
  "linux-riscv64",
  "linux-s390x",
  "osx-64",
  "osx-arm64",
  "win-32",
  "win-64",
  "win-arm64",
  "zos-z"
]);
function isKnownSubdir(name) {
  return KNOWN_SUBDIRS.has(name);
}

// core/spec/channel-name.ts
var DEFAULT_CHANNEL_ALIAS = "https://conda.anaconda.org";
var DEFAULT_CHANNELS = ["https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r"];
function splitChannel(text) {
  let s = stripCredentials(text.trim()).replace(/\/+$/, "");
  let subdir;
  const slash = s.lastIndexOf("/");
  if (slash > 0 && isKnownSubdir(s.slice(slash + 1))) {
    subdir = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  return { name: canonicalChannelName(s), subdir };
}
function canonicalChannelName(channel) {
  const c = channel.replace(/\/+$/, "");
  if (c === "pkgs/main" || c === "pkgs/r" || c === "pkgs/msys2") return "defaults";
  const alias = DEFAULT_CHANNEL_ALIAS + "/";
  if (c.startsWith(alias)) return c.slice(alias.length);
  return c;
}
function channelOfPackageUrl(url) {
  const clean = stripCredentials(url);
  const parts = clean.split("/").map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts.length < 3) return void 0;
  const subdir = parts[parts.length - 2];
  if (!isKnownSubdir(subdir)) return void 0;
  const base = parts.slice(0, -2).join("/");
  if (DEFAULT_CHANNELS.includes(base)) return { name: "defaults", subdir };
  return { name: canonicalChannelName(base), subdir };
}
function channelNameMatches(specName, recordChannel) {
  const rec = splitChannel(recordChannel).name;
  if (rec === specName) return true;
  if (specName === "defaults") return DEFAULT_CHANNELS.some((d) => rec === d) || rec === "defaults";
  return false;
}

// core/channel/retry.ts
var DEFAULT_RETRY_POLICY = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5e3 };
var RETRYABLE_STATUS = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
var RETRYABLE_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT"
]);
function isRetryableStatus(status) {
  return RETRYABLE_STATUS.has(status) || status >= 500 && status !== 501 && status !== 505;
}
function errorCode(error) {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; e = e.cause, depth++) {
    const code = e.code;
    if (typeof code === "string") return code;
  }
  return void 0;
}
function isRetryableError(error) {
  const code = errorCode(error);
  return code !== void 0 && RETRYABLE_CODES.has(code);
}
function retryDelayMs(policy, retry, retryAfter) {
  if (retryAfter !== void 0 && /^\d+$/.test(retryAfter.trim())) return Math.min(policy.maxDelayMs, Number(retryAfter) * 1e3);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return cap * (0.5 + 0.5 * (policy.random ?? Math.random)());
}

export {
  loadUndici,
  networkSettings,
  createDispatcher,
  redactUrl,
  stripCredentials,
  stripCredentialsInText,
  redactUrlsInText,
  KNOWN_SUBDIRS,
  isKnownSubdir,
  DEFAULT_CHANNEL_ALIAS,
  DEFAULT_CHANNELS,
  splitChannel,
  channelOfPackageUrl,
  channelNameMatches,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  errorCode,
  isRetryableError,
  retryDelayMs
};
