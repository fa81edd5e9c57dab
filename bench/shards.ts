// `npm run bench -- shards`: the same generated conda-forge-like channel (bench/generate-channel.ts,
// 400k records by default; BENCH_RECORDS to change; BENCH_CHANNEL=<dir> to use one already written)
// served on 127.0.0.1 twice: as full repodata (repodata.json + .zst) and in sharded form (CEP 16,
// converted ahead of time with test/support/sharded-repodata.ts). A cold solve of
// `python numpy scipy pandas` (BENCH_SPECS='["…"]' to change) over each, a warm one over shards,
// and rattler's simpleSolve (WASM) over the full form: wall time, bytes the server sent and peak
// RSS, each solve in its own process, the fastest of BENCH_REPEAT (default 2) runs from the same
// cache state.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zstdCompressSync } from 'node:zlib';
import { virtualPackagesFor } from '../core/index/virtual-packages.ts';
import { startChannelServer, type ChannelServer } from '../test/support/channel-server.ts';
import { shardRepodata } from '../test/support/sharded-repodata.ts';
import { generateChannelWithStats, writeChannel } from './generate-channel.ts';

interface Measured {
  ms?: number;
  packages?: number;
  maxRssMB?: number;
  error?: string;
  served?: number;
  requests?: number;
  shardsFetched?: number;
}

const SUBDIRS = ['linux-64', 'noarch'];

function measure(script: string, args: string[]): Promise<Measured> {
  return new Promise((resolve) => {
    // Node's default heap settings: a larger --max-old-space-size also grows the young generation, which shows in peak RSS
    const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Measured);
      } catch {
        resolve({ error: (err || out || `exit ${code}`).slice(0, 300) });
      }
    });
  });
}

/** Runs one solve and adds what the server sent for it (bytes of the files answered 200, and requests). */
async function measuredOnce(server: ChannelServer, root: string, script: string, args: string[]): Promise<Measured> {
  server.clearLog();
  const m = await measure(script, args);
  let served = 0;
  for (const r of server.requests) if (r.status === 200) served += statSync(join(root, decodeURIComponent(r.filePath))).size;
  return { ...m, served, requests: server.requests.length };
}

/** The fastest of BENCH_REPEAT runs (default 2; the machine is shared), each from the same starting cache (`fresh` empties it first). */
async function measured(server: ChannelServer, root: string, script: string, args: string[], fresh?: string): Promise<Measured> {
  let best: Measured | undefined;
  for (let i = 0; i < Number(process.env.BENCH_REPEAT ?? 2); i++) {
    if (fresh !== undefined) rmSync(fresh, { recursive: true, force: true });
    const m = await measuredOnce(server, root, script, args);
    if (best === undefined || (m.ms ?? Infinity) < (best.ms ?? Infinity)) best = m;
  }
  return best!;
}

/** Writes the sharded form of each subdir of `from` into `to`. */
function writeSharded(from: string, to: string): { names: number; shards: number; indexBytes: number } {
  let names = 0;
  let indexBytes = 0;
  const hashes = new Set<string>();
  for (const subdir of SUBDIRS) {
    const form = shardRepodata(JSON.parse(readFileSync(join(from, subdir, 'repodata.json'), 'utf8')));
    mkdirSync(join(to, subdir), { recursive: true });
    writeFileSync(join(to, subdir, 'repodata_shards.msgpack.zst'), form.index);
    for (const [hash, bytes] of form.shards) {
      writeFileSync(join(to, subdir, `${hash}.msgpack.zst`), bytes);
      hashes.add(hash);
    }
    names += Object.keys(form.hashes).length;
    indexBytes += form.index.length;
  }
  return { names, shards: hashes.size, indexBytes };
}

