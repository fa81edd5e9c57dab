// The artifact service of GitHub Actions (twirp, v4 artifacts, as @actions/artifact 2+ speaks it), for
// actions-cache-server.ts: CreateArtifact hands out a signed upload URL on the same server's blob
// store, FinalizeArtifact records the uploaded bytes (a zip, unless uploaded with skipArchive) under
// the artifact's name. ListArtifacts answers what was finalized.

import type { ServerResponse } from 'node:http';

export interface UploadedArtifact {
  id: number;
  name: string;
  size: number;
  bytes: Buffer;
  hash: string | undefined;
}

interface Context {
  url: string;
  blobs: Map<string, Buffer>;
  artifacts: UploadedArtifact[];
}

/** Answers one ArtifactService method; `request` is the twirp JSON body. */
export function handleArtifactRequest(method: string, request: unknown, res: ServerResponse, ctx: Context): void {
  const r = request as Record<string, unknown>;
  const name = String(r.name ?? '');
  const reply = (body: unknown, status = 200) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  switch (method) {
    case 'CreateArtifact':
      if (ctx.artifacts.some((a) => a.name === name)) return reply({ code: 'already_exists', msg: `an artifact named ${name} exists` }, 409);
      return reply({ ok: true, signed_upload_url: `${ctx.url}/blob/artifact-${encodeURIComponent(name)}?sig=write` });
    case 'FinalizeArtifact': {
      const bytes = ctx.blobs.get(`artifact-${encodeURIComponent(name)}`);
      if (bytes === undefined) return reply({ ok: false });
      const id = ctx.artifacts.length + 1;
      const hash = r.hash as string | { value: string } | undefined;
      ctx.artifacts.push({ id, name, size: Number(r.size ?? bytes.length), bytes, hash: typeof hash === 'string' ? hash : hash?.value });
      return reply({ ok: true, artifact_id: String(id) });
    }
    case 'ListArtifacts':
      return reply({ artifacts: ctx.artifacts.map((a) => ({ name: a.name, database_id: String(a.id), size: String(a.size) })) });
    default:
      return reply({ code: 'bad_route', msg: `no method ${method}` }, 404);
  }
}
