// One measured solve in its own process, so peak memory belongs to that solve alone.
// Usage: node bench/solve-run.ts <ours|rattler> <channel url> <cache dir> <specs as JSON> [virtual channel url]
// Prints one JSON line: { ms, packages, maxRssMB } or { error }.

import { createRequire } from 'node:module';
import { solveEnvironment } from '../core/solve/solve-environment.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { peakRssMB } from './peak-rss.ts';

const [who, url, cacheDir, specsJson, virtualUrl] = process.argv.slice(2);
const specs = JSON.parse(specsJson!) as string[];

async function main(): Promise<void> {
  const t0 = performance.now();
  let packages: number;
  if (who === 'ours') {
    const env = { HOME: cacheDir!, ENV_SETUP_CACHE_DIR: cacheDir!, CONDA_OVERRIDE_GLIBC: '2.17', CONDA_OVERRIDE_CUDA: '', CONDARC: '' };
    const out = await solveEnvironment({ specs: specs.map((s) => MatchSpec.parse(s)), channels: [url!], overrideChannels: true, platform: 'linux-64', cacheDir, env });
    if (!out.ok) throw new Error(out.explanation.text);
    packages = out.packages.length;
  } else {
    const rattler = createRequire(import.meta.url)('@conda-org/rattler') as {
      simpleSolve(specs: string[], channels: string[], platforms: string[], locked: unknown): Promise<unknown[]>;
    };
    const solved = await rattler.simpleSolve(specs, [url!, virtualUrl!], ['linux-64', 'noarch'], undefined);
    packages = solved.length;
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, packages, maxRssMB: peakRssMB() }));
}

main().catch((e: unknown) => {
  console.log(JSON.stringify({ error: String((e as Error).message ?? e).slice(0, 400) }));
});