const mb = (n: number | undefined) => (n === undefined ? '?' : `${(n / 1e6).toFixed(2)} MB`);
const show = (m: Measured) =>
  m.error ? `error: ${m.error.split('\n')[0]}` : `${(m.ms! / 1000).toFixed(2).padStart(6)} s  ${String(m.maxRssMB).padStart(5)} MB RSS  ${mb(m.served).padStart(10)} sent in ${m.requests} requests  ${m.packages} pkgs`;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-bench-shards-'));
  try {
    let full = process.env.BENCH_CHANNEL;
    if (full === undefined) {
      const records = Number(process.env.BENCH_RECORDS ?? 400_000);
      const { channel, stats } = generateChannelWithStats({ records });
      full = join(dir, 'generated');
      writeChannel(full, channel);
      console.log(`channel: ${stats.records} records, ${stats.names} names, generated in ${(stats.ms / 1000).toFixed(1)} s`);
    } else {
      console.log(`channel: ${full}`);
    }
    const root = join(dir, 'root');
    mkdirSync(root);
    // the full form as conda-forge serves it: repodata.json and repodata.json.zst
    mkdirSync(join(root, 'full'));
    for (const subdir of SUBDIRS) {
      mkdirSync(join(root, 'full', subdir));
      symlinkSync(join(full, subdir, 'repodata.json'), join(root, 'full', subdir, 'repodata.json'));
      const zst = join(full, subdir, 'repodata.json.zst');
      if (existsSync(zst)) symlinkSync(zst, join(root, 'full', subdir, 'repodata.json.zst'));
      else writeFileSync(join(root, 'full', subdir, 'repodata.json.zst'), zstdCompressSync(readFileSync(join(full, subdir, 'repodata.json'))));
    }
    const t0 = performance.now();
    const sharded = writeSharded(full, join(root, 'sharded'));
    console.log(`sharded form: ${sharded.names} names, ${sharded.shards} shards, index ${mb(sharded.indexBytes)} (linux-64 + noarch), written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // rattler's simpleSolve has no virtual packages: give it linux-64's as a channel of ordinary records
    const virtual: Record<string, unknown> = {};
    for (const v of virtualPackagesFor('linux-64', { detect: false, env: {} })) {
      virtual[`${v.name}-${v.version}-${v.build}.conda`] = { name: v.name, version: v.version, build: v.build, build_number: 0, depends: [], subdir: 'linux-64' };
    }
    for (const subdir of SUBDIRS) mkdirSync(join(root, 'virtual', subdir), { recursive: true });
    writeFileSync(join(root, 'virtual', 'linux-64', 'repodata.json'), JSON.stringify({ info: { subdir: 'linux-64' }, packages: {}, 'packages.conda': virtual }));
    writeFileSync(join(root, 'virtual', 'noarch', 'repodata.json'), JSON.stringify({ info: { subdir: 'noarch' }, packages: {}, 'packages.conda': {} }));

    const specs = JSON.stringify(process.env.BENCH_SPECS ? JSON.parse(process.env.BENCH_SPECS) : ['python', 'numpy', 'scipy', 'pandas']);
    const server = await startChannelServer({ root });
    try {
      console.log(`specs: ${specs}`);
      const shardCache = join(dir, 'cache-sharded');
      const overShards = await measured(server, root, './shards-run.ts', ['ours', `${server.url}/sharded`, shardCache, specs], shardCache);
      console.log(`ours, sharded, cold      ${show(overShards)}  (${overShards.shardsFetched} shards)`);
      const warm = await measured(server, root, './shards-run.ts', ['ours', `${server.url}/sharded`, shardCache, specs]);
      console.log(`ours, sharded, warm      ${show(warm)}`);
      const overFull = await measured(server, root, './shards-run.ts', ['ours', `${server.url}/full`, join(dir, 'cache-full'), specs], join(dir, 'cache-full'));
      console.log(`ours, full, cold         ${show(overFull)}`);
      const peer = await measured(server, root, './shards-run.ts', ['rattler', `${server.url}/full`, join(dir, 'cache-rattler'), specs, `${server.url}/virtual`], join(dir, 'cache-rattler'));
      console.log(`rattler-wasm, full, cold ${show(peer)}`);
      if (overShards.ms && overFull.ms) {
        console.log(`sharded/full cold: ${(overShards.ms / overFull.ms).toFixed(2)}x time, ${(overShards.served! / overFull.served!).toFixed(3)}x bytes, ${(overShards.maxRssMB! / overFull.maxRssMB!).toFixed(2)}x peak RSS (target ≤ 0.2x time, ≤ 150 MB RSS)`);
      }
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
