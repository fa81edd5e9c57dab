// One measured solve for `npm run bench -- shards`, in its own process so peak memory is its own.
// Usage: node bench/shards-run.ts ours <channel url> <cache dir> <specs as JSON>
//        node bench/shards-run.ts rattler <channel url> <cache dir> <specs as JSON> <virtual channel url>
// Prints one JSON line: { ms, packages, maxRssMB, downloadBytes, shardsFetched, shardCacheHits } or { error }.
// Peak RSS is VmHWM from /proc/self/status where there is one: getrusage's maxrss of a child
// starts at its parent's peak (Linux keeps it across fork and exec), and the bench's parent has
// held a whole repodata.json while writing the sharded form.

import { createRequire } from 'node:module';
import { solveEnvironment } from '../core/solve/solve-environment.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { Tracer } from '../core/timing/index.ts';
import { peakRssMB } from './peak-rss.ts';

const [who, url, cacheDir, specsJson, virtualUrl] = process.argv.slice(2);

async function rattler(): Promise<void> {
  const lib = createRequire(import.meta.url)('@conda-org/rattler') as {
    simpleSolve(specs: string[], channels: string[], platforms: string[], locked: unknown): Promise<unknown[]>;
  };
  const t0 = performance.now();
  const solved = await lib.simpleSolve(JSON.parse(specsJson!) as string[], [url!, virtualUrl!], ['linux-64', 'noarch'], undefined);
  console.log(JSON.stringify({ ms: performance.now() - t0, packages: solved.length, maxRssMB: peakRssMB() }));
}

async function main(): Promise<void> {
  if (who === 'rattler') return rattler();
  const specs = (JSON.parse(specsJson!) as string[]).map((s) => MatchSpec.parse(s));
  const tracer = new Tracer();
  const env = { HOME: cacheDir!, ENV_SETUP_CACHE_DIR: cacheDir!, CONDA_OVERRIDE_GLIBC: '2.17', CONDA_OVERRIDE_CUDA: '', CONDARC: '' };
  const t0 = performance.now();
  const out = await solveEnvironment({ specs, channels: [url!], overrideChannels: true, platform: 'linux-64', cacheDir, env, tracer });
  const ms = performance.now() - t0;
  if (!out.ok) throw new Error(out.explanation.text);
  const counters = tracer.toJSON().counters;
  console.log(JSON.stringify({
    ms,
    packages: out.packages.length,
    maxRssMB: peakRssMB(),
    downloadBytes: counters['download.bytes'] ?? 0,
    shardsFetched: counters['shards.fetched'] ?? 0,
    shardCacheHits: counters['shards.cache.hits'] ?? 0,
  }));
}

main().catch((e: unknown) => {
  console.log(JSON.stringify({ error: String((e as Error).message ?? e).slice(0, 400) }));
});
