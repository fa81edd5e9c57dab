// The GitHub Actions services the action talks to, on 127.0.0.1 at a random port, for tests and the
// benchmark: the cache service in both protocols @actions/cache speaks, a blob store for the signed
// URLs, and the artifact service of @actions/artifact (actions-artifact-service.ts).
//
//   const services = await startActionsServices();
//   env: ACTIONS_CACHE_URL = services.url + '/'                        (cache protocol v1, REST)
//        ACTIONS_CACHE_SERVICE_V2 = 'true', ACTIONS_RESULTS_URL = services.url + '/'   (v2, twirp)
//        ACTIONS_RUNTIME_TOKEN = services.token                        (a JWT with the Actions.Results scope)
//   services.entries (key, version, bytes, created), services.artifacts, services.requests;
//   services.failing (503 for every cache request), services.rejectWrites (every reservation refused),
//   services.cutDownloads (downloads of entries with this key prefix dropped half way: every GET,
//   a resumed one too, stops at the blob's middle), services.cutDownloadsOnce (the same for the
//   next such GET only: a resumed download then completes)
//
// v1: GET  /_apis/artifactcache/cache?keys=a,b&version=V   → 200 {cacheKey, archiveLocation} | 204
//     POST /_apis/artifactcache/caches {key, version}       → {cacheId} | 409 when the key exists
//     PATCH /_apis/artifactcache/caches/:id (Content-Range)  → 204;  POST …/caches/:id {size} → 204
// v2: POST /twirp/github.actions.results.api.v1.CacheService/{GetCacheEntryDownloadURL,
//     CreateCacheEntry, FinalizeCacheEntryUpload}, uploads to /blob/… as Azure block blobs do
//     (one PUT, or PUT ?comp=block + PUT ?comp=blocklist); a blob GET may ask for `Range: bytes=N-`
//     (206, with an ETag to send back in If-Range).
// Cache requests must carry the runtime token as a bearer token (401 otherwise); a twirp error body is
// {code, msg} as twirp clients read it. FinalizeCacheEntryUpload checks size_bytes against the upload.
// Key matching as GitHub documents it: each key in order, exact match first, then the newest entry
// whose key starts with it; only entries of the same version. Entries are immutable: creating an
// existing key fails (409 / ok:false), as "unable to reserve cache" does.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleArtifactRequest, type UploadedArtifact } from './actions-artifact-service.ts';

export interface CacheServiceEntry {
  key: string;
  version: string;
  bytes: Buffer;
  created: number;
}

export interface ActionsServices {
  url: string;
  /** ACTIONS_RUNTIME_TOKEN: an unsigned JWT whose `scp` names a workflow run and job. */
  token: string;
  entries: CacheServiceEntry[];
  artifacts: UploadedArtifact[];
  /** Method and path of every request, in order. */
  requests: string[];
  /** Answer every cache request with 503 while true (the service is down). */
  failing: boolean;
  /** Refuse every new entry while true, at once, as a failed reservation does (v1: 409; v2: ok false); lookups and downloads still work. */
  rejectWrites: boolean;
  /** Downloads (v2) of entries whose key starts with this break off half way: the connection is dropped at the blob's middle, on every GET. */
  cutDownloads: string | undefined;
  /** As cutDownloads, for the next such GET only. */
  cutDownloadsOnce: string | undefined;
  close(): Promise<void>;
}

interface Pending {
  key: string;
  version: string;
  chunks: { start: number; data: Buffer }[];
}

