// `npm run bench -- action`: the whole GitHub Action — the bundles (action/main.ts and post.ts built
// with esbuild from the current sources into the bench folder, as dist/action is built; the committed
// dist/action, said in the output, when the sources do not build), main then
// post, each a child process with the runner's variables and command files (test/support/action-step.ts)
// — on a ~100-package environment (bench/cache.ts's channel: the generated stack of
// bench/generate-stack.ts plus small libraries) against the local services on 127.0.0.1: the cache
// service in protocol v2 (twirp + blob uploads, as github.com runners use it), the artifact service
// (test/support/actions-cache-server.ts) and the channel (test/support/channel-server.ts).
//
//   cold         empty caches: solve, download, extract, link; spec file, tarball, package cache
//                and run record saved (their packing and upload are in here); post step
//   spec hit     the stored solve with `cache-environment: false`: spec file and package cache
//                restored, link only (no solve, no download)
//   env hit      defaults, a fresh prefix: the environment tarball restored (no solve, no download)
//   raw restore  the tarball's cache entry fetched from the service as @actions/cache does
//                (GetCacheEntryDownloadURL, then GET the signed URL) and streamed through every layer
//                it has: @actions/cache's own archive (zstd --long=30 of a tar, -P, holding one file: our
//                tarball) and our tarball (zstd of a tar) — `zstd -d | tar -xO | zstd -d | tar -x`
//                into a fresh folder, in this process (no node start)
//
// Every warm scenario starts from the cache entries the round's cold run left (the run record
// included, so the action's measured choice between tarball and package cache does not depend on
// the order); each job has a fresh RUNNER_TEMP and prefix. Rounds alternate the order of the warm
// scenarios; figures are medians (wall time of each step's process, node's start included). The
// stage times are the action's own timing export (env-setup-timings.json).
// Target (issue): an environment hit (main + post) adds at most 1 s over the raw restore.
//
// Environment: BENCH_ROUNDS (default 2), BENCH_DIR (where the data goes, e.g. /dev/shm; default the
// temporary folder), BENCH_ACTION_MB (installed size of the stack part, default 300),
// BENCH_ACTION_SMALL (small libraries added, default 61). Everything generated is removed at the end.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { build } from 'esbuild';
import { TARGETS } from '../scripts/build.ts';
import { stageTimes } from '../core/timing/stages.ts';
import type { TimingDocument } from '../core/timing/schema.ts';
import { type ActionsServices, type CacheServiceEntry, startActionsServices } from '../test/support/actions-cache-server.ts';
import { DIST_ACTION, packageDownloads, runJob, runnerEnv, type StepResult } from '../test/support/action-step.ts';
import { startChannelServer } from '../test/support/channel-server.ts';
import { addSmallPackages } from './cache.ts';
import { STACK, writeStack } from './generate-stack.ts';

type Scenario = 'cold' | 'spec' | 'env';
const WANT_HIT: Record<Scenario, string> = { cold: 'none', spec: 'spec', env: 'environment' };
const LABEL: Record<Scenario | 'raw', string> = { cold: 'cold (empty caches)', spec: 'spec hit (cache-environment: false)', env: 'environment hit', raw: 'raw restore of the tarball entry' };

const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function sync(): void {
  spawnSync('sync');
}

/**
 * The generated python's `bin/python3.12` is random bytes behind an ELF magic: the action (which has
 * no input to turn byte-compilation off; the CLI bench passes --no-compile) would run it to compile
 * the noarch packages, and the kernel's refusal makes execvp hand it to /bin/sh, which writes junk
 * files into the prefix. So the stack is generated with those bytes at a path nothing runs
 * (same size): the install then skips compilation with a note, as for an environment without python.
 */
function withoutPythonExecutable<T>(fn: () => T): T {
  const python = STACK.find((d) => d.name === 'python')?.large?.find((l) => l.path === 'bin/python3.12');
  if (python === undefined) return fn();
  python.path = 'lib/python3.12/config-3.12/python3.12.bin';
  try {
    return fn();
  } finally {
    python.path = 'bin/python3.12';
  }
}

/**
 * Builds the action's two bundles from the current sources into `<checkout>/dist/action`, laid out
 * as a checkout of the action (its package.json at the top: ESM, and the version the bundle reads),
 * and returns that folder; when the sources do not build (a tree in the middle of an edit), says so
 * and returns the committed dist/action instead.
 */
async function buildBundles(checkout: string): Promise<string> {
  const dir = join(checkout, 'dist', 'action');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(DIST_ACTION, '..', '..', 'package.json'), join(checkout, 'package.json'));
  try {
    await build({ ...TARGETS.action!.options, outdir: dir, logLevel: 'silent' });
    console.log('bundles: built from the current sources');
    return dir;
  } catch (e) {
    console.log(`bundles: the COMMITTED dist/action (building from the current sources failed: ${(e as Error).message.split('\n').slice(0, 2).join(' ')})`);
    return DIST_ACTION;
  }
}

