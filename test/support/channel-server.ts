// A conda channel server for tests: serves a folder (and/or in-memory files) over HTTP on 127.0.0.1
// at a random port, the way anaconda.org and static mirrors do, and records every request.
//
//   const server = await startChannelServer({ root: '/work/shared/fixtures/channels/rattler' });
//   // http://127.0.0.1:<port>/pytorch/linux-64/repodata.json is <root>/pytorch/linux-64/repodata.json
//   ... server.url, server.requests ...
//   await server.close();
//
// Options (all optional; give `root`, `files` or both):
//   root         folder served at `/`; no directory listings, nothing outside it
//   files        in-memory files by URL path ('/chan/noarch/repodata.json' → string or bytes); read at
//                request time (so a test may change them), and they win over `root`
//   zstd         also answer `…/repodata.json.zst` by compressing `…/repodata.json` on the fly (a real
//                .zst file is always served); without it such requests get 404 like a server without .zst
//   token        require a conda token: paths must start with `/t/<token>/` (stripped before lookup); else 401
//   basicAuth    { user, password }: require HTTP basic auth; else 401
//   cacheControl a Cache-Control header for every 200/304 (none by default, so clients revalidate)
//   ranges       honour `Range: bytes=…` (one range) with 206 and Content-Range, 416 past the end, and
//                If-Range (an ETag or Last-Modified that no longer matches gets the whole file);
//                every 200 then says `Accept-Ranges: bytes`. Off by default: the server sends whole files
//   shards       also serve every subdir in sharded form (CEP 16), converted from its repodata.json on
//                the fly (sharded-repodata.ts): `…/repodata_shards.msgpack.zst` and the shards beside it,
//                `…/<sha256>.msgpack.zst`, with correct hashes (real files win). Without it such requests
//                get 404 like a server without shards
//
// Every answer to a file has an ETag (a hash of the bytes sent) and Last-Modified (the file's mtime;
// server start for in-memory files); If-None-Match / If-Modified-Since get 304. GET and HEAD only.
// Like a real server, files on disk are hashed once per version (path, size, mtime), and a 304 does
// not read the file, so benchmarks measure the client rather than this server.
//
// Result:
//   url          'http://127.0.0.1:<port>' (no trailing slash; a channel is `${url}/<name>`)
//   requests     the log: { method, path (as requested, token included), filePath (after the token),
//                headers (lower-case), status }
//   failNext(path, failure, count = 1)
//                the next `count` requests for `path` (a filePath such as '/chan/linux-64/repodata.json')
//                fail: a status number (e.g. 503), 'reset' (the connection is destroyed),
//                { delayMs } (the answer is held back, to trigger client timeouts), { truncateAfter: n }
//                (the answer starts normally, Content-Length and all, and the connection is dropped
//                50 ms after n bytes of body), or { body } (a 200 with these bytes instead of the file's)
//   clearLog()   empties `requests`
//   close()      stops the server and drops open connections

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { shardRepodata, type ShardedForm } from './sharded-repodata.ts';

export type InjectedFailure = number | 'reset' | { delayMs: number } | { truncateAfter: number } | { body: string | Uint8Array };

export interface ChannelServerOptions {
  root?: string;
  files?: Record<string, string | Uint8Array>;
  zstd?: boolean;
  token?: string;
  basicAuth?: { user: string; password: string };
  cacheControl?: string;
  ranges?: boolean;
  shards?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  filePath: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
}

export interface ChannelServer {
  url: string;
  requests: LoggedRequest[];
  failNext(path: string, failure: InjectedFailure, count?: number): void;
  clearLog(): void;
  close(): Promise<void>;
}

interface Found {
  body: () => Promise<Buffer>;
  mtime: Date;
  /** Identity of a file on disk (path, size, mtime): its ETag and compressed form are computed once. */
  version?: string;
}

