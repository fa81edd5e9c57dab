import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ChannelError
} from "./chunk-7RRHTYUO.js";
import {
  errorCode,
  isRetryableError,
  isRetryableStatus,
  loadUndici,
  retryDelayMs
} from "./chunk-ES7CHA43.js";

// core/channel/http-get.ts
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate, zstdDecompress } from "node:zlib";
var decoders = {
  gzip: promisify(gunzip),
  "x-gzip": promisify(gunzip),
  br: promisify(brotliDecompress),
  deflate: promisify(inflate),
  zstd: promisify(zstdDecompress)
};
var USER_AGENT = "env-setup (conda-compatible)";
function flatHeaders(raw) {
  const out = {};
  for (const [k, v] of Object.entries(raw)) if (v !== void 0) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}
function splitCredentials(url) {
  if (!url.includes("@")) return { url };
  const u = new URL(url);
  if (u.username === "" && u.password === "") return { url };
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = "";
  u.password = "";
  return { url: u.href, authorization: "Basic " + Buffer.from(`${user}:${password}`).toString("base64") };
}
async function readBody(body, total, onBytes) {
  const chunks = [];
  let received = 0;
  for await (const chunk of body) {
    const b = chunk;
    chunks.push(b);
    received += b.length;
    onBytes?.(received, total);
  }
  return Buffer.concat(chunks, received);
}
async function decode(body, encoding, displayUrl) {
  const codings = (encoding ?? "").split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && c !== "identity");
  let out = body;
  for (const coding of codings.reverse()) {
    const decoder = decoders[coding];
    if (!decoder) throw new ChannelError("malformed", `${displayUrl} was sent with the unknown content encoding "${coding}"`, { url: displayUrl });
    try {
      out = await decoder(out);
    } catch (error) {
      throw new ChannelError("malformed", `${displayUrl}: the ${coding}-encoded answer could not be decoded (${error.message})`, { url: displayUrl, cause: error });
    }
  }
  return out;
}
function headersTimeoutError(ms) {
  return Object.assign(new Error(`no response headers within ${ms} ms`), { code: "UND_ERR_HEADERS_TIMEOUT" });
}
async function requestWithDeadline(url, headers, options, controller) {
  const { request } = await loadUndici();
  const timer = setTimeout(() => controller.abort(headersTimeoutError(options.headersTimeoutMs)), options.headersTimeoutMs);
  try {
    return await request(url, {
      method: "GET",
      headers,
      dispatcher: options.dispatcher,
      headersTimeout: options.headersTimeoutMs + 1e3,
      bodyTimeout: options.bodyTimeoutMs,
      signal: controller.signal
    });
  } finally {
    clearTimeout(timer);
  }
}
async function httpGet(url, options) {
  const target = splitCredentials(url);
  const headers = { "user-agent": USER_AGENT, "accept-encoding": "gzip, br", ...options.headers };
  if (target.authorization) headers.authorization = target.authorization;
  const attempts = Math.max(1, options.retry.attempts);
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const last = attempt >= attempts;
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", forwardAbort, { once: true });
    try {
      const res = await requestWithDeadline(target.url, headers, options, controller);
      const resHeaders = flatHeaders(res.headers);
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        if (!last && isRetryableStatus(res.statusCode)) {
          await sleep(retryDelayMs(options.retry, attempt - 1, resHeaders["retry-after"]));
          continue;
        }
        return { status: res.statusCode, headers: resHeaders, body: Buffer.alloc(0), wireBytes: 0, attempts: attempt };
      }
      const lengthHeader = resHeaders["content-length"];
      const total = lengthHeader !== void 0 && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : void 0;
      const wire = await readBody(res.body, total, options.onBytes);
      const body = await decode(wire, resHeaders["content-encoding"], options.displayUrl);
      return { status: res.statusCode, headers: resHeaders, body, wireBytes: wire.length, attempts: attempt };
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      if (options.signal?.aborted) throw error;
      if (!last && isRetryableError(error)) {
        await sleep(retryDelayMs(options.retry, attempt - 1));
        continue;
      }
      const code = errorCode(error);
      const reason = code ? `${code}: ${error.message}` : error.message;
      throw new ChannelError(
        "unreachable",
        `cannot download ${options.displayUrl} (${reason}) after ${attempt} attempt${attempt === 1 ? "" : "s"}; check the network, proxy (HTTPS_PROXY) and certificates (ssl_verify), or use --offline to work from the cache`,
        { url: options.displayUrl, cause: error }
      );
    } finally {
      options.signal?.removeEventListener("abort", forwardAbort);
    }
  }
}

export {
  USER_AGENT,
  splitCredentials,
  requestWithDeadline,
  httpGet
};
