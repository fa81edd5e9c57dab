// The benchmark channel generator: deterministic per seed, exact size, every record readable, every
// dependency a valid match spec that some record in the channel satisfies, the hard structures present,
// and the benchmark environments satisfiable (checked with rattler's solver over a local HTTP server).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  BENCH_ENVIRONMENTS, DATA_SCIENCE_STACK, generateChannel, generateChannelWithStats, type GeneratedChannel, type RepodataJson, writeChannel,
} from '../../bench/generate-channel.ts';
import { virtualPackagesFor } from '../../core/index/virtual-packages.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { type PackageRecord, readPackageRecord } from '../../core/spec/record.ts';
import type { RecordLike } from '../../core/spec/record-like.ts';
import { Version } from '../../core/spec/version.ts';

const RECORDS = 20_000;
const { channel, stats } = generateChannelWithStats({ records: RECORDS, seed: 7 });

function sha(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function* entries(ch: GeneratedChannel): Generator<[string, string, Record<string, unknown>]> {
  for (const subdir of ['linux-64', 'noarch'] as const) {
    for (const [fn, raw] of Object.entries(ch[subdir]['packages.conda'])) yield [subdir, fn, raw as unknown as Record<string, unknown>];
  }
}

/** Every record read with the project's reader, by name (versions parsed once). */
const byName = new Map<string, (PackageRecord & { parsed: Version })[]>();
for (const [subdir, fn, raw] of entries(channel)) {
  const r = readPackageRecord(raw, { fn, subdir, channel: 'bench' });
  let list = byName.get(r.name);
  if (list === undefined) byName.set(r.name, (list = []));
  list.push({ ...r, parsed: Version.parse(r.version) });
}

/** Virtual packages a machine can offer: every platform's defaults, plus a newer glibc. */
const virtuals = new Map<string, RecordLike[]>();
for (const platform of ['linux-64', 'osx-64', 'osx-arm64', 'win-64']) {
  for (const env of [{}, { CONDA_OVERRIDE_GLIBC: '2.39' }]) {
    for (const v of virtualPackagesFor(platform, { detect: false, env })) {
      let list = virtuals.get(v.name);
      if (list === undefined) virtuals.set(v.name, (list = []));
      list.push(v);
    }
  }
}

function candidates(name: string): readonly RecordLike[] {
  if (name.startsWith('__')) return virtuals.get(name) ?? [];
  return (byName.get(name) ?? []).map((r) => ({ ...r, version: r.parsed }));
}

test('the channel has exactly the records asked for, in repodata form', () => {
  assert.equal(stats.records, RECORDS);
  const linux = Object.keys(channel['linux-64']['packages.conda']).length;
  const noarch = Object.keys(channel.noarch['packages.conda']).length;
  assert.equal(linux + noarch, RECORDS);
  for (const [subdir, data] of Object.entries(channel) as [string, RepodataJson][]) {
    assert.deepEqual(data.info, { subdir });
    assert.deepEqual(data.packages, {});
    assert.equal(data.repodata_version, 1);
    const keys = Object.keys(data['packages.conda']);
    assert.deepEqual(keys, [...keys].sort(), `${subdir} is sorted by file name`);
  }
  assert.ok(stats.names > 500, `only ${stats.names} names`);
  assert.ok(stats.coreRecords > 5000 && stats.coreRecords < RECORDS);
});

test('same seed, same channel; another seed, another channel', () => {
  const again = generateChannel({ records: RECORDS, seed: 7 });
  assert.equal(sha(again), sha(channel));
  const other = generateChannel({ records: RECORDS, seed: 8 });
  assert.notEqual(sha(other), sha(channel));
  assert.throws(() => generateChannel({ records: 1000 }), /records must be at least \d+/);
  assert.throws(() => generateChannel({ records: -1 }), RangeError);
});

test('every record reads with readPackageRecord and has the real repodata fields', () => {
  for (const [subdir, fn, raw] of entries(channel)) {
    const r = readPackageRecord(raw, { fn, subdir, channel: 'bench' });
    assert.equal(fn, `${r.name}-${r.version}-${r.build}.conda`);
    assert.equal(r.subdir, subdir);
    assert.match(r.md5 ?? '', /^[0-9a-f]{32}$/, fn);
    assert.match(r.sha256 ?? '', /^[0-9a-f]{64}$/, fn);
    assert.ok((r.size ?? 0) > 0 && r.timestamp !== undefined && r.timestamp > Date.UTC(2019, 0, 1) && r.timestamp < Date.UTC(2025, 7, 1), fn);
    assert.ok(r.license, fn);
    assert.equal(Object.keys(raw).join(','), Object.keys(raw).sort().join(','), `${fn}: keys in alphabetical order`);
    if (subdir === 'noarch') assert.ok(r.noarch === 'python' || r.noarch === 'generic', fn);
    Version.parse(r.version);
  }
});

test('every depends and constrains string parses, and every dependency is satisfiable in the channel', () => {
  const checked = new Map<string, boolean>();
  const unsatisfiable: string[] = [];
  let strings = 0;
  for (const [, fn, raw] of entries(channel)) {
    for (const c of (raw.constrains as string[] | undefined) ?? []) MatchSpec.parse(c);
    for (const d of raw.depends as string[]) {
      strings++;
      if (checked.has(d)) continue;
      const spec = MatchSpec.parse(d);
      const ok = candidates(spec.name).some((c) => spec.matches(c));
      checked.set(d, ok);
      if (!ok) unsatisfiable.push(`${fn}: ${d}`);
    }
  }
  assert.deepEqual(unsatisfiable, []);
  assert.ok(strings > 100_000, `${strings} dependency strings`);
  assert.ok(checked.size > 2000, `${checked.size} distinct dependency strings`);
});

test('the structures that make solving hard are there', () => {
  const recs = (name: string): (PackageRecord & { parsed: Version })[] => byName.get(name) ?? [];
  const deps = (name: string): Set<string> => new Set(recs(name).flatMap((r) => r.depends));
  // Python 3.8–3.13 with python_abi, per-minor builds, free-threaded 3.13 kept apart by track_features
  const minors = new Set(recs('python').map((r) => r.version.split('.').slice(0, 2).join('.')));
  assert.deepEqual([...minors].sort(), ['3.10', '3.11', '3.12', '3.13', '3.8', '3.9']);
  assert.ok(recs('python').some((r) => r.build.endsWith('_cp313t') && r.track_features.includes('py_freethreading')));
  assert.ok(recs('python_abi').some((r) => r.build.endsWith('_cp312') && r.constrains.includes('python 3.12.* *_cpython')));
  assert.ok(deps('scipy').has('python >=3.12,<3.13.0a0') && deps('scipy').has('python_abi 3.12.* *_cp312'));
  // numpy 1.x and 2.x, dependents built against either
  assert.ok(recs('numpy').some((r) => r.version.startsWith('1.')) && recs('numpy').some((r) => r.version.startsWith('2.')));
  const pandasDeps = [...deps('pandas')];
  assert.ok(pandasDeps.some((d) => /^numpy >=1\.\d+(\.\d+)?,<2\.0a0$/.test(d)), 'numpy <2 pins');
  assert.ok(pandasDeps.some((d) => /^numpy >=[\d.]+,<3$/.test(d)), 'numpy <3 pins');
  // BLAS variants: mkl builds carry track_features
  const libblas = recs('libblas');
  assert.ok(libblas.some((r) => r.build.endsWith('_openblas') && r.track_features.length === 0));
  assert.ok(libblas.some((r) => r.build.endsWith('_mkl') && r.track_features.includes('blas_mkl')));
  assert.ok(recs('blas').some((r) => r.build === 'mkl') && recs('libcblas').every((r) => r.depends.some((d) => d.startsWith('libblas 3.'))));
  // openssl 1.1.1 vs 3
  assert.ok(deps('python').has('openssl >=1.1.1w,<1.1.2a') || [...deps('python')].some((d) => /^openssl >=1\.1\.1\w+,<1\.1\.2a$/.test(d)));
  assert.ok([...deps('python')].some((d) => /^openssl >=3\.[\d.]+,<4\.0a0$/.test(d)));
  // compiler runtimes, __glibc, constrains, MPI variants
  assert.ok([...deps('numpy')].some((d) => d.startsWith('libgcc-ng >=')) && [...deps('numpy')].some((d) => d.startsWith('libstdcxx >=')));
  assert.ok(deps('numpy').has('__glibc >=2.17,<3.0.a0'));
  assert.ok(recs('numba').some((r) => r.constrains.includes('tbb >=2021.6.0')));
  assert.ok(recs('h5py').some((r) => r.build.startsWith('nompi_')) && recs('h5py').some((r) => r.build.startsWith('mpi_openmpi_')));
  // long noarch histories and split OS builds
  const noarchVersions = new Map<string, Set<string>>();
  for (const [fn, raw] of Object.entries(channel.noarch['packages.conda'])) {
    let s = noarchVersions.get(raw.name);
    if (s === undefined) noarchVersions.set(raw.name, (s = new Set()));
    s.add(raw.version);
    assert.ok(fn.endsWith('.conda'));
  }
  assert.ok([...noarchVersions.values()].filter((s) => s.size >= 30).length >= 10, 'noarch packages with 30+ versions');
  assert.ok(recs('click').some((r) => r.depends.includes('__unix')) && recs('click').some((r) => r.depends.includes('__win')));
  // a long tail of names, many with several versions
  const multi = [...byName.values()].filter((rs) => new Set(rs.map((r) => r.version)).size >= 5).length;
  assert.ok(multi > 300, `${multi} names with 5+ versions`);
});

test('the benchmark environments name packages that exist', () => {
  assert.equal(DATA_SCIENCE_STACK.length, 40);
  for (const env of BENCH_ENVIRONMENTS) {
    for (const s of env.specs) {
      const spec = MatchSpec.parse(s);
      assert.ok(candidates(spec.name).some((c) => spec.matches(c)), `${env.name}: ${s}`);
    }
  }
});

test('writeChannel writes <dir>/<subdir>/repodata.json, byte for byte JSON.stringify', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-channel-'));
  try {
    const files = writeChannel(dir, channel);
    assert.deepEqual(files.map((f) => path.relative(dir, f)).sort(), [path.join('linux-64', 'repodata.json'), path.join('noarch', 'repodata.json')]);
    for (const subdir of ['linux-64', 'noarch'] as const) {
      assert.equal(readFileSync(path.join(dir, subdir, 'repodata.json'), 'utf8'), JSON.stringify(channel[subdir]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface Rattler {
  simpleSolve(specs: string[], channels: string[], platforms: string[], locked: unknown): Promise<{ packageName: string; version: string }[]>;
}

function loadRattler(): Rattler | undefined {
  try {
    return createRequire(import.meta.url)('@conda-org/rattler') as Rattler;
  } catch {
    return undefined;
  }
}

const rattler = loadRattler();

test('every benchmark environment is satisfiable (rattler solves it)', { skip: rattler ? false : '@conda-org/rattler is not installed', timeout: 120_000 }, async () => {
  // rattler's simpleSolve knows no virtual packages: serve linux-64's defaults as ordinary records
  const linux = { ...channel['linux-64'], 'packages.conda': { ...channel['linux-64']['packages.conda'] } };
  for (const v of virtualPackagesFor('linux-64', { detect: false, env: {} })) {
    linux['packages.conda'][`${v.name}-${v.version}-${v.build}.conda`] = {
      build: v.build, build_number: 0, depends: [], license: 'virtual', md5: '0'.repeat(32), name: v.name, sha256: '0'.repeat(64), size: 1,
      subdir: 'linux-64', timestamp: 0, version: v.version,
    };
  }
  const bodies = new Map([['/linux-64/repodata.json', JSON.stringify(linux)], ['/noarch/repodata.json', JSON.stringify(channel.noarch)]]);
  const server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    for (const env of BENCH_ENVIRONMENTS) {
      const solved = await rattler!.simpleSolve(env.specs, [url], ['linux-64', 'noarch'], undefined);
      const names = new Set(solved.map((p) => p.packageName));
      for (const s of env.specs) assert.ok(names.has(MatchSpec.parse(s).name), `${env.name}: ${s} missing from the solution`);
      if (env.name === 'data-science-40') assert.ok(solved.length > 150, `${solved.length} packages`);
    }
  } finally {
    server.close();
  }
});
