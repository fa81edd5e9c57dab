// Shorthands for writing the benchmark channel's recipes: compiler runtime dependencies as conda-forge's
// compilers add them, Python and python_abi pins for per-Python builds, the numpy and openssl run-export
// pins (which depend on the Python minor and on the openssl variant), and a one-output recipe builder.

import { Version } from '../../core/spec/version.ts';
import {
  type At, type BuildCtx, GCC_SPLIT, GLIBC_DEP, mo, NUMPY2, OPENSSL3_END, type OutputDef, type PinStyle, pyDot,
  type RecipeDef, type RecipeKind, type Variant, vs, type World,
} from './model.ts';

export type Dep = string | false | undefined | null;

/** Compiler generation in use at a month, as the lower bound of the runtime pin. */
const GCC_AT: readonly [number, string][] = [[0, '9.3.0'], [mo('2021.09'), '10.3.0'], [mo('2022.10'), '12'], [mo('2024.06'), '13']];

export interface CompilerUse {
  cxx?: boolean;
  fortran?: boolean;
  openmp?: boolean;
}

interface Runtime {
  c: string;
  cxx: string;
  fortran: string;
}

/** Per month: the runtime specs, made once and shared by every record. */
const RUNTIME: Runtime[] = [];

function runtimeAt(m: number): Runtime {
  let hit = RUNTIME[m];
  if (hit === undefined) {
    let g = GCC_AT[0]![1];
    for (const [month, v] of GCC_AT) if (m >= month) g = v;
    const split = m >= GCC_SPLIT;
    hit = { c: split ? `libgcc >=${g}` : `libgcc-ng >=${g}`, cxx: split ? `libstdcxx >=${g}` : `libstdcxx-ng >=${g}`, fortran: split ? 'libgfortran' : 'libgfortran-ng' };
    RUNTIME[m] = hit;
  }
  return hit;
}

/** Run-time dependencies conda-forge's compilers add: `__glibc`, libgcc(-ng), libstdcxx(-ng), libgfortran. */
export function cc(c: BuildCtx, use: CompilerUse = {}): Dep[] {
  const rt = runtimeAt(c.m);
  const out: Dep[] = [c.m >= GLIBC_DEP && '__glibc >=2.17,<3.0.a0', rt.c];
  if (use.cxx) out.push(rt.cxx);
  if (use.fortran) out.push(rt.fortran, c.pin('libgfortran5'));
  if (use.openmp) out.push('_openmp_mutex >=4.5');
  return out;
}

const PY_SPECS = new Map<number, [string, string]>();

/** `python >=3.12,<3.13.0a0` and `python_abi 3.12.* *_cp312` for a per-Python build. */
export function py(c: BuildCtx): Dep[] {
  if (c.py === undefined) throw new Error('py() outside a per-Python build');
  let hit = PY_SPECS.get(c.py);
  if (hit === undefined) {
    const d = pyDot(c.py);
    const [a, b] = d.split('.').map(Number) as [number, number];
    PY_SPECS.set(c.py, (hit = [`python >=${d},<${a}.${b + 1}.0a0`, `python_abi ${d}.* *_cp${c.py}`]));
  }
  return hit;
}

const PY_MIN: readonly [number, string][] = [[mo('2021.01'), 'python >=3.6'], [mo('2022.06'), 'python >=3.7'], [mo('2024.09'), 'python >=3.8']];

/** The lower bound of `python` for noarch packages released at a month (conda-forge's python_min). */
export function pyMin(m: number): string {
  for (const [before, spec] of PY_MIN) if (m < before) return spec;
  return 'python >=3.9';
}

/** A `pythons` function from a table of version prefixes: `pyTable([['1.17', [38, 38]], ['1.19', [38, 39]]])`. */
export function pyTable(entries: readonly (readonly [string, readonly [number, number]])[]): (v: string) => readonly [number, number] | undefined {
  return (v) => {
    let found: readonly [number, number] | undefined;
    for (const [prefix, range] of entries) {
      if (v === prefix || v.startsWith(`${prefix}.`)) found = range;
    }
    return found;
  };
}

