// `npm run bench -- install-fetch`: how fast core/install extracts packages, against the physical
// floor of the same machine — `zstd -dc | tar -x` when the zstd binary is there (else node's zlib
// zstd into npm tar) — in unpacked MB/s and files/s, on generated packages (bench/generate-packages.ts):
//
//   1. one package at a time: small files (a Python library) and large files (a native library),
//      written to the disk (the temporary folder) and, where /dev/shm exists, to memory (tmpfs: no
//      disk noise, so what remains is the software's own cost);
//   2. four packages at once, with 1, 2 and 4 extractions in flight (is the one thread the limit?),
//      with the CPU time used, against four floor pipelines in parallel. (Worker threads were tried
//      here — a pool running extractPackageArchive — and were slower on this 2-CPU machine: 1.0-1.2 s
//      against 0.82 s in one thread for four 8000-file packages on tmpfs; so there are none.);
//   3. a .tar.bz2 (when the bzip2 binary can make one) against `tar -xjf`;
//   4. fetchPackages end to end over 127.0.0.1: cold (download, verify, extract), then warm.
//
// Figures are printed; bench/RESULTS.md is written by hand.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createZstdDecompress, zstdCompressSync } from 'node:zlib';
import { x as tarExtract } from 'tar';
import { extractPackageArchive } from '../core/install/extract-package.ts';
import { fetchPackages } from '../core/install/fetch-packages.ts';
import { TaskPool } from '../core/install/task-pool.ts';
import { startChannelServer } from '../test/support/channel-server.ts';
import { largeFilesPackage, smallFilesPackage, type GeneratedPackage } from './generate-packages.ts';

const MB = 1024 * 1024;
const hasZstd = spawnSync('zstd', ['--version']).status === 0;
const hasBzip2 = spawnSync('bzip2', ['--help']).status === 0;

