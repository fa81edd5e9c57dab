// `npm run bench -- cache`: what the caches of `env-setup create` save, on a ~100-package
// environment served on 127.0.0.1 — the generated scientific stack (bench/generate-stack.ts: text
// and binary placeholders, links, noarch python) plus small generated libraries — each path run as
// the real CLI in its own process (`env-setup create -f env.yml -p PREFIX --json`):
//
//   full            empty caches (repodata, packages, spec files, tarballs): solve + download +
//                   extract + link, then the tarball is packed and stored (its cost is in here)
//   spec hit        a stored solve, tarballs off, the package cache warm: link only
//   tarball hit     the stored environment restored into the same (emptied) prefix, with the
//                   integrity scan (default) and without it (ENV_SETUP_SIMPLE=1)
//   relocated       the stored environment restored into another prefix (with the scan)
//   floor           `zstd -dc <the stored tarball> | tar -x` into an empty folder (node's zlib into
//                   npm tar when there is no zstd binary; said in the output)
//   tuned floor     `tar -x -I zstd -b 512 -f <tarball>`: what the system extractor runs, without its
//                   checks; printed for comparison (the targets are against the floor above)
//
// The CLI runs as it ships: the esbuild bundle (`node scripts/build.ts cli`, done first).
//
// Each round runs everything once, after `sync` (the two same-prefix restores and the floors side by
// side, in alternating order: measured at the end of a round, the floors came out up to half as slow
// again as in between the restores); figures are medians over the rounds (wall time of the whole process, node's start
// included, and the tracer's total inside it). Targets (issue): a tarball hit with the scan within
// 1.5x of the floor, without the scan within 1.1x.
//
// Environment: BENCH_CACHE_MB (installed size of the stack part, default 300), BENCH_CACHE_SMALL
// (small packages added, default 61), BENCH_CACHE_ROUNDS (default 3), BENCH_CACHE_DIR (where the data
// goes, default the temporary folder), BENCH_CACHE_SPANS=1 (print the longest spans of each restore).
// Everything generated is removed at the end.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createZstdDecompress } from 'node:zlib';
import { x as tarExtract } from 'tar';
import { startChannelServer } from '../test/support/channel-server.ts';
import { smallFilesPackage } from './generate-packages.ts';
import { STACK, writeStack } from './generate-stack.ts';

// the CLI as it ships (the esbuild bundle, built at the start): run from the TypeScript sources,
// node's type stripping and the loading of some hundred modules add about a second to every run
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist', 'cli', 'env-setup.mjs');
const hasZstd = spawnSync('zstd', ['--version']).status === 0;

interface CreateRun {
  ms: number;
  insideMs: number;
  path: string;
  spans: Set<string>;
  /** `name start+duration` of the longest spans, for BENCH_CACHE_SPANS=1. */
  longest: string;
  /** Files of the scan hashed while tar ran (the restore span's `hashedInBackground`), when said. */
  background?: number;
}

function create(args: string[], env: NodeJS.ProcessEnv): Promise<CreateRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'create', ...args, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      try {
        const j = JSON.parse(out) as { cache: { path: string }; timings: { totalMs: number; spans: { name: string; startMs: number; durationMs: number | null; attributes?: Record<string, unknown> }[] } };
        if (code !== 0) throw new Error(`exit ${code}`);
        const longest = [...j.timings.spans]
          .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
          .slice(0, 8)
          .map((s) => `${s.name} ${Math.round(s.startMs)}+${Math.round(s.durationMs ?? 0)}`)
          .join(', ');
        const background = j.timings.spans.find((s) => s.name === 'cache.restore')?.attributes?.hashedInBackground;
        resolve({ ms, insideMs: j.timings.totalMs, path: j.cache.path, spans: new Set(j.timings.spans.map((s) => s.name)), longest, background: typeof background === 'number' ? background : undefined });
      } catch (e) {
        reject(new Error(`create ${args.join(' ')} failed (${(e as Error).message}): ${(err || out).slice(0, 1500)}`));
      }
    });
  });
}

