// A deterministic, conda-forge-like channel (linux-64 + noarch repodata) at any size, for solver
// benchmarks: a realistic core (Python 3.8–3.13 with python_abi, numpy 1.x/2.x and the packages pinned
// against it, BLAS openblas/mkl variants with track_features, openssl 1.1.1 vs 3, MPI variants,
// constrains, compiler runtimes and `__glibc`, a 40-package data-science stack with long histories)
// plus a long tail of made-up packages until the channel holds exactly the requested number of
// records. Same options, same channel (seeded PRNG). `node bench/generate-channel.ts [dir] [records]`
// writes one.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { buildNative } from './channel-gen/core-native.ts';
import { buildNoarch } from './channel-gen/core-noarch.ts';
import { type RecordJson, type SubdirRecords, World } from './channel-gen/model.ts';
import { buildTail } from './channel-gen/tail.ts';

export type RepodataRecord = RecordJson;

export interface RepodataJson {
  info: { subdir: string };
  packages: Record<string, RepodataRecord>;
  'packages.conda': Record<string, RepodataRecord>;
  repodata_version: 1;
}

export interface GeneratedChannel {
  'linux-64': RepodataJson;
  noarch: RepodataJson;
}

export interface GenerateOptions {
  /** Total records over both subdirs (default 400,000); at least the core's size (about 7,000). */
  records?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  subdir?: 'linux-64';
}

export interface GenerateStats {
  records: number;
  coreRecords: number;
  names: number;
  tailNames: number;
  ms: number;
}

export const DEFAULT_RECORDS = 400_000;

/** The benchmark environments (specs as a user would type them); every one is satisfiable on linux-64. */
export const DATA_SCIENCE_STACK: readonly string[] = [
  'python', 'numpy', 'pandas', 'jupyterlab', 'ipykernel', 'seaborn', 'statsmodels', 'xarray', 'dask', 'distributed', 'numba', 'llvmlite',
  'pyarrow', 'polars', 'sqlalchemy', 'requests', 'pydantic', 'fastapi', 'uvicorn', 'pytest', 'black', 'ruff', 'mypy', 'sympy', 'networkx',
  'pillow', 'h5py', 'netcdf4', 'bokeh', 'plotly', 'altair', 'tqdm', 'rich', 'click', 'pyyaml', 'jinja2', 'cryptography', 'lxml',
  'beautifulsoup4', 'boto3',
];

export const BENCH_ENVIRONMENTS: { name: string; specs: string[] }[] = [
  { name: 'python', specs: ['python'] },
  { name: 'numpy-scipy-pandas', specs: ['numpy', 'scipy', 'pandas'] },
  { name: 'sklearn-matplotlib', specs: ['scikit-learn', 'matplotlib-base'] },
  { name: 'data-science-40', specs: [...DATA_SCIENCE_STACK] },
  // old pins force the solver deep into history: a Python built against openssl 1.1.1, numpy 1.x
  { name: 'legacy-pins', specs: ['python 3.9.*', 'numpy <2', 'openssl <3', 'pandas', 'scipy'] },
];

/** Generate the channel in memory. Records share their `depends` arrays and strings: treat them as read-only. */
export function generateChannel(options: GenerateOptions = {}): GeneratedChannel {
  return generateChannelWithStats(options).channel;
}

/** `generateChannel`, with how big the core and the tail came out and how long it took. */
export function generateChannelWithStats(options: GenerateOptions = {}): { channel: GeneratedChannel; stats: GenerateStats } {
  const t0 = performance.now();
  const records = options.records ?? DEFAULT_RECORDS;
  const seed = options.seed ?? 1;
  const subdir = options.subdir ?? 'linux-64';
  if (!Number.isInteger(records) || records <= 0) throw new RangeError(`records must be a positive integer, not ${records}`);
  const world = new World(seed, subdir);
  buildNative(world);
  buildNoarch(world);
  const coreRecords = world.count;
  if (records < coreRecords) throw new RangeError(`records must be at least ${coreRecords} (the core of the channel) for seed ${seed}; asked for ${records}`);
  const tailNames = buildTail(world, records, seed);
  const channel: GeneratedChannel = { 'linux-64': repodata(subdir, world.linux), noarch: repodata('noarch', world.noarch) };
  return { channel, stats: { records: world.count, coreRecords, names: world.names.size, tailNames, ms: performance.now() - t0 } };
}

function repodata(subdir: string, made: SubdirRecords): RepodataJson {
  const order = made.fns.map((_, i) => i);
  order.sort((a, b) => (made.fns[a]! < made.fns[b]! ? -1 : 1));
  const conda: Record<string, RecordJson> = {};
  let previous = '';
  for (const i of order) {
    const fn = made.fns[i]!;
    if (fn === previous) throw new Error(`two records are both ${subdir}/${fn}`);
    conda[fn] = made.records[i]!;
    previous = fn;
  }
  return { info: { subdir }, packages: {}, 'packages.conda': conda, repodata_version: 1 };
}

/**
 * Write `<dir>/<subdir>/repodata.json` for each subdir (the same bytes as `JSON.stringify`, written in
 * chunks so a 400k-record channel never needs one huge string). Returns the files written.
 */
export function writeChannel(dir: string, channel: GeneratedChannel): string[] {
  const written: string[] = [];
  for (const [subdir, data] of Object.entries(channel) as [string, RepodataJson][]) {
    mkdirSync(path.join(dir, subdir), { recursive: true });
    const file = path.join(dir, subdir, 'repodata.json');
    const fd = openSync(file, 'w');
    try {
      let buf = `{"info":${JSON.stringify(data.info)},"packages":${JSON.stringify(data.packages)},"packages.conda":{`;
      let first = true;
      for (const [fn, rec] of Object.entries(data['packages.conda'])) {
        buf += `${first ? '' : ','}${JSON.stringify(fn)}:${JSON.stringify(rec)}`;
        first = false;
        if (buf.length > 1 << 22) {
          writeSync(fd, buf);
          buf = '';
        }
      }
      buf += `},"repodata_version":${data.repodata_version}}`;
      writeSync(fd, buf);
    } finally {
      closeSync(fd);
    }
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const dir = process.argv[2] ?? 'bench-channel';
  const records = process.argv[3] === undefined ? DEFAULT_RECORDS : Number(process.argv[3]);
  const { channel, stats } = generateChannelWithStats({ records });
  const files = writeChannel(dir, channel);
  console.log(`${stats.records} records (${stats.coreRecords} core), ${stats.names} names, generated in ${stats.ms.toFixed(0)} ms → ${files.join(', ')}`);
}
