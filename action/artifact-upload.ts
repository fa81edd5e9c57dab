// Uploads the timing export as a v4 artifact (the artifact service of the results service,
// results-twirp.ts), ours instead of @actions/artifact's: CreateArtifact, one PUT of a zip of the
// files to the signed URL (Azure's Put Blob), FinalizeArtifact with its size and SHA-256 — what
// @actions/artifact does for an upload this small. Loading @actions/artifact (3 MB with its zip,
// glob and Azure libraries) took about 0.25 s of every run for two small JSON files. Where v4
// artifacts do not apply (GitHub Enterprise Server, a token without the results scope)
// `artifactService` answers undefined and the caller uses @actions/artifact, which says why.

import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { isGhes, putBlob, ResultsServiceError, twirp, type ResultsService } from './results-twirp.ts';
import { zipFiles, type ZipFile } from './zip-writer.ts';

export interface ArtifactService extends ResultsService {
  /** From the runtime token's `Actions.Results:<run>:<job>` scope. */
  runId: string;
  jobId: string;
}

/** The artifact service of this job, or undefined where @actions/artifact is to be used (see the header). */
export function artifactService(env: NodeJS.ProcessEnv): ArtifactService | undefined {
  const url = env.ACTIONS_RESULTS_URL;
  const token = env.ACTIONS_RUNTIME_TOKEN;
  if (!url || !token || isGhes(env)) return undefined;
  const ids = backendIds(token);
  if (ids === undefined) return undefined;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  return { url: `${origin}/`, token, ...ids };
}

/** The run and job ids in the token's `scp` claim (a JWT; its signature is the service's to check). */
function backendIds(token: string): { runId: string; jobId: string } | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scp?: unknown };
    if (typeof payload.scp !== 'string') return undefined;
    for (const scope of payload.scp.split(' ')) {
      const parts = scope.split(':');
      if (parts[0] === 'Actions.Results' && parts.length === 3 && parts[1] && parts[2]) return { runId: parts[1], jobId: parts[2] };
    }
  } catch {
    // not a JWT
  }
  return undefined;
}

/** Uploads `files` zipped as the artifact `name`, kept `retentionDays`; its id. A ResultsServiceError when the service refuses or fails. */
export async function uploadArtifact(service: ArtifactService, name: string, files: readonly ZipFile[], options: { retentionDays?: number; now?: number } = {}, dispatcher?: Dispatcher): Promise<number> {
  const ids = { workflow_run_backend_id: service.runId, workflow_job_run_backend_id: service.jobId, name };
  const create: Record<string, unknown> = { ...ids, mime_type: 'application/zip', version: 7 };
  if (options.retentionDays !== undefined) create.expires_at = new Date((options.now ?? Date.now()) + options.retentionDays * 86_400_000).toISOString();
  const created = await twirp(service, 'ArtifactService/CreateArtifact', create, dispatcher);
  if (!created.ok || typeof created.signed_upload_url !== 'string') throw new ResultsServiceError('the artifact service did not accept the artifact (CreateArtifact was not ok)');
  const zip = zipFiles(files);
  await putBlob(created.signed_upload_url, zip, 'application/zip', 'the artifact', dispatcher);
  const finalized = await twirp(service, 'ArtifactService/FinalizeArtifact', { ...ids, size: String(zip.length), hash: `sha256:${createHash('sha256').update(zip).digest('hex')}` }, dispatcher);
  if (!finalized.ok) throw new ResultsServiceError('the artifact service did not finish the artifact (FinalizeArtifact was not ok)');
  const id = Number(finalized.artifact_id);
  if (!Number.isSafeInteger(id)) throw new ResultsServiceError('the artifact service answered without an artifact id');
  return id;
}