/**
 * The raw restore: the entry's download URL from the service (twirp, as @actions/cache v2 asks),
 * its bytes streamed through @actions/cache's layer and ours into `dest`; the wall time in ms.
 */
async function rawRestore(services: ActionsServices, entry: CacheServiceEntry, dest: string): Promise<number> {
  mkdirSync(dest, { recursive: true });
  const t0 = performance.now();
  const r = await fetch(`${services.url}/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL`, {
    method: 'POST',
    headers: { authorization: `Bearer ${services.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key: entry.key, version: entry.version }),
  });
  const answer = (await r.json()) as { ok: boolean; signed_download_url?: string };
  if (!answer.ok || answer.signed_download_url === undefined) throw new Error(`the service has no entry ${entry.key}`);
  const blob = await fetch(answer.signed_download_url);
  if (!blob.ok || blob.body === null) throw new Error(`downloading ${entry.key}: HTTP ${blob.status}`);
  const child = spawn('sh', ['-c', `zstd -dq --long=30 | tar -xOPf - | zstd -dcq | tar -xf - -C ${q(dest)}`], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await pipeline(Readable.fromWeb(blob.body), child.stdin);
  const code = await exited;
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`the raw restore pipeline exited with ${code}`);
  if (!existsSync(join(dest, 'conda-meta'))) throw new Error(`the raw restore left no conda-meta in ${dest}`);
  return ms;
}

interface JobFigures {
  main: number;
  post: number;
  /** The main step's tracer total (the rest of its wall time is node's start, loading the bundle and the work after the export). */
  inside: number;
  stages: Record<string, number>;
  /** Top-level spans, summed by name. */
  spans: Record<string, number>;
}

/** One job of a scenario; checks it took the path the scenario is about. */
async function job(scenario: Scenario, home: string, env: Record<string, string>, bundle: string, downloadsBefore: () => number): Promise<JobFigures> {
  sync();
  const before = downloadsBefore();
  const { main, post } = await runJob(home, env, bundle);
  const fail = (why: string, step: StepResult) => new Error(`${LABEL[scenario]}: ${why}\n${step.stdout.slice(-3000)}`);
  if (main.code !== 0) throw fail(`main exited with ${main.code}`, main);
  if (post.code !== 0) throw fail(`post exited with ${post.code}`, post);
  if (main.outputs['cache-hit'] !== WANT_HIT[scenario]) throw fail(`cache-hit is ${main.outputs['cache-hit']}, not ${WANT_HIT[scenario]}`, main);
  if (scenario !== 'cold' && downloadsBefore() !== before) throw fail('packages were downloaded', main);
  const warnings = main.stdout.split('\n').filter((l) => l.startsWith('::warning::') || l.startsWith('::error::'));
  if (warnings.length > 0) console.log(`  (${scenario}: ${warnings.join(' | ').slice(0, 400)})`);
  const doc = JSON.parse(readFileSync(join(main.outputs['timings-path']!, 'env-setup-timings.json'), 'utf8')) as TimingDocument;
  const stages = Object.fromEntries(stageTimes(doc).map((s) => [s.stage, s.ms]));
  const spans: Record<string, number> = {};
  for (const s of doc.spans) if (s.parent === null) spans[s.name] = (spans[s.name] ?? 0) + (s.durationMs ?? 0);
  return { main: main.ms, post: post.ms, inside: doc.totalMs, stages, spans };
}

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const megabytes = Number(process.env.BENCH_ACTION_MB ?? 300);
  const smallCount = Number(process.env.BENCH_ACTION_SMALL ?? 61);
  if (spawnSync('zstd', ['--version']).status !== 0) throw new Error('the action benchmark needs the zstd binary (@actions/cache compresses with it; the raw restore uses it)');
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'env-setup-bench-action-'));
  const channel = await startChannelServer({ root: dir });
  try {
    const t0 = performance.now();
    const bundle = await buildBundles(join(dir, 'action-checkout'));
    const stack = withoutPythonExecutable(() => writeStack(join(dir, 'stack'), { megabytes }));
    const small = addSmallPackages(stack.channel, smallCount);
    const names = [...STACK.map((d) => d.name), ...small];
    const yml = `name: bench\nchannels:\n  - ${channel.url}/stack/channel\n  - nodefaults\ndependencies:\n${names.map((n) => `  - ${n}\n`).join('')}`;
    console.log(`environment: ${names.length} packages (${STACK.length} of the generated stack at ${megabytes} MB, ${small.length} small libraries); bundles built and channel generated in ${secs(performance.now() - t0)}`);
    console.log(`cache service protocol v2 (twirp + blob uploads) on 127.0.0.1; ${rounds} rounds; data in ${dir}`);

    const figures: Record<Scenario, JobFigures[]> = { cold: [], spec: [], env: [] };
    const raw: number[] = [];
    let sizes = '';
    for (let round = 1; round <= rounds; round++) {
      const home = join(dir, `round${round}`);
      mkdirSync(join(home, 'work'), { recursive: true });
      writeFileSync(join(home, 'work', 'environment.yml'), yml);
      const services = await startActionsServices();
      try {
        const env = { ...runnerEnv(home, services, 'v2'), INPUT_PREFIX: join(home, 'envs', 'bench') };
        const downloads = () => packageDownloads(channel.requests);
        figures.cold.push(await job('cold', home, env, bundle, downloads));
        const snapshot = [...services.entries];
        const tarball = snapshot.find((e) => e.key.startsWith('env-setup-env-'));
        if (tarball === undefined) throw new Error(`the cold run saved no environment tarball: ${snapshot.map((e) => e.key).join(' ')}`);
        sizes = snapshot.map((e) => `${e.key.split('-').slice(0, 3).join('-')} ${(e.bytes.length / 2 ** 20).toFixed(1)} MB`).join(', ');
        const order: (Scenario | 'raw')[] = round % 2 === 1 ? ['spec', 'env', 'raw'] : ['raw', 'env', 'spec'];
        for (const s of order) {
          // every warm scenario sees exactly what the cold run left
          services.entries.splice(0, services.entries.length, ...snapshot);
          services.artifacts.length = 0;
          if (s === 'raw') {
            rmSync(join(home, 'raw'), { recursive: true, force: true });
            sync();
            raw.push(await rawRestore(services, tarball, join(home, 'raw')));
            rmSync(join(home, 'raw'), { recursive: true, force: true });
          } else {
            figures[s].push(await job(s, home, s === 'spec' ? { ...env, 'INPUT_CACHE-ENVIRONMENT': 'false' } : env, bundle, downloads));
          }
        }
        const f = (s: Scenario) => `${secs(figures[s].at(-1)!.main + figures[s].at(-1)!.post)}`;
        console.log(`round ${round} (${order.join(', ')}): cold ${f('cold')}, spec hit ${f('spec')}, env hit ${f('env')}, raw restore ${secs(raw.at(-1)!)}`);
      } finally {
        await services.close();
        rmSync(home, { recursive: true, force: true });
      }
    }

    console.log(`\ncache entries of a cold run: ${sizes}`);
    console.log(`medians of ${rounds} rounds (wall time of each step's process, node's start included):`);
    console.log(`${'scenario'.padEnd(38)} ${'main'.padStart(8)} ${'post'.padStart(8)} ${'total'.padStart(8)}`);
    const med = (s: Scenario, k: 'main' | 'post' | 'total') => median(figures[s].map((j) => (k === 'total' ? j.main + j.post : j[k])));
    for (const s of ['cold', 'spec', 'env'] as const) console.log(`${LABEL[s].padEnd(38)} ${secs(med(s, 'main')).padStart(8)} ${secs(med(s, 'post')).padStart(8)} ${secs(med(s, 'total')).padStart(8)}`);
    console.log(`${LABEL.raw.padEnd(38)} ${''.padStart(8)} ${''.padStart(8)} ${secs(median(raw)).padStart(8)}`);
    console.log('\nstages inside the main step (the action\'s timing export, medians in ms):');
    for (const s of ['cold', 'spec', 'env'] as const) {
      const stages = [...new Set(figures[s].flatMap((j) => Object.keys(j.stages)))];
      console.log(`  ${s.padEnd(5)} ${stages.map((st) => `${st} ${Math.round(median(figures[s].map((j) => j.stages[st] ?? 0)))}`).join(', ')}`);
    }
    const envSpans = [...new Set(figures.env.flatMap((j) => Object.keys(j.spans)))];
    console.log(`  env hit, top-level spans: ${envSpans.map((n) => `${n} ${Math.round(median(figures.env.map((j) => j.spans[n] ?? 0)))}`).join(', ')}`);
    console.log(`  main step outside the tracer (node start, loading the bundle, summary and export): ${(['cold', 'spec', 'env'] as const).map((s) => `${s} ${Math.round(median(figures[s].map((j) => j.main - j.inside)))} ms`).join(', ')}`);
    const hit = med('env', 'total');
    const floor = median(raw);
    console.log(`\nenvironment hit (main + post) ${secs(hit)} vs raw restore ${secs(floor)}: +${secs(hit - floor)} (${(hit / floor).toFixed(2)}x); main step alone +${secs(med('env', 'main') - floor)}`);
    const mainOnly = med('env', 'main') - floor <= 1000 ? 'PASS' : 'FAIL';
    console.log(`target: environment hit adds at most 1 s over the raw restore of the tarball: ${hit - floor <= 1000 ? 'PASS' : 'FAIL'} (main + post; the main step alone: ${mainOnly})`);
  } finally {
    await channel.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