function sh(command: string): void {
  const r = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${command.slice(0, 200)} exited with ${r.status}`);
}
const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

async function floor(archive: string, dest: string): Promise<number> {
  mkdirSync(dest, { recursive: true });
  const t0 = performance.now();
  if (hasZstd) sh(`zstd -dcq ${q(archive)} | tar -xf - -C ${q(dest)}`);
  else await pipeline(createReadStream(archive), createZstdDecompress(), tarExtract({ cwd: dest }));
  return performance.now() - t0;
}

/** The same with the options the system extractor gives GNU tar (its own zstd, 256 KiB records): for comparison, not the target's floor. */
function tunedFloor(archive: string, dest: string): number {
  mkdirSync(dest, { recursive: true });
  const t0 = performance.now();
  sh(`tar -x -I zstd -b 512 -f ${q(archive)} -C ${q(dest)}`);
  return performance.now() - t0;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Adds `count` small libraries (noarch, as their index.json says) to the stack's channel; their names. */
export function addSmallPackages(channel: string, count: number): string[] {
  const repodataPath = join(channel, 'noarch', 'repodata.json');
  const repodata = JSON.parse(readFileSync(repodataPath, 'utf8')) as { 'packages.conda': Record<string, unknown> };
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `smalllib${i}`;
    const p = smallFilesPackage(name, 60 + ((i * 37) % 240), 100 + i);
    const fn = `${p.dist}.conda`;
    writeFileSync(join(channel, 'noarch', fn), p.conda);
    const [build, version] = p.dist.split('-').reverse();
    repodata['packages.conda'][fn] = {
      name,
      version,
      build,
      build_number: 0,
      depends: [],
      subdir: 'noarch',
      md5: createHash('md5').update(p.conda).digest('hex'),
      sha256: createHash('sha256').update(p.conda).digest('hex'),
      size: p.conda.length,
    };
    names.push(name);
  }
  writeFileSync(repodataPath, JSON.stringify(repodata));
  return names;
}

export async function run(): Promise<void> {
  const megabytes = Number(process.env.BENCH_CACHE_MB ?? 300);
  const smallCount = Number(process.env.BENCH_CACHE_SMALL ?? 61);
  const rounds = Number(process.env.BENCH_CACHE_ROUNDS ?? 3);
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.ts'), 'cli'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the CLI bundle failed');
  const dir = mkdtempSync(join(process.env.BENCH_CACHE_DIR ?? tmpdir(), 'env-setup-bench-cache-'));
  const server = await startChannelServer({ root: dir });
  try {
    const t0 = performance.now();
    const stack = writeStack(join(dir, 'stack'), { megabytes });
    const small = addSmallPackages(stack.channel, smallCount);
    const names = [...STACK.map((d) => d.name), ...small];
    const envFile = join(dir, 'environment.yml');
    writeFileSync(envFile, `name: bench\nchannels:\n  - ${server.url}/stack/channel\n  - nodefaults\ndependencies:\n${names.map((n) => `  - ${n}\n`).join('')}`);
    console.log(`environment: ${names.length} packages (${STACK.length} of the generated stack at ${megabytes} MB, ${small.length} small libraries), generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`floor: ${hasZstd ? 'zstd -dc | tar -x' : 'node zlib zstd -> npm tar (NO zstd binary here)'}; ${rounds} rounds; data in ${dir}`);

    const results: Record<string, number[]> = { full: [], spec: [], tarball: [], simple: [], relocated: [], floor: [], tuned: [] };
    const inside: Record<string, number[]> = { full: [], spec: [], tarball: [], simple: [], relocated: [] };
    let archiveBytes = 0;
    for (let round = 1; round <= rounds; round++) {
      const r = join(dir, `round${round}`);
      const env = { ENV_SETUP_CACHE_DIR: join(r, 'cache'), CONDA_PKGS_DIRS: join(r, 'pkgs'), CONDARC: '', CONDA_CHANNELS: '', HOME: r, ENV_SETUP_SIMPLE: '' };
      const prefix = join(r, 'envs', 'bench');
      const step = async (label: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}, want?: string): Promise<CreateRun> => {
        sh('sync');
        const c = await create(['-f', envFile, ...args], { ...env, ...extraEnv });
        if (want !== undefined && c.path !== want) throw new Error(`${label}: expected the ${want} path, got ${c.path}`);
        results[label]!.push(c.ms);
        inside[label]!.push(c.insideMs);
        return c;
      };
      const full = await step('full', ['-p', prefix, '--no-compile'], {}, 'solve');
      if (!full.spans.has('cache.save')) throw new Error('the full run stored no tarball');
      await step('spec', ['-p', join(r, 'envs', 'spec'), '--tarballs', 'off', '--no-compile'], {}, 'spec');
      const storeDir = join(r, 'cache', 'env-cache');
      const tarball = readdirSync(storeDir).find((n) => n.startsWith('env-setup-env-'))!;
      archiveBytes = statSync(join(storeDir, tarball)).size;
      // the two restores into the emptied prefix and the floors, side by side in alternating order (the
      // first after removing the full run's files; a floor's tree is removed once measured)
      const modes = hasZstd ? ['tarball', 'simple', 'floor', 'tuned'] : ['tarball', 'simple', 'floor'];
      let hashedEarly: number | undefined;
      for (const mode of round % 2 === 1 ? modes : [...modes].reverse()) {
        if (mode === 'floor' || mode === 'tuned') {
          const dest = join(r, mode);
          sh('sync');
          results[mode]!.push(mode === 'floor' ? await floor(join(storeDir, tarball), dest) : tunedFloor(join(storeDir, tarball), dest));
          rmSync(dest, { recursive: true, force: true });
          continue;
        }
        rmSync(prefix, { recursive: true, force: true });
        const hit = await step(mode, ['-p', prefix], mode === 'simple' ? { ENV_SETUP_SIMPLE: '1' } : {}, 'tarball');
        if (mode === 'tarball') hashedEarly = hit.background;
        if (hit.spans.has('cache.scan') !== (mode === 'tarball')) throw new Error(`${mode}: the scan ${mode === 'tarball' ? 'did not run' : 'ran in simple mode'}`);
        if (process.env.BENCH_CACHE_SPANS === '1') console.log(`  ${mode} (${(hit.ms / 1000).toFixed(2)} s, inside ${(hit.insideMs / 1000).toFixed(2)} s): ${hit.longest}`);
      }
      await step('relocated', ['-p', join(r, 'envs', 'elsewhere')], {}, 'tarball');
      console.log(
        `round ${round}: full ${(results.full!.at(-1)! / 1000).toFixed(2)} s, spec hit ${(results.spec!.at(-1)! / 1000).toFixed(2)} s, tarball hit ${(results.tarball!.at(-1)! / 1000).toFixed(2)} s` +
          (hashedEarly !== undefined ? ` (${hashedEarly} files hashed while tar ran)` : '') +
          ', ' +
          `simple ${(results.simple!.at(-1)! / 1000).toFixed(2)} s, relocated ${(results.relocated!.at(-1)! / 1000).toFixed(2)} s; floor ${(results.floor!.at(-1)! / 1000).toFixed(2)} s` +
          (hasZstd ? `, tuned floor ${(results.tuned!.at(-1)! / 1000).toFixed(2)} s` : ''),
      );
      rmSync(r, { recursive: true, force: true });
    }
    const m = (k: string) => median(results[k]!);
    const mi = (k: string) => median(inside[k]!);
    console.log(`\nmedians of ${rounds} (whole process, node start included; tracer total inside; tarball ${(archiveBytes / 2 ** 20).toFixed(0)} MB, ${(stack.bytes / 2 ** 20).toFixed(0)} MB of stack content installed):`);
    const line = (label: string, k: string) => console.log(`${label.padEnd(36)} ${(m(k) / 1000).toFixed(2).padStart(7)} s  (inside ${(mi(k) / 1000).toFixed(2)} s)  ${(m('full') / m(k)).toFixed(1).padStart(5)}x faster than full`);
    line('full (solve + install + pack)', 'full');
    line('spec hit (install from package cache)', 'spec');
    line('tarball hit, with the scan', 'tarball');
    line('tarball hit, simple mode (no scan)', 'simple');
    line('tarball hit, relocated', 'relocated');
    console.log(`${'floor: zstd -dc | tar -x'.padEnd(36)} ${(m('floor') / 1000).toFixed(2).padStart(7)} s`);
    if (hasZstd) console.log(`${'tuned: tar -x -I zstd -b 512'.padEnd(36)} ${(m('tuned') / 1000).toFixed(2).padStart(7)} s  (the options the system extractor uses; for comparison)`);
    const judge = (label: string, k: string, limit: number) => {
      const ratio = m(k) / m('floor');
      const tuned = hasZstd ? `; against the tuned floor ${(m(k) / m('tuned')).toFixed(2)}x, inside ${(mi(k) / m('tuned')).toFixed(2)}x` : '';
      console.log(`target ${label} <= ${limit}x floor: ${ratio.toFixed(2)}x ${ratio <= limit ? 'PASS' : 'FAIL'} (inside the process: ${(mi(k) / m('floor')).toFixed(2)}x${tuned})`);
    };
    judge('tarball hit with the scan', 'tarball', 1.5);
    judge('tarball hit without the scan', 'simple', 1.1);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
