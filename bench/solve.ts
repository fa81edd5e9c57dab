// `npm run bench -- solve`: a conda-forge-like channel (bench/generate-channel.ts, 400k records by
// default; BENCH_RECORDS to change) served on 127.0.0.1; for each benchmark environment, our solve
// cold (empty repodata cache: fetch + parse + index + solve) and warm (cache on disk), and rattler's
// simpleSolve (resolvo compiled to WASM) on the same channel and specs — each in its own process,
// with wall time and peak RSS. Each subdir is served as repodata.json and repodata.json.zst, as
// conda-forge serves it (BENCH_ZST=0 serves repodata.json only). BENCH_ENVS=a,b runs only those.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zstdCompressSync } from 'node:zlib';
import { virtualPackagesFor } from '../core/index/virtual-packages.ts';
import { startChannelServer } from '../test/support/channel-server.ts';
import { BENCH_ENVIRONMENTS, generateChannelWithStats, writeChannel } from './generate-channel.ts';

interface Measured {
  ms?: number;
  packages?: number;
  maxRssMB?: number;
  error?: string;
}

const runner = fileURLToPath(new URL('./solve-run.ts', import.meta.url));

/** Runs one solve in a child process (asynchronously: the channel server lives in this process). */
function measure(args: string[]): Promise<Measured> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=4096', runner, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Measured);
      } catch {
        resolve({ error: (err || out || `exit ${code}`).slice(0, 300) });
      }
    });
  });
}

const show = (m: Measured) => (m.error ? `error: ${m.error.split('\n')[0]}` : `${(m.ms! / 1000).toFixed(2).padStart(6)} s ${String(m.maxRssMB).padStart(5)} MB ${String(m.packages).padStart(4)} pkgs`);

export async function run(): Promise<void> {
  const records = Number(process.env.BENCH_RECORDS ?? 400_000);
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-bench-solve-'));
  try {
    const { channel, stats } = generateChannelWithStats({ records });
    writeChannel(join(dir, 'forge'), channel);
    const zst = process.env.BENCH_ZST !== '0';
    if (zst) {
      for (const subdir of ['linux-64', 'noarch']) {
        const file = join(dir, 'forge', subdir, 'repodata.json');
        writeFileSync(`${file}.zst`, zstdCompressSync(readFileSync(file)));
      }
    }
    // rattler's simpleSolve has no virtual packages: give it linux-64's as a channel of ordinary records
    const virtual: Record<string, unknown> = {};
    for (const v of virtualPackagesFor('linux-64', { detect: false, env: {} })) {
      virtual[`${v.name}-${v.version}-${v.build}.conda`] = { name: v.name, version: v.version, build: v.build, build_number: 0, depends: [], subdir: 'linux-64' };
    }
    mkdirSync(join(dir, 'virtual', 'linux-64'), { recursive: true });
    mkdirSync(join(dir, 'virtual', 'noarch'), { recursive: true });
    writeFileSync(join(dir, 'virtual', 'linux-64', 'repodata.json'), JSON.stringify({ info: { subdir: 'linux-64' }, packages: {}, 'packages.conda': virtual }));
    writeFileSync(join(dir, 'virtual', 'noarch', 'repodata.json'), JSON.stringify({ info: { subdir: 'noarch' }, packages: {}, 'packages.conda': {} }));
    const server = await startChannelServer({ root: dir });
    console.log(`channel: ${stats.records} records, ${stats.names} names, generated in ${(stats.ms / 1000).toFixed(1)} s; served at ${server.url} ${zst ? 'with' : 'without'} repodata.json.zst`);
    console.log(`${'environment'.padEnd(22)} ${'ours cold'.padEnd(28)} ${'ours warm'.padEnd(28)} rattler-wasm cold`);
    try {
      const only = process.env.BENCH_ENVS?.split(',');
      for (const env of BENCH_ENVIRONMENTS.filter((e) => only === undefined || only.includes(e.name))) {
        const cache = join(dir, `cache-${env.name}`);
        const specs = JSON.stringify(env.specs);
        const cold = await measure(['ours', `${server.url}/forge`, cache, specs]);
        const warm = await measure(['ours', `${server.url}/forge`, cache, specs]);
        const peer = await measure(['rattler', `${server.url}/forge`, cache, specs, `${server.url}/virtual`]);
        const ratio = cold.ms && peer.ms ? `  cold/rattler ${(cold.ms / peer.ms).toFixed(2)}x, warm/cold ${(warm.ms! / cold.ms).toFixed(2)}x` : '';
        console.log(`${env.name.padEnd(22)} ${show(cold).padEnd(28)} ${show(warm).padEnd(28)} ${show(peer)}${ratio}`);
      }
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