/** openssl's pin depends on the variant being built (1.1.1 or 3) during the migration. */
export function registerOpensslPin(w: World, openssl111: readonly At[], openssl3: readonly At[]): void {
  w.registerPin('openssl', {
    versions: openssl3,
    style: 'x',
    custom: (m, variant: Variant) => {
      const ssl = variant.ssl ?? (m < OPENSSL3_END ? '1.1.1' : '3');
      if (ssl === '1.1.1') return { spec: `openssl >=${latest(openssl111, m)},<1.1.2a`, key: 'ssl1' };
      return { spec: `openssl >=${latest(openssl3, m)},<4.0a0`, key: 'ssl3' };
    },
  });
}

/**
 * numpy's run-export depends on the Python minor: the oldest numpy built for it, `<2.0a0` before the
 * numpy 2 migration and `<3` after. Read from the numpy records already built.
 */
export function registerNumpyPin(w: World): void {
  const oldest = new Map<number, string>();
  for (const r of w.linux.records) {
    if (r.name !== 'numpy') continue;
    const p = Number(/^py(\d+)h/.exec(r.build)?.[1]);
    const have = oldest.get(p);
    if (have === undefined || Version.parse(r.version).compare(Version.parse(have)) < 0) oldest.set(p, r.version);
  }
  const numpyVersions = [...new Set(w.linux.records.filter((r) => r.name === 'numpy').map((r) => r.version))]
    .map((v) => ({ v, m: 0 }));
  w.registerPin('numpy', {
    versions: numpyVersions,
    style: 'x',
    custom: (m, _variant, p) => {
      const key = m < NUMPY2 ? 'np1' : 'np2';
      if (p === undefined) return { spec: '', key };
      const low = oldest.get(p);
      if (low === undefined) throw new Error(`no numpy was built for python ${p}`);
      if (m < NUMPY2) return { spec: `numpy >=${low},<2.0a0`, key };
      return { spec: p <= 311 ? 'numpy >=1.23,<3' : `numpy >=${low},<3`, key };
    },
  });
}

function latest(versions: readonly At[], m: number): string {
  let best = versions[0]!.v;
  for (const at of versions) if (at.m <= m) best = at.v;
  return best;
}

export interface Simple {
  name: string;
  kind: RecipeKind;
  versions: string | readonly At[];
  id?: string;
  /** How others pin this package. */
  pin?: PinStyle;
  /** Names pinned at build time (each a run-export spec); they also trigger rebuilds. */
  pinned?: readonly string[];
  /** More rebuild triggers (for pins added by `deps`). */
  host?: readonly string[];
  /** Compiler runtime dependencies (default: C only for lib and pyext; none for noarch). */
  cc?: CompilerUse | false;
  deps?: (c: BuildCtx) => readonly Dep[];
  cons?: (c: BuildCtx) => readonly Dep[];
  /** For noarch: the python requirement (default pyMin of the release month). */
  python?: (c: BuildCtx) => string;
  pythons?: (v: string) => readonly [number, number] | undefined;
  variants?: (m: number) => readonly Variant[];
  rebuilds?: readonly string[];
  until?: string;
  license?: string;
  licenseFamily?: string;
  size?: readonly [number, number];
  noarch?: 'python' | 'generic';
  trackFeatures?: (c: BuildCtx) => string | undefined;
  build?: OutputDef['build'];
  buildNumber?: OutputDef['buildNumber'];
  /** More outputs built alongside (they may refer to this one with `c.sib(name)`). */
  more?: readonly OutputDef[];
}

/** A recipe with one main output (plus `more`), its dependencies assembled the conda-forge way. */
export function simple(s: Simple): RecipeDef {
  const versions = typeof s.versions === 'string' ? vs(s.versions) : s.versions;
  const main: OutputDef = {
    name: s.name,
    noarch: s.noarch,
    build: s.build,
    buildNumber: s.buildNumber,
    trackFeatures: s.trackFeatures,
    depends: (c) => {
      const out: string[] = [];
      const add = (items: readonly Dep[]): void => {
        for (const d of items) if (typeof d === 'string' && d !== '') out.push(d);
      };
      if (s.kind === 'pyext') add(py(c));
      if (s.kind === 'noarch' && s.noarch !== 'generic') out.push(s.python ? s.python(c) : pyMin(versionMonth(versions, c)));
      if (s.kind !== 'noarch' && s.cc !== false) add(cc(c, s.cc ?? {}));
      for (const n of s.pinned ?? []) out.push(c.pin(n));
      if (s.deps) add(s.deps(c));
      return out;
    },
    constrains: s.cons,
  };
  return {
    id: s.id ?? s.name,
    kind: s.kind,
    versions,
    outputs: [main, ...(s.more ?? [])],
    host: [...(s.pinned ?? []), ...(s.host ?? [])],
    pythons: s.pythons,
    variants: s.variants,
    rebuilds: s.rebuilds?.map(mo),
    until: s.until === undefined ? undefined : mo(s.until),
    pin: s.pin,
    pinNames: s.pin ? [s.name] : undefined,
    license: s.license,
    licenseFamily: s.licenseFamily,
    size: s.size,
  };
}