/** One `bytes=a-b` / `bytes=a-` / `bytes=-n` range of a body of `size` bytes; undefined for what is not a single byte range (answered with the whole file). */
function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export async function startChannelServer(options: ChannelServerOptions = {}): Promise<ChannelServer> {
  const root = options.root === undefined ? undefined : resolve(options.root);
  const started = new Date(Math.floor(Date.now() / 1000) * 1000);
  const failures = new Map<string, InjectedFailure[]>();
  const requests: LoggedRequest[] = [];
  const zstMemo = new Map<string, Buffer>();
  const etagMemo = new Map<string, string>();

  async function lookup(filePath: string): Promise<Found | undefined> {
    const mem = options.files?.[filePath];
    if (mem !== undefined) return { body: async () => Buffer.from(mem), mtime: started };
    if (root === undefined) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(filePath);
    } catch {
      return undefined;
    }
    const full = resolve(join(root, decoded));
    if (full !== root && !full.startsWith(root + sep)) return undefined;
    try {
      const info = await stat(full);
      if (!info.isFile()) return undefined;
      return { body: () => readFile(full), mtime: info.mtime, version: `${full}\0${info.size}\0${info.mtimeMs}` };
    } catch {
      return undefined;
    }
  }

  const shardMemo = new Map<string | Uint8Array, ShardedForm>();

  /** The sharded form of the subdir folder `dir` (from its repodata.json), converted once per version of that file. */
  async function shardedForm(dir: string): Promise<{ form: ShardedForm; plain: Found } | undefined> {
    const plain = await lookup(`${dir}/repodata.json`);
    if (!plain) return undefined;
    // an in-memory file is its own key (a test may replace it); a file on disk is known by its version
    const key = options.files?.[`${dir}/repodata.json`] ?? plain.version;
    let form = key === undefined ? undefined : shardMemo.get(key);
    if (!form) {
      form = shardRepodata(JSON.parse((await plain.body()).toString('utf8')));
      if (key !== undefined) shardMemo.set(key, form);
    }
    return { form, plain };
  }

  async function findShardFile(filePath: string): Promise<Found | undefined> {
    const m = /^(.*)\/(?:(repodata_shards)|([0-9a-f]{64}))\.msgpack\.zst$/.exec(filePath);
    if (!m) return undefined;
    const sharded = await shardedForm(m[1]!);
    if (!sharded) return undefined;
    const bytes = m[2] ? sharded.form.index : sharded.form.shards.get(m[3]!);
    if (!bytes) return undefined;
    return { body: async () => bytes, mtime: sharded.plain.mtime, version: sharded.plain.version && `${sharded.plain.version}\0${m[2] ?? m[3]}` };
  }

  async function find(filePath: string): Promise<Found | undefined> {
    const direct = await lookup(filePath);
    if (!direct && options.shards && filePath.endsWith('.msgpack.zst')) return findShardFile(filePath);
    if (direct || !options.zstd || !filePath.endsWith('/repodata.json.zst')) return direct;
    const plain = await lookup(filePath.slice(0, -'.zst'.length));
    if (!plain) return undefined;
    const compressed = async (): Promise<Buffer> => {
      const key = plain.version ?? createHash('sha256').update(await plain.body()).digest('hex');
      let z = zstMemo.get(key);
      if (!z) zstMemo.set(key, (z = zstdCompressSync(await plain.body())));
      return z;
    };
    return { body: compressed, mtime: plain.mtime, version: plain.version && `${plain.version}\0zst` };
  }

  async function etagOf(found: Found): Promise<string> {
    const known = found.version === undefined ? undefined : etagMemo.get(found.version);
    if (known) return known;
    const etag = `"${createHash('sha256').update(await found.body()).digest('hex').slice(0, 32)}"`;
    if (found.version !== undefined) etagMemo.set(found.version, etag);
    return etag;
  }

  function authorized(req: IncomingMessage): boolean {
    if (!options.basicAuth) return true;
    const expected = 'Basic ' + Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString('base64');
    return req.headers.authorization === expected;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest): Promise<void> {
    const send = (status: number, headers: Record<string, string> = {}, body?: Buffer): void => {
      entry.status = status;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const injected = failures.get(entry.filePath)?.shift() ?? failures.get(entry.path)?.shift();
    if (injected !== undefined) {
      if (injected === 'reset') {
        entry.status = 0;
        req.socket.destroy();
        return;
      }
      if (typeof injected === 'number') return send(injected, { 'content-type': 'text/plain' }, Buffer.from(`injected ${injected}\n`));
      if ('delayMs' in injected) {
        await new Promise((r) => setTimeout(r, injected.delayMs).unref());
        if (res.destroyed || req.socket.destroyed) {
          entry.status = 0;
          return;
        }
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { allow: 'GET, HEAD' });
    if (options.token !== undefined && !entry.path.startsWith(`/t/${options.token}/`)) return send(401, {}, Buffer.from('bad token\n'));
    if (!authorized(req)) return send(401, { 'www-authenticate': 'Basic realm="channel"' }, Buffer.from('unauthorized\n'));
    const found = await find(entry.filePath);
    if (!found) return send(404, { 'content-type': 'text/plain' }, Buffer.from('not found\n'));
    const etag = await etagOf(found);
    const lastModified = found.mtime.toUTCString();
    const headers: Record<string, string> = { etag, 'last-modified': lastModified };
    if (options.cacheControl) headers['cache-control'] = options.cacheControl;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified =
      inm !== undefined
        ? inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')
        : ims !== undefined && !Number.isNaN(Date.parse(ims)) && Math.floor(found.mtime.getTime() / 1000) <= Date.parse(ims) / 1000;
    if (notModified) return send(304, headers);
    headers['content-type'] = entry.filePath.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    let body = await found.body();
    if (typeof injected === 'object' && 'body' in injected) body = Buffer.from(injected.body);
    let status = 200;
    if (options.ranges) {
      headers['accept-ranges'] = 'bytes';
      const ifRange = req.headers['if-range'];
      const range = req.headers.range === undefined || (ifRange !== undefined && ifRange !== etag && ifRange !== lastModified) ? undefined : parseRange(req.headers.range, body.length);
      if (range === 'unsatisfiable') return send(416, { 'content-range': `bytes */${body.length}` });
      if (range !== undefined) {
        status = 206;
        headers['content-range'] = `bytes ${range.start}-${range.end}/${body.length}`;
        body = body.subarray(range.start, range.end + 1);
      }
    }
    headers['content-length'] = String(body.length);
    if (typeof injected === 'object' && 'truncateAfter' in injected && req.method === 'GET') {
      entry.status = status;
      res.writeHead(status, headers);
      // a moment before dropping the connection, so the client has taken in what was sent
      res.write(body.subarray(0, injected.truncateAfter), () => setTimeout(() => req.socket.destroy(), 50).unref());
      return;
    }
    send(status, headers, body);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const filePath = options.token !== undefined && path.startsWith(`/t/${options.token}/`) ? path.slice(`/t/${options.token}`.length) : path;
    const entry: LoggedRequest = { method: req.method ?? 'GET', path, filePath, headers: { ...req.headers }, status: 0 };
    requests.push(entry);
    handle(req, res, entry).catch((error: unknown) => {
      entry.status = 500;
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(path, failure, count = 1) {
      const list = failures.get(path) ?? [];
      for (let i = 0; i < count; i++) list.push(failure);
      failures.set(path, list);
    },
    clearLog() {
      requests.length = 0;
    },
    close() {
      return new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
    },
  };
}
