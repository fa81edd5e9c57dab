// One HTTP GET through undici with what channel fetching needs: retries (see retry.ts), timeouts,
// credentials from the URL turned into an Authorization header, gzip/br/deflate/zstd content
// encodings decoded, and byte progress. Only 2xx answers carry a body; other statuses are returned
// for the caller to interpret. Network failures that outlast the retries throw ChannelError('unreachable').

import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, zstdDecompress } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { ChannelError } from './errors.ts';
import { loadUndici } from './undici-module.ts';
import { errorCode, isRetryableError, isRetryableStatus, retryDelayMs, type RetryPolicy } from './retry.ts';

const decoders: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress),
  deflate: promisify(inflate),
  zstd: promisify(zstdDecompress),
};

export const USER_AGENT = 'env-setup (conda-compatible)';

export interface HttpGetOptions {
  dispatcher: Dispatcher;
  /** The URL without secrets, for error messages. */
  displayUrl: string;
  headers?: Record<string, string>;
  retry: RetryPolicy;
  /** Milliseconds to wait for the response headers. */
  headersTimeoutMs: number;
  /** Milliseconds to wait between two chunks of the body. */
  bodyTimeoutMs: number;
  /** Called as the body arrives, with bytes received so far and Content-Length (if known). */
  onBytes?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Response headers, lower-case names, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The decoded body of a 2xx answer; empty otherwise. */
  body: Buffer;
  /** Bytes received over the wire (before content decoding). */
  wireBytes: number;
  attempts: number;
}

function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Moves `user:password@` out of the URL into a Basic Authorization header (undici does not send URL credentials). */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  // most URLs have no user info: no need to parse them (a walk sends many shard requests)
  if (!url.includes('@')) return { url };
  const u = new URL(url);
  if (u.username === '' && u.password === '') return { url };
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.href, authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') };
}

async function readBody(body: Dispatcher.ResponseData['body'], total: number | undefined, onBytes: HttpGetOptions['onBytes']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    chunks.push(b);
    received += b.length;
    onBytes?.(received, total);
  }
  return Buffer.concat(chunks, received);
}

async function decode(body: Buffer, encoding: string | undefined, displayUrl: string): Promise<Buffer> {
  const codings = (encoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  let out = body;
  for (const coding of codings.reverse()) {
    const decoder = decoders[coding];
    if (!decoder) throw new ChannelError('malformed', `${displayUrl} was sent with the unknown content encoding "${coding}"`, { url: displayUrl });
    try {
      out = await decoder(out);
    } catch (error) {
      throw new ChannelError('malformed', `${displayUrl}: the ${coding}-encoded answer could not be decoded (${(error as Error).message})`, { url: displayUrl, cause: error });
    }
  }
  return out;
}

/** Rejects the wait for response headers after `ms` (undici's own headersTimeout has a ~1 s resolution). */
function headersTimeoutError(ms: number): Error {
  return Object.assign(new Error(`no response headers within ${ms} ms`), { code: 'UND_ERR_HEADERS_TIMEOUT' });
}

/**
 * GET `url` through undici with a deadline for the response headers (`headersTimeoutMs`, which
 * aborts `controller` with a UND_ERR_HEADERS_TIMEOUT error) and undici's body timeout; `controller`
 * also aborts the body later, so the caller keeps it linked to its own signal until done.
 */
export async function requestWithDeadline(
  url: string,
  headers: Record<string, string>,
  options: Pick<HttpGetOptions, 'dispatcher' | 'headersTimeoutMs' | 'bodyTimeoutMs'>,
  controller: AbortController,
): Promise<Dispatcher.ResponseData> {
  const { request } = await loadUndici();
  const timer = setTimeout(() => controller.abort(headersTimeoutError(options.headersTimeoutMs)), options.headersTimeoutMs);
  try {
    return await request(url, {
      method: 'GET',
      headers,
      dispatcher: options.dispatcher,
      headersTimeout: options.headersTimeoutMs + 1000,
      bodyTimeout: options.bodyTimeoutMs,
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** GET `url` (which may hold credentials), retrying 5xx answers, timeouts and dropped connections. */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpResponse> {
  const target = splitCredentials(url);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, br', ...options.headers };
  if (target.authorization) headers.authorization = target.authorization;
  const attempts = Math.max(1, options.retry.attempts);
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const last = attempt >= attempts;
    const controller = new AbortController();
    const forwardAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      const res = await requestWithDeadline(target.url, headers, options, controller);
      const resHeaders = flatHeaders(res.headers);
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        if (!last && isRetryableStatus(res.statusCode)) {
          await sleep(retryDelayMs(options.retry, attempt - 1, resHeaders['retry-after']));
          continue;
        }
        return { status: res.statusCode, headers: resHeaders, body: Buffer.alloc(0), wireBytes: 0, attempts: attempt };
      }
      const lengthHeader = resHeaders['content-length'];
      const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
      const wire = await readBody(res.body, total, options.onBytes);
      const body = await decode(wire, resHeaders['content-encoding'], options.displayUrl);
      return { status: res.statusCode, headers: resHeaders, body, wireBytes: wire.length, attempts: attempt };
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      if (options.signal?.aborted) throw error;
      if (!last && isRetryableError(error)) {
        await sleep(retryDelayMs(options.retry, attempt - 1));
        continue;
      }
      const code = errorCode(error);
      const reason = code ? `${code}: ${(error as Error).message}` : (error as Error).message;
      throw new ChannelError(
        'unreachable',
        `cannot download ${options.displayUrl} (${reason}) after ${attempt} attempt${attempt === 1 ? '' : 's'}; check the network, proxy (HTTPS_PROXY) and certificates (ssl_verify), or use --offline to work from the cache`,
        { url: options.displayUrl, cause: error },
      );
    } finally {
      options.signal?.removeEventListener('abort', forwardAbort);
    }
  }
}
