// The timing export of a run: the timing document (JSON, core/timing/SCHEMA.md) and the same spans
// in Chrome trace format (open in https://ui.perfetto.dev), written to a folder (output
// `timings-path`) and uploaded as an artifact with @actions/artifact (input `timing-artifact`).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toChromeTrace } from '../core/timing/chrome-trace.ts';
import type { TimingDocument } from '../core/timing/schema.ts';
import type { StoreLog } from './actions-cache-store.ts';

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

/** Uploads the files as the artifact `name`; a failure is a warning. */
export async function uploadTimingArtifact(name: string, dir: string, files: string[], log: StoreLog): Promise<number | undefined> {
  try {
    // loaded here, not at the top: @actions/artifact and its zip and glob libraries take a while to
    // load, and a run with timing-artifact empty (or one that fails earlier) never needs them
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const client = new DefaultArtifactClient();
    const result = await client.uploadArtifact(name, files, dir, { retentionDays: 7 });
    return result.id;
  } catch (e) {
    log.warning(`uploading the timing artifact '${name}' failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