/** The release month of the version being built (noarch python bounds follow the release, not rebuilds). */
function versionMonth(versions: readonly At[], c: BuildCtx): number {
  return versions[c.vi]?.m ?? c.m;
}

/**
 * `n` plausible versions from `first` to `last`, released evenly between two months: `hist('1.0.0',
 * '4.3.5', 30, '2019.10', '2025.03')`. Walks major.minor steps (up to 8 minors in a major that is passed
 * through) and spends the remaining releases on patches; the result is strictly increasing.
 */
export function hist(first: string, last: string, n: number, from: string, to: string): At[] {
  const a = first.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const b = last.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const three = Math.max(first.split('.').length, last.split('.').length) >= 3;
  const keys: [number, number][] = [];
  const [a0 = 0, a1 = 0] = a;
  const [b0 = 0, b1 = 0] = b;
  if (a0 === b0) for (let mi = a1; mi <= b1; mi++) keys.push([a0, mi]);
  else {
    for (let mi = a1; mi <= a1 + 8; mi++) keys.push([a0, mi]);
    for (let ma = a0 + 1; ma < b0; ma++) for (let mi = 0; mi <= 8; mi++) keys.push([ma, mi]);
    for (let mi = 0; mi <= b1; mi++) keys.push([b0, mi]);
  }
  const chosen: { key: [number, number]; patches: number }[] = [];
  if (n <= keys.length) {
    for (let i = 0; i < n; i++) chosen.push({ key: keys[n === 1 ? keys.length - 1 : Math.round((i * (keys.length - 1)) / (n - 1))]!, patches: 1 });
  } else {
    const base = Math.floor(n / keys.length);
    const extra = n % keys.length;
    keys.forEach((key, i) => chosen.push({ key, patches: base + (i >= keys.length - extra ? 1 : 0) }));
  }
  const texts: string[] = [];
  chosen.forEach(({ key: [ma, mi], patches }, i) => {
    const p0 = i === 0 ? (a[2] ?? 0) : 0;
    for (let p = p0; p < p0 + patches; p++) texts.push(three || p > 0 ? `${ma}.${mi}.${p}` : `${ma}.${mi}`);
  });
  texts[0] = first;
  texts[texts.length - 1] = last;
  const ordered: string[] = [];
  for (const t of texts) {
    if (ordered.length === 0 || Version.parse(t).compare(Version.parse(ordered[ordered.length - 1]!)) > 0) ordered.push(t);
    else if (t === last) {
      while (ordered.length > 0 && Version.parse(ordered[ordered.length - 1]!).compare(Version.parse(t)) >= 0) ordered.pop();
      ordered.push(t);
    }
  }
  const m0 = mo(from);
  const m1 = mo(to);
  const k = ordered.length;
  return ordered.map((v, i) => ({ v, m: Math.round(m0 + ((m1 - m0) * (k === 1 ? 1 : i / (k - 1)))) }));
}

/** Calendar versions (`2023.6.0`) released every `step` months between two months. */
export function calver(from: string, to: string, step: number, style: 'y.m.0' | 'y.m.d' | 'y.m' = 'y.m.0'): At[] {
  const out: At[] = [];
  for (let m = mo(from); m <= mo(to); m += step) {
    const y = 2019 + Math.floor((9 + m) / 12);
    const mm = ((9 + m) % 12) + 1;
    const v = style === 'y.m' ? `${y}.${mm}` : style === 'y.m.d' ? `${y}.${mm}.${1 + ((m * 7) % 27)}` : `${y}.${mm}.0`;
    out.push({ v, m });
  }
  return out;
}