interface Measure {
  ms: number;
  cpuMs: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Measure> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * Medians of `n` rounds of several contenders, run in turn within each round (so a slow phase of
 * the disk hits them alike), each into a fresh folder from `setup`, after `sync` (so one run's
 * dirty pages are not written back during the next); folders are removed after the rounds.
 */
async function compare(n: number, setup: () => string, contenders: ((dest: string) => Promise<unknown>)[]): Promise<Measure[]> {
  const runs: Measure[][] = contenders.map(() => []);
  const made: string[] = [];
  for (let round = 0; round < n; round++) {
    for (const [i, fn] of contenders.entries()) {
      const dest = setup();
      made.push(dest);
      spawnSync('sync');
      runs[i]!.push(await measure(() => fn(dest)));
    }
  }
  for (const d of made) rmSync(d, { recursive: true, force: true });
  return runs.map((r) => r.sort((a, b) => a.ms - b.ms)[Math.floor(r.length / 2)]!);
}

function sh(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** The floor: the inner pkg and info tarballs through zstd into tar. */
async function floorExtract(zstFiles: string[], dest: string): Promise<void> {
  for (const file of zstFiles) {
    if (hasZstd) await sh(`zstd -dcq '${file}' | tar -xf - -C '${dest}'`);
    else await pipeline(createReadStream(file), createZstdDecompress(), tarExtract({ cwd: dest }));
  }
}

function line(label: string, pkg: { bytes: number; files: number }, m: Measure, floor?: Measure): void {
  const mbs = pkg.bytes / MB / (m.ms / 1000);
  const fps = pkg.files / (m.ms / 1000);
  const vs = floor ? `   floor ${floor.ms.toFixed(0).padStart(6)} ms ${(pkg.bytes / MB / (floor.ms / 1000)).toFixed(0).padStart(5)} MB/s ${(pkg.files / (floor.ms / 1000)).toFixed(0).padStart(7)} files/s  (ours ${(m.ms / floor.ms).toFixed(2)}x)` : '';
  console.log(`${label.padEnd(40)} ${m.ms.toFixed(0).padStart(6)} ms ${mbs.toFixed(0).padStart(5)} MB/s ${fps.toFixed(0).padStart(7)} files/s  cpu ${(m.cpuMs / m.ms).toFixed(2)} cores${vs}`);
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'env-setup-bench-install-'));
  try {
    console.log(`floor: ${hasZstd ? 'zstd -dc | tar -x (binaries)' : "node zlib zstd → npm tar (no zstd binary)"}; ${availableParallelism()} CPUs; files in ${work}`);
    const t0 = performance.now();
    const packages: GeneratedPackage[] = [smallFilesPackage(), largeFilesPackage()];
    const extra = [2, 3, 4].map((i) => smallFilesPackage(`small-files-${i}`, 8000, i + 10));
    console.log(`generated ${packages.length + extra.length} packages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const write = (p: GeneratedPackage): { conda: string; zst: string[] } => {
      const dir = join(work, 'archives', p.dist);
      mkdirSync(dir, { recursive: true });
      const conda = join(dir, `${p.dist}.conda`);
      writeFileSync(conda, p.conda);
      const zst = [join(dir, 'pkg.tar.zst'), join(dir, 'info.tar.zst')];
      writeFileSync(zst[0]!, zstdCompressSync(p.pkgTar));
      writeFileSync(zst[1]!, zstdCompressSync(p.infoTar));
      return { conda, zst };
    };
    let n = 0;
    const memory = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/env-setup-bench-') : undefined;
    const freshIn = (root: string) => (): string => {
      const d = join(root, 'out', String(n++));
      mkdirSync(d, { recursive: true });
      return d;
    };
    const fresh = freshIn(work);

    console.log('\n-- one package at a time (median of 5)');
    try {
      for (const p of packages) {
        const files = write(p);
        console.log(`${p.dist}: ${p.files} files, ${(p.bytes / MB).toFixed(1)} MB unpacked, ${(p.conda.length / MB).toFixed(1)} MB .conda`);
        for (const [where, root] of [['disk', work], ['tmpfs', memory]] as const) {
          if (root === undefined) continue;
          const [ours, floor] = await compare(5, freshIn(root), [
            (dest) => extractPackageArchive(files.conda, 'conda', dest, { what: `${p.dist}.conda` }),
            (dest) => floorExtract(files.zst, dest),
          ]);
          line(`  ours (.conda), ${where}`, p, ours!, floor);
        }
      }
    } finally {
      if (memory) rmSync(memory, { recursive: true, force: true });
    }

    console.log('\n-- four small-files packages at once');
    const four = [packages[0]!, ...extra];
    const fourFiles = four.map(write);
    const total = { bytes: four.reduce((s, p) => s + p.bytes, 0), files: four.reduce((s, p) => s + p.files, 0) };
    const inFlight = [1, 2, 4];
    const results = await compare(3, fresh, [
      ...inFlight.map((k) => (dest: string) => {
        const pool = new TaskPool(k);
        return Promise.all(
          fourFiles.map((f, i) =>
            pool.run(async () => {
              const d = join(dest, String(i));
              mkdirSync(d);
              await extractPackageArchive(f.conda, 'conda', d, { what: `${four[i]!.dist}.conda` });
            }),
          ),
        );
      }),
      (dest: string) =>
        Promise.all(
          fourFiles.map((f, i) => {
            const d = join(dest, String(i));
            mkdirSync(d);
            return floorExtract(f.zst, d);
          }),
        ),
    ]);
    inFlight.forEach((k, i) => line(`  ours, ${k} in flight, one thread`, total, results[i]!));
    line('  floor, 4 pipelines in parallel', total, results.at(-1)!);

    if (hasBzip2) {
      console.log('\n-- .tar.bz2 (a 2000-file package)');
      const p = smallFilesPackage('bz2-files', 2000, 7);
      const tar = join(work, 'archives', `${p.dist}.tar`);
      writeFileSync(tar, Buffer.concat([p.infoTar.subarray(0, p.infoTar.length - 1024), p.pkgTar]));
      spawnSync('bzip2', ['-9', '-f', tar]);
      const bz2 = `${tar}.bz2`;
      const [ours, floor] = await compare(3, fresh, [(dest) => extractPackageArchive(bz2, 'tar.bz2', dest, { what: `${p.dist}.tar.bz2` }), (dest) => sh(`tar -xjf '${bz2}' -C '${dest}'`)]);
      line('  ours (.tar.bz2, unbzip2-stream)', p, ours!, floor);
    }

    console.log('\n-- fetchPackages over 127.0.0.1 (all packages above, cold then warm)');
    const channel = join(work, 'channel');
    mkdirSync(join(channel, 'noarch'), { recursive: true });
    const all = [...packages, ...extra];
    const records = all.map((p) => {
      const fn = `${p.dist}.conda`;
      writeFileSync(join(channel, 'noarch', fn), p.conda);
      return { fn, sha256: createHash('sha256').update(p.conda).digest('hex'), md5: createHash('md5').update(p.conda).digest('hex'), size: p.conda.length };
    });
    const server = await startChannelServer({ root: channel });
    try {
      const withUrls = records.map((r) => ({ ...r, url: `${server.url}/noarch/${r.fn}` }));
      const sum = { bytes: all.reduce((s, p) => s + p.bytes, 0), files: all.reduce((s, p) => s + p.files, 0) };
      const pkgsDir = join(work, 'pkgs');
      const cold = await measure(() => fetchPackages(withUrls, { pkgsDir }));
      line('  cold: download + sha256 + extract', sum, cold);
      const warm = await measure(() => fetchPackages(withUrls, { pkgsDir }));
      console.log(`  warm, 'paths' check (every file stat'ed): ${warm.ms.toFixed(0)} ms for ${sum.files} files`);
      const warmRecord = await measure(() => fetchPackages(withUrls, { pkgsDir, cacheCheck: 'record' }));
      console.log(`  warm, 'record' check (repodata_record.json only): ${warmRecord.ms.toFixed(0)} ms`);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
