// The long tail of the benchmark channel: thousands of made-up packages (pure-Python noarch ones with
// long histories, per-Python extensions, C libraries), each depending on core packages and on tail
// packages made before it, until the channel holds exactly the requested number of records.

import { type At, type BuildCtx, END, mo, nums, type PinStyle, type Variant, type World } from './model.ts';
import { type Dep, pyMin, simple } from './recipes.ts';
import { Rng } from './rng.ts';

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'cr', 'dr', 'fl', 'gl', 'pl', 'pr', 'sk', 'sl', 'sp', 'st', 'tr', 'th', 'ch', 'sh', 'qu', 'gr', 'bl', 'kr', 'sn', 'sw', 'tw'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'x', 't', 'm', 'k', 'nd', 'rt', 'st', 'ck', 'ng', 'sh', 'lt', 'mp', 'rn'];
const PY_SUFFIXES = ['utils', 'client', 'tools', 'core', 'api', 'sdk', 'cli', 'plugin', 'extras', 'io', 'lite', 'server', 'async', 'schema', 'viz', 'ml', 'data', 'db', 'auth', 'config', 'test', 'types', 'compat', 'hub', 'kit', 'lab', 'learn', 'parse', 'stream', 'sync', 'web'];
const PY_PREFIXES = ['pytest', 'sphinx', 'flask', 'django', 'jupyter', 'napari', 'mkdocs', 'types', 'azure', 'google-cloud', 'aws', 'dagster', 'prefect', 'pandas', 'xarray', 'scikit', 'pydantic', 'r', 'ros-humble', 'qiime2'];
const EXT_SUFFIXES = ['core', 'ext', 'accel', 'native', 'fast', 'rs', 'bindings'];
const LIB_SUFFIXES = ['cpp', 'c', 'static', 'tools'];

/** Core packages tail packages commonly depend on (pure Python ones and compiled ones). */
const CORE_PY_DEPS = [
  'requests', 'numpy', 'pandas', 'scipy', 'matplotlib-base', 'click', 'pyyaml', 'jinja2', 'packaging', 'typing_extensions', 'attrs', 'six',
  'python-dateutil', 'tqdm', 'rich', 'pydantic', 'setuptools', 'toolz', 'pytz', 'certifi', 'urllib3', 'idna', 'cryptography', 'lxml',
  'sqlalchemy', 'scikit-learn', 'networkx', 'sympy', 'pillow', 'pytest', 'jsonschema', 'fsspec', 'cloudpickle', 'tornado', 'psutil',
  'pyzmq', 'ipython', 'traitlets', 'h5py', 'xarray', 'dask-core', 'boto3', 'httpx', 'anyio', 'importlib-metadata', 'platformdirs',
  'pygments', 'markupsafe', 'cffi', 'pyarrow', 'numba', 'bokeh', 'plotly', 'seaborn', 'statsmodels', 'ipykernel', 'fastapi', 'starlette',
];
const CORE_LIB_PINS = [
  'libzlib', 'zstd', 'libcurl', 'openssl', 'libpng', 'libxml2', 'libffi', 'libsqlite', 'bzip2', 'lz4-c', 'libjpeg-turbo', 'libtiff', 'freetype',
  'icu', 'libiconv', 'libprotobuf', 'libabseil', 'snappy', 'libsodium', 'zeromq', 'gmp', 'mpfr', 'libuv', 'libssh2', 'krb5', 'c-ares',
  'libnghttp2', 'libwebp-base', 'libdeflate', 'tk', 'ncurses', 'readline', 'yaml', 'libaec', 'hdf5', 'libnetcdf', 'glog', 'libthrift',
];

interface Known {
  name: string;
  versions: readonly At[];
  /** Versions made only of numbers (usable as bounds), in release order. */
  numeric?: At[];
}

/** Version history of every name already in the channel, from its records (month of first build). */
function historyOf(w: World): Map<string, At[]> {
  const first = new Map<string, Map<string, number>>();
  for (const subdir of [w.linux, w.noarch]) {
    for (const r of subdir.records) {
      let vs = first.get(r.name);
      if (vs === undefined) first.set(r.name, (vs = new Map()));
      const m = Math.floor((r.timestamp - Date.UTC(2019, 9, 1)) / (30.44 * 86_400_000));
      const have = vs.get(r.version);
      if (have === undefined || m < have) vs.set(r.version, m);
    }
  }
  const out = new Map<string, At[]>();
  for (const [name, vs] of first) out.set(name, [...vs].map(([v, m]) => ({ v, m: Math.max(0, m) })).sort((a, b) => a.m - b.m));
  return out;
}

class NameMaker {
  private readonly used: Set<string>;

  constructor(used: Iterable<string>) {
    this.used = new Set(used);
  }