export async function startActionsServices(): Promise<ActionsServices> {
  const entries: CacheServiceEntry[] = [];
  const pending = new Map<number, Pending>();
  const blobs = new Map<string, Buffer>();
  /** The entry key of each download blob (e<n>). */
  const blobKeys = new Map<string, string>();
  const blocks = new Map<string, Map<string, Buffer>>();
  let nextId = 1;
  let url = '';
  const services: ActionsServices = {
    url: '',
    token: runtimeToken(),
    entries,
    artifacts: [],
    requests: [],
    failing: false,
    rejectWrites: false,
    cutDownloads: undefined,
    cutDownloadsOnce: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const match = (keys: string[], version: string): CacheServiceEntry | undefined => {
    const same = entries.filter((e) => e.version === version);
    for (const key of keys) {
      const exact = same.find((e) => e.key === key);
      if (exact) return exact;
      const prefixed = same.filter((e) => e.key.startsWith(key)).sort((a, b) => b.created - a.created)[0];
      if (prefixed) return prefixed;
    }
    return undefined;
  };
  const commit = (key: string, version: string, bytes: Buffer) => {
    // keep created strictly increasing, so "newest" is well defined even within a millisecond
    const last = entries.at(-1)?.created ?? 0;
    entries.push({ key, version, bytes, created: Math.max(Date.now(), last + 1) });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      services.requests.push(`${req.method} ${req.url}`);
      try {
        route(req, res, body);
      } catch (e) {
        send(res, 500, { message: e instanceof Error ? e.message : String(e) });
      }
    });
  });

  const route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = u.pathname;
    if (path.startsWith('/twirp/github.actions.results.api.v1.ArtifactService/')) {
      return handleArtifactRequest(path.split('/').pop()!, json(body), res, { url, blobs, artifacts: services.artifacts });
    }
    if (path.startsWith('/blob/')) return blob(req, res, u, body);
    const twirp = /^\/twirp\/github\.actions\.results\.api\.v1\.CacheService\/(\w+)$/.exec(path);
    // twirp errors carry {code, msg}, which the v2 client reads; the v1 REST routes answer {message}
    const fail = (status: number, code: string, msg: string) => send(res, status, twirp ? { code, msg } : { message: msg });
    if (services.failing) return fail(503, 'unavailable', 'service unavailable');
    if (req.headers.authorization !== `Bearer ${services.token}`) return fail(401, 'unauthenticated', 'the runtime token (ACTIONS_RUNTIME_TOKEN) is missing or wrong');

    // v1
    if (req.method === 'GET' && path === '/_apis/artifactcache/cache') {
      const found = match((u.searchParams.get('keys') ?? '').split(','), u.searchParams.get('version') ?? '');
      if (found === undefined) return send(res, 204);
      const id = `e${entries.indexOf(found)}`;
      blobs.set(id, found.bytes);
      return send(res, 200, { cacheKey: found.key, scope: 'refs/heads/main', creationTime: new Date(found.created).toISOString(), archiveLocation: `${url}/blob/${id}` });
    }
    if (req.method === 'GET' && path === '/_apis/artifactcache/caches') return send(res, 200, { totalCount: 0, artifactCaches: [] });
    if (req.method === 'POST' && path === '/_apis/artifactcache/caches') {
      const { key, version } = json(body) as { key: string; version: string };
      if (services.rejectWrites) return send(res, 409, { message: `cannot reserve ${key}: writes are refused` });
      if (entries.some((e) => e.key === key && e.version === version) || [...pending.values()].some((p) => p.key === key && p.version === version)) {
        return send(res, 409, { message: `Cache already exists. Scope: refs/heads/main, Key: ${key}, Version: ${version}` });
      }
      const id = nextId++;
      pending.set(id, { key, version, chunks: [] });
      return send(res, 201, { cacheId: id });
    }
    const byId = /^\/_apis\/artifactcache\/caches\/(\d+)$/.exec(path);
    if (byId) {
      const p = pending.get(Number(byId[1]));
      if (p === undefined) return send(res, 404, { message: 'no such cache' });
      if (req.method === 'PATCH') {
        const range = /bytes (\d+)-(\d+)/.exec(String(req.headers['content-range']));
        p.chunks.push({ start: Number(range?.[1] ?? 0), data: body });
        return send(res, 204);
      }
      const { size } = json(body) as { size: number };
      const bytes = Buffer.concat(p.chunks.sort((a, b) => a.start - b.start).map((c) => c.data));
      pending.delete(Number(byId[1]));
      if (bytes.length !== size) return send(res, 400, { message: `size ${size} does not match the ${bytes.length} bytes uploaded` });
      commit(p.key, p.version, bytes);
      return send(res, 204);
    }

    // v2
    if (twirp) {
      const r = json(body) as Record<string, unknown>;
      const version = String(r.version ?? '');
      const key = String(r.key ?? '');
      switch (twirp[1]) {
        case 'GetCacheEntryDownloadURL': {
          const restoreKeys = (r.restore_keys ?? r.restoreKeys ?? []) as string[];
          const found = match([key, ...restoreKeys], version);
          if (found === undefined) return send(res, 200, { ok: false });
          const id = `e${entries.indexOf(found)}`;
          blobs.set(id, found.bytes);
          blobKeys.set(id, found.key);
          return send(res, 200, { ok: true, signed_download_url: `${url}/blob/${id}?sig=read`, matched_key: found.key });
        }
        case 'CreateCacheEntry': {
          if (services.rejectWrites) return send(res, 200, { ok: false, message: `cannot reserve ${key}: writes are refused` });
          if (entries.some((e) => e.key === key && e.version === version)) return send(res, 200, { ok: false, message: `cache entry ${key} already exists` });
          const id = `u${nextId++}`;
          return send(res, 200, { ok: true, signed_upload_url: `${url}/blob/${id}?sig=write&key=${encodeURIComponent(key)}&version=${version}` });
        }
        case 'FinalizeCacheEntryUpload': {
          const uploaded = [...blobs.entries()].find(([id]) => id.startsWith(`u:${key}:${version}`));
          if (uploaded === undefined) return send(res, 200, { ok: false, message: 'nothing was uploaded' });
          blobs.delete(uploaded[0]);
          const size = Number(r.size_bytes ?? r.sizeBytes);
          if (size !== uploaded[1].length) return send(res, 200, { ok: false, message: `size ${size} does not match the ${uploaded[1].length} bytes uploaded` });
          commit(key, version, uploaded[1]);
          return send(res, 200, { ok: true, entry_id: String(entries.length) });
        }
      }
    }
    send(res, 404, { message: `no route for ${req.method} ${path}` });
  };

  /** Azure block blob semantics, just enough for @azure/storage-blob's uploadFile and uploadStream. */
  const blob = (req: IncomingMessage, res: ServerResponse, u: URL, body: Buffer) => {
    const name = u.pathname.slice('/blob/'.length);
    // a cache upload is stored under its key and version, so FinalizeCacheEntryUpload finds it
    const id = u.searchParams.get('key') !== null ? `u:${u.searchParams.get('key')}:${u.searchParams.get('version')}` : name;
    if (req.method === 'GET' || req.method === 'HEAD') {
      const data = blobs.get(name);
      if (data === undefined) return send(res, 404, { message: 'no such blob' });
      const etag = `"${name}"`;
      const asked = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const from = asked !== null && req.headers['if-range'] === etag ? Number(asked[1]) : 0;
      if (from >= data.length && from > 0) return send(res, 416);
      res.writeHead(from > 0 ? 206 : 200, { 'content-length': data.length - from, 'content-type': 'application/octet-stream', etag, ...(from > 0 ? { 'content-range': `bytes ${from}-${data.length - 1}/${data.length}` } : {}) });
      const key = blobKeys.get(name);
      const once = services.cutDownloadsOnce !== undefined && key?.startsWith(services.cutDownloadsOnce) === true;
      if (req.method === 'GET' && key !== undefined && (once || (services.cutDownloads !== undefined && key.startsWith(services.cutDownloads)))) {
        if (once) services.cutDownloadsOnce = undefined;
        res.write(data.subarray(from, Math.max(from, data.length >> 1)), () => setTimeout(() => res.destroy(), 20));
        return;
      }
      if (from > 0) return res.end(req.method === 'HEAD' ? undefined : data.subarray(from));
      return res.end(req.method === 'HEAD' ? undefined : data);
    }
    if (req.method !== 'PUT') return send(res, 405);
    const comp = u.searchParams.get('comp');
    const azure = { 'x-ms-request-id': '1', 'x-ms-version': '2024-11-04', etag: '"1"', 'last-modified': new Date().toUTCString() };
    if (comp === 'block') {
      const staged = blocks.get(id) ?? new Map<string, Buffer>();
      staged.set(u.searchParams.get('blockid') ?? '', body);
      blocks.set(id, staged);
      res.writeHead(201, azure);
      return res.end();
    }
    if (comp === 'blocklist') {
      const staged = blocks.get(id) ?? new Map<string, Buffer>();
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1]!);
      blobs.set(id, Buffer.concat(ids.map((b) => staged.get(b) ?? Buffer.alloc(0))));
      blocks.delete(id);
      res.writeHead(201, azure);
      return res.end();
    }
    blobs.set(id, body);
    res.writeHead(201, azure);
    res.end();
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  services.url = url;
  return services;
}

function json(body: Buffer): unknown {
  return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** An unsigned JWT as the runner hands out: @actions/artifact reads the run and job ids from its `scp`. */
function runtimeToken(): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ scp: 'Actions.GenericRead Actions.Results:11111111-2222-3333-4444-555555555555:66666666-7777-8888-9999-000000000000', exp: 4102444800 })}.sig`;
}
