// One measured install in its own process (for bench/install.ts), so that peak memory and CPU time
// belong to that install alone: the records are read from the channel's repodata.json over HTTP,
// then installPackages runs as `env-setup create` runs it: fetch (download, verify, extract into
// the package cache, or nothing when the cache has them; a cached package's files checked while
// they are linked), then the transaction (link into a fresh prefix, conda-meta), whose start
// (`onFetched`) splits the time into fetch and link. noarch: python sources are not byte-compiled
// (the generated python cannot run), as with `--no-compile`. As in `env-setup create`, V8's young
// generation is kept small (core/install/young-generation.ts), the file-system worker is started
// first, and installPackages pauses TurboFan while linking on a machine with two CPUs
// (core/install/turbofan-pause.ts).
//
// Usage: node bench/install-run.ts <channel url> <pkgs dir> <prefix> <names as JSON, link order> [timing.json]
// Prints one JSON line: { ms, fetchMs, linkMs, cpuMs, userMs, systemMs, pageFaults, mainBusy, maxRssMB, sources, counts,
// warnings, spans } or { error }; the CPU figures and page faults (minor: memory first touched) cover
// the install alone, every thread of the process.

import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { fsBatchPool } from '../core/install/fs-batch.ts';
import { declareOneShotProcess } from '../core/install/one-shot-process.ts';
import { installPackages } from '../core/install/install-packages.ts';
import { summarize } from '../core/timing/summary.ts';
import { Tracer } from '../core/timing/tracer.ts';
import { peakRssMB } from './peak-rss.ts';

const [url, pkgsDir, prefix, namesJson, timingOut] = process.argv.slice(2);

/**
 * A GET over node:http, whose parser is native. Not `fetch`: its parser (undici's llhttp) is WASM,
 * and V8 tiers that code up on its compiler threads for up to a second after the first response,
 * all inside the measured install: 4,800 of a warm install's 11,200 page faults were that
 * compiler's (bench/RESULTS.md, session 37). `env-setup create` with a cached spec file reads no
 * repodata before installing, and a warm install downloads nothing. Reading the channel this way
 * is also quicker, so the file-system workers' start now overlaps the install's first ~100 ms, as
 * it does in that `create`.
 */
function httpText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  // as the CLI and createEnvironment do: V8 tuned for a one-shot process, then the file-system
  // worker started before the solve (here: before the channel is read)
  declareOneShotProcess();
  fsBatchPool().warm();
  const names = JSON.parse(namesJson!) as string[];
  const byName = new Map<string, Record<string, unknown>>();
  for (const subdir of ['linux-64', 'noarch']) {
    const repodata = JSON.parse(await httpText(`${url}/${subdir}/repodata.json`)) as { 'packages.conda': Record<string, Record<string, unknown>> };
    for (const [fn, record] of Object.entries(repodata['packages.conda'])) byName.set(String(record.name), { ...record, fn, url: `${url}/${subdir}/${fn}`, channel: url });
  }
  const records = names.map((n) => byName.get(n)!);
  const tracer = new Tracer();
  const cpu0 = process.cpuUsage();
  const faults0 = process.resourceUsage().minorPageFault;
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  let t1 = 0;
  let elu1 = elu0;
  const { result, fetched } = await installPackages({
    prefix: prefix!,
    link: records,
    unlink: [],
    pkgsDir,
    tracer,
    onFetched: () => {
      t1 = performance.now();
      elu1 = performance.eventLoopUtilization();
    },
    transaction: { requestedSpecs: new Map(names.map((n) => [n, n])), history: { cmd: 'bench/install-run.ts', updateSpecs: names }, compile: false },
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const pageFaults = process.resourceUsage().minorPageFault - faults0;
  // how busy the main thread was (the rest of the CPU time is worker and libuv threads)
  const mainBusy = { fetch: performance.eventLoopUtilization(elu1, elu0).utilization, link: performance.eventLoopUtilization(elu1).utilization };
  const doc = tracer.toJSON();
  if (timingOut) writeFileSync(timingOut, JSON.stringify(doc));
  const spans = Object.fromEntries(summarize(doc).map((s) => [s.name, { count: s.count, totalMs: Math.round(s.totalMs), selfMs: Math.round(s.selfMs) }]));
  console.log(
    JSON.stringify({
      ms: t2 - t0,
      fetchMs: t1 - t0,
      linkMs: t2 - t1,
      cpuMs: (cpu.user + cpu.system) / 1000,
      userMs: cpu.user / 1000,
      systemMs: cpu.system / 1000,
      pageFaults,
      mainBusy,
      maxRssMB: peakRssMB(),
      sources: fetched.reduce<Record<string, number>>((m, f) => ((m[f.source] = (m[f.source] ?? 0) + 1), m), {}),
      counts: result.counts,
      warnings: result.warnings.length,
      spans,
    }),
  );
}

main().catch((e: unknown) => {
  console.log(JSON.stringify({ error: String((e as Error).stack ?? e).slice(0, 1500) }));
});