  private root(rng: Rng): string {
    for (;;) {
      const syllables = rng.chance(0.55) ? 2 : rng.chance(0.7) ? 1 : 3;
      let s = '';
      for (let i = 0; i < syllables; i++) s += rng.pick(ONSETS) + rng.pick(VOWELS) + (i === syllables - 1 || rng.chance(0.3) ? rng.pick(CODAS) : '');
      if (s.length >= 3 && s.length <= 12) return s;
    }
  }

  make(rng: Rng, kind: 'noarch' | 'pyext' | 'lib'): string {
    for (let attempt = 0; ; attempt++) {
      const r = this.root(rng);
      const x = rng.float();
      let name: string;
      if (kind === 'noarch') {
        name = x < 0.3 ? r : x < 0.45 ? `py${r}` : x < 0.8 ? `${r}-${rng.pick(PY_SUFFIXES)}` : x < 0.85 ? `${r}_${rng.pick(PY_SUFFIXES)}` : `${rng.pick(PY_PREFIXES)}-${r}`;
      } else if (kind === 'pyext') {
        name = x < 0.45 ? r : x < 0.65 ? `py${r}` : `${r}-${rng.pick(EXT_SUFFIXES)}`;
      } else {
        name = x < 0.45 ? `lib${r}` : x < 0.75 ? r : `${r}-${rng.pick(LIB_SUFFIXES)}`;
      }
      if (attempt > 5) name = `${name}${attempt}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
}

/** A release history: `n` versions in one style, at nondecreasing months from `start`. */
function makeVersions(rng: Rng, n: number, start: number): At[] {
  const months: number[] = [];
  for (let i = 0; i < n; i++) months.push(start + rng.int(END - start));
  months.sort((a, b) => a - b);
  months[0] = start;
  const style = rng.float();
  const out: At[] = [];
  if (style < 0.12) {
    // calendar versions
    let lastKey = '';
    let day = 1;
    for (const m of months) {
      const y = 2019 + Math.floor((9 + m) / 12);
      const mm = ((9 + m) % 12) + 1;
      const key = `${y}.${mm}`;
      day = key === lastKey ? day + 1 + rng.int(3) : 1 + rng.int(20);
      lastKey = key;
      out.push({ v: `${y}.${mm}.${day}`, m });
    }
    return out;
  }
  const two = style < 0.27;
  let major = rng.chance(0.45) ? 0 : rng.range(1, 4);
  let minor = rng.int(15);
  let patch = two ? 0 : rng.int(4);
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const step = rng.float();
      if (step < (two ? 0.1 : 0.05)) {
        major++;
        minor = 0;
        patch = 0;
      } else if (step < (two ? 0.85 : 0.28)) {
        minor++;
        patch = 0;
      } else patch++;
    }
    out.push({ v: two && patch === 0 ? `${major}.${minor}` : `${major}.${minor}.${patch}`, m: months[i]! });
  }
  return out;
}

/** `name >=1.2`, `name >=1.2,<3` or just `name`, always matched by a version released by month m. */
function pySpec(rng: Rng, dep: Known, m: number): string {
  const numeric = (dep.numeric ??= dep.versions.filter((a) => /^\d+(\.\d+)*$/.test(a.v)));
  let count = 0;
  while (count < numeric.length && numeric[count]!.m <= m) count++;
  if (count === 0) return dep.name;
  const form = rng.float();
  if (form < 0.3) return dep.name;
  const low = numeric[Math.floor(rng.float() * rng.float() * count)]!.v;
  const [a = 0, b = 0] = nums(low);
  if (form < 0.8) return `${dep.name} >=${a}.${b}`;
  const newest = nums(numeric[count - 1]!.v)[0] ?? 0;
  return `${dep.name} >=${a}.${b},<${newest + 1}`;
}

function released(k: Known, m: number): boolean {
  return k.versions.length > 0 && k.versions[0]!.m <= m;
}

/**
 * Add tail packages until the channel holds `target` records. Returns the number of tail names.
 * The last package is cut to its newest records so the total is exact.
 */
export function buildTail(w: World, target: number, seed: number): number {
  const history = historyOf(w);
  const names = new NameMaker(history.keys());
  const pyPool: Known[] = CORE_PY_DEPS.filter((n) => history.has(n)).map((n) => ({ name: n, versions: history.get(n)! }));
  const libPool: Known[] = CORE_LIB_PINS.filter((n) => history.has(n)).map((n) => ({ name: n, versions: history.get(n)! }));
  const base = new Rng(seed ^ 0x5eed7a11);
  let made = 0;
  while (w.count < target) {
    const rng = base.fork(`tail:${made}`);
    const r = rng.float();
    const kind = r < 0.58 ? 'noarch' : r < 0.8 ? 'pyext' : 'lib';
    const name = names.make(rng, kind);
    const start = Math.min(END - 1, Math.floor(END * (1 - rng.float() ** 1.4)));
    const u = rng.float();
    const n = kind === 'noarch' ? 1 + Math.floor(60 * u ** 2.4) : kind === 'pyext' ? 1 + Math.floor(24 * u ** 2) : 1 + Math.floor(20 * u ** 2);
    const versions = makeVersions(rng, n, start);
    // dependencies chosen once for the package; their bounds follow each build's month
    const pickFrom = <T extends Known>(pool: readonly T[], count: number, ok: (k: T) => boolean): T[] => {
      const out: T[] = [];
      for (let tries = 0; out.length < count && tries < count * 6 && pool.length > 0; tries++) {
        // favour recent additions and the core alike
        const k = rng.chance(0.5) ? pool[pool.length - 1 - rng.int(Math.min(pool.length, 60))]! : pool[rng.int(pool.length)]!;
        if (ok(k) && !out.includes(k) && k.name !== name) out.push(k);
      }
      return out;
    };
    const pyDeps = pickFrom(pyPool, kind === 'lib' ? 0 : rng.range(0, kind === 'noarch' ? 4 : 2), () => true);
    const libDeps = pickFrom(libPool, kind === 'noarch' ? 0 : rng.range(0, 3), (k) => released(k, start) && !(k.name === 'openssl' && kind === 'lib' && rng.chance(0.5)));
    const withNumpy = kind === 'pyext' && rng.chance(0.3);
    const specRng = rng.fork('specs');
    // one spec per dependency and month, shared by the records built that month
    const depSpecs: string[][] = pyDeps.map(() => []);
    const deps = (c: BuildCtx): Dep[] => {
      const out: Dep[] = [];
      for (const k of libDeps) out.push(c.pin(k.name));
      for (let i = 0; i < pyDeps.length; i++) out.push((depSpecs[i]![c.m] ??= pySpec(specRng, pyDeps[i]!, c.m)));
      if (withNumpy) out.push(c.pin('numpy'));
      return out;
    };
    const license = rng.pick(['MIT', 'MIT', 'BSD-3-Clause', 'Apache-2.0', 'Apache-2.0', 'GPL-3.0-or-later', 'LGPL-2.1-or-later', 'MPL-2.0', 'ISC', 'BSD-2-Clause']);
    const before = w.count;
    if (kind === 'noarch') {
      const generic = rng.chance(0.03);
      const splitOs = !generic && rng.chance(0.04);
      const variants = splitOs ? (): readonly Variant[] => [{ os: 'unix' }, { os: 'win' }] : undefined;
      const newPython = rng.chance(0.2);
      const from2023 = mo('2023.06');
      w.build(simple({
        name, kind: 'noarch', versions, license, noarch: generic ? 'generic' : undefined, variants,
        python: (c) => (newPython && c.m >= from2023 ? 'python >=3.10' : pyMin(versions[c.vi]!.m)),
        build: splitOs ? (c, _h, bn) => `${c.variant.os === 'unix' ? 'pyh707e725' : 'pyh7428d3b'}_${bn}` : undefined,
        deps: (c) => [...deps(c), splitOs && (c.variant.os === 'unix' ? '__unix' : '__win')],
        size: [5_000, 3_000_000],
      }));
    } else {
      const style: PinStyle = rng.pick(['x', 'x', 'x.x', 'x.x', 'x.x.x']);
      w.build(simple({
        name, kind, versions, license, deps,
        pin: kind === 'lib' ? style : undefined,
        host: [...libDeps.map((k) => k.name), ...(withNumpy ? ['numpy'] : [])],
        cc: { cxx: rng.chance(0.55), fortran: kind === 'lib' && rng.chance(0.05), openmp: rng.chance(0.06) },
        rebuilds: rng.chance(0.15) ? [`${2020 + rng.int(5)}.${1 + rng.int(12)}`] : undefined,
        size: kind === 'lib' ? [30_000, 20_000_000] : [50_000, 15_000_000],
      }));
    }
    const added = w.count - before;
    const known: Known = { name, versions };
    if (added > 0) (kind === 'lib' ? libPool : pyPool).push(known);
    made++;
    if (w.count > target) trim(w, name, w.count - target);
  }
  return made;
}

/** Drop the oldest `excess` records of one package (the last one made, which nothing depends on). */
function trim(w: World, name: string, excess: number): void {
  const mine: { fn: string; t: number }[] = [];
  for (const subdir of [w.linux, w.noarch]) {
    for (let i = subdir.size - 1; i >= 0 && subdir.records[i]!.name === name; i--) mine.push({ fn: subdir.fns[i]!, t: subdir.records[i]!.timestamp });
  }
  mine.sort((a, b) => a.t - b.t || (a.fn < b.fn ? -1 : 1));
  const drop = new Set(mine.slice(0, excess).map((x) => x.fn));
  for (const subdir of [w.linux, w.noarch]) subdir.retain((fn, r) => r.name !== name || !drop.has(fn));
}
