// The solver's solve cases (../shared/conformance/solve-cases.json, run by test/solve/solve-cases.ts)
// served over HTTP by the test channel server, for tests that compare two ways of getting the same
// repodata (full vs sharded, downloaded vs read in place from the cache): each case's channel data
// as repodata.json files, the resolved channels, and what the case's check and solve give over a
// set of fetched subdirs.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SubdirRepodata } from '../../core/channel/repodata-source.ts';
import { resolveChannels, type ResolvedChannel } from '../../core/channel/resolve.ts';
import type { IndexSource } from '../../core/index/package-index.ts';
import { checkCase, loadCase, runCase, type CaseRun, type SolveCase, type SourceTransform } from '../solve/solve-cases.ts';
import { DEVIATIONS } from '../solve/solve-deviations.ts';

export const SOLVE_CASES_FILE = new URL('../../../shared/conformance/solve-cases.json', import.meta.url);

/** Channel data of a case: every source but the machine's virtual packages and installed records. */
const isChannelData = (s: IndexSource) => s.channel !== '@' && s.channel !== 'installed';

function repodataOf(source: IndexSource): string {
  const packages: Record<string, unknown> = {};
  const conda: Record<string, unknown> = {};
  for (const [fn, raw] of source.entries as [string, unknown][]) (fn.endsWith('.conda') ? conda : packages)[fn] = raw;
  return JSON.stringify({ info: { subdir: 'linux-64' }, packages, 'packages.conda': conda });
}

export interface Outcome {
  check: string | undefined;
  run: Pick<CaseRun, 'ok' | 'chosen' | 'link' | 'unlink'> | string;
}

/** What the case's check and solve give (errors as text, so two ways compare as JSON). */
export function outcomeOf(c: SolveCase, transform: SourceTransform): Outcome {
  let check: string | undefined;
  let run: Outcome['run'];
  try {
    check = checkCase(c, transform);
  } catch (e) {
    check = `threw: ${(e as Error).message}`;
  }
  try {
    const r = runCase(c, transform);
    run = { ok: r.ok, chosen: [...r.chosen].sort(), link: [...r.link].sort(), unlink: [...r.unlink].sort() };
  } catch (e) {
    run = `threw: ${(e as Error).message}`;
  }
  return { check, run };
}

export interface ServedCase {
  /** The case, with the documented deviations' expectations applied. */
  case: SolveCase;
  /** The URLs its channels are served at (one per channel source). */
  urls: string[];
  channels: ResolvedChannel[];
  /** The case's index sources with the channel data taken from fetched subdirs (their linux-64 ones, in order). */
  transformFor(subdirs: readonly SubdirRepodata[]): SourceTransform;
}

/**
 * Every case with channel data, its channels put into `files` (the channel server's in-memory
 * files) under `serverUrl`. Cases whose index cannot be loaded are left out (solve-cases.test.ts
 * reports them).
 */
export function* servedSolveCases(files: Record<string, string>, serverUrl: string): Generator<ServedCase> {
  const cases = JSON.parse(readFileSync(SOLVE_CASES_FILE, 'utf8')) as SolveCase[];
  for (const c0 of cases) {
    const deviation = DEVIATIONS.get(c0.id);
    const c = deviation ? { ...c0, ...deviation.expect } : c0;
    let sources: IndexSource[] = [];
    try {
      loadCase(c, (s) => (sources = s));
    } catch {
      continue;
    }
    const channelSources = sources.filter(isChannelData);
    if (channelSources.length === 0) continue; // no channel data to serve
    const urls = channelSources.map((s, i) => {
      const body = repodataOf(s);
      const key = createHash('sha256').update(body).digest('hex').slice(0, 16);
      files[`/s${i}/${key}/linux-64/repodata.json`] = body;
      files[`/s${i}/${key}/noarch/repodata.json`] = '{"packages": {}}';
      return `${serverUrl}/s${i}/${key}`;
    });
    const channels = resolveChannels({ platform: 'linux-64', channels: urls, overrideChannels: true, env: {} }).channels;
    const transformFor = (subdirs: readonly SubdirRepodata[]): SourceTransform => (all) => {
      const linux = subdirs.filter((s) => s.subdir === 'linux-64');
      let at = 0;
      return all.map((s) => (isChannelData(s) ? { ...s, entries: linux[at++]!.packages } : s));
    };
    yield { case: c, urls, channels, transformFor };
  }
}
