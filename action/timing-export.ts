// The timing export of a run: the timing document (JSON, core/timing/SCHEMA.md) and the same spans
// in Chrome trace format (open in https://ui.perfetto.dev), written to a folder (output
// `timings-path`) and uploaded as an artifact (input `timing-artifact`): by artifact-upload.ts, or
// @actions/artifact where that does not apply.

import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { toChromeTrace } from '../core/timing/chrome-trace.ts';
import type { TimingDocument } from '../core/timing/schema.ts';
import type { Dispatcher } from 'undici';
import type { StoreLog } from './actions-cache-store.ts';
import { artifactService, uploadArtifact } from './artifact-upload.ts';

export const TIMINGS_FILE = 'env-setup-timings.json';
export const TRACE_FILE = 'env-setup-trace.json';

/** Writes both files into `dir`; returns their paths. */
export function writeTimingFiles(dir: string, doc: TimingDocument, extra: Record<string, unknown>): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, TIMINGS_FILE), join(dir, TRACE_FILE)];
  writeFileSync(files[0]!, `${JSON.stringify({ ...doc, action: extra }, null, 2)}\n`);
  writeFileSync(files[1]!, JSON.stringify(toChromeTrace(doc, 'env-setup action')));
  return files;
}

/** 7 days, or the repository's shorter limit (GITHUB_RETENTION_DAYS), as @actions/artifact caps it. */
export function retentionDays(env: NodeJS.ProcessEnv): number {
  const limit = Number(env.GITHUB_RETENTION_DAYS);
  return Number.isInteger(limit) && limit > 0 ? Math.min(7, limit) : 7;
}

/** Uploads the files as the artifact `name` (kept 7 days, or less where the repository says so); a failure is a warning. */
export async function uploadTimingArtifact(name: string, dir: string, files: string[], log: StoreLog, env: NodeJS.ProcessEnv = process.env, dispatcher?: Dispatcher): Promise<number | undefined> {
  try {
    const service = artifactService(env);
    if (service !== undefined) {
      return await uploadArtifact(service, name, files.map((f) => ({ name: relative(dir, f).split(sep).join('/'), data: readFileSync(f), mtime: statSync(f).mtime })), { retentionDays: retentionDays(env) }, dispatcher);
    }
    // loaded here, not at the top: @actions/artifact and its zip and glob libraries take a while to
    // load; only a runner without v4 artifacts through our client (artifact-upload.ts) gets here
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const client = new DefaultArtifactClient();
    const result = await client.uploadArtifact(name, files, dir, { retentionDays: retentionDays(env) });
    return result.id;
  } catch (e) {
    log.warning(`uploading the timing artifact '${name}' failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
