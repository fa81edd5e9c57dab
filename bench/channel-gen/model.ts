// The recipe model behind the benchmark channel: months from 2019-10 to 2025-06, versions released at
// months, run-export pins (`libzlib >=1.3.1,<2.0a0`), and conda-forge's build policy — every version is
// built when released, and the newest version of a recipe is rebuilt (build number + 1) when a pin it
// was built against changes its upper bound (a "migration"), when Python minors are added or dropped,
// or when its variants change. Records are emitted in repodata form.

import { VersionSpec } from '../../core/spec/version-spec.ts';
import { hashString, Rng } from './rng.ts';

// ---------------------------------------------------------------------------------------------------
// time

const BASE_YEAR = 2019;
const BASE_MONTH = 10;

/** Months since 2019-10 for `YYYY.MM` (earlier dates count as month 0). */
export function mo(text: string): number {
  const [y, m] = text.split('.').map(Number) as [number, number];
  return Math.max(0, (y - BASE_YEAR) * 12 + (m - BASE_MONTH));
}

/** The first month no longer simulated (2025-07). */
export const END = mo('2025.07');

const MONTH_MS: number[] = [];
function monthStartMs(m: number): number {
  return (MONTH_MS[m] ??= Date.UTC(BASE_YEAR, BASE_MONTH - 1 + m, 1));
}

// ---------------------------------------------------------------------------------------------------
// versions

export interface At {
  v: string;
  m: number;
}

/** `'1.2@2020.01 1.3@2021.05'` → versions with months, in the given (ascending) order. */
export function vs(text: string): At[] {
  const out: At[] = [];
  for (const item of text.trim().split(/\s+/)) {
    const at = item.lastIndexOf('@');
    if (at < 0) throw new Error(`version '${item}' has no @month`);
    out.push({ v: item.slice(0, at), m: mo(item.slice(at + 1)) });
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.m < out[i - 1]!.m) throw new Error(`versions out of order at ${out[i]!.v}`);
  }
  return out;
}

/** Numeric components of a version (`1.1.1w` → [1, 1, 1], `6.4.20240210` → [6, 4, 20240210]). */
export function nums(v: string): number[] {
  const out: number[] = [];
  let n = 0;
  let inDigits = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46 /* . */ || c === 95 /* _ */) {
      out.push(n);
      n = 0;
      inDigits = true;
    } else if (inDigits && c >= 48 && c <= 57) n = n * 10 + (c - 48);
    else inDigits = false;
  }
  out.push(n);
  return out;
}

const specCache = new Map<string, VersionSpec>();

/** Does version `v` satisfy the conda version spec? (For eras of metadata.) */
export function satisfies(v: string, spec: string): boolean {
  let s = specCache.get(spec);
  if (s === undefined) {
    s = VersionSpec.parse(spec);
    specCache.set(spec, s);
  }
  return s.matches(v);
}

// ---------------------------------------------------------------------------------------------------
// pins

export type PinStyle = 'x' | 'x.x' | 'x.x.x' | 'min' | 'none';

/** The run-export spec for `name` built against version `v`, and the part that triggers migrations. */
export function pinOf(name: string, v: string, style: PinStyle): { spec: string; key: string } {
  const n = nums(v);
  const a = n[0] ?? 0;
  const b = n[1] ?? 0;
  const c = n[2] ?? 0;
  switch (style) {
    case 'x':
      return { spec: `${name} >=${v},<${a + 1}.0a0`, key: `<${a + 1}` };
    case 'x.x':
      return { spec: `${name} >=${v},<${a}.${b + 1}.0a0`, key: `<${a}.${b + 1}` };
    case 'x.x.x':
      return { spec: `${name} >=${v},<${a}.${b}.${c + 1}.0a0`, key: `<${a}.${b}.${c + 1}` };
    case 'min':
      return { spec: `${name} >=${v}`, key: '' };
    case 'none':
      return { spec: name, key: '' };
  }
}

// ---------------------------------------------------------------------------------------------------
// python

export const PYTHONS = [38, 39, 310, 311, 312, 313] as const;
export const PY_RELEASE: Readonly<Record<number, number>> = {
  38: mo('2019.10'), 39: mo('2020.10'), 310: mo('2021.10'), 311: mo('2022.10'), 312: mo('2023.10'), 313: mo('2024.10'),
};
/** First month in which a minor is no longer built. */
export const PY_DROP: Readonly<Record<number, number>> = { 38: mo('2024.10') };

/** `312` → `3.12`. */
export function pyDot(py: number): string {
  const s = String(py);
  return `${s[0]}.${s.slice(1)}`;
}

const NO_PYTHON: readonly undefined[] = [undefined];
const PY_AT: number[][] = [];
const PY_KEY: string[] = [];

/** Python minors built in a month (a shared array: do not modify). */
export function pythonsAt(m: number): number[] {
  return (PY_AT[m] ??= PYTHONS.filter((p) => PY_RELEASE[p]! <= m && m < (PY_DROP[p] ?? Infinity)));
}

function pythonsKey(m: number): string {
  return (PY_KEY[m] ??= pythonsAt(m).join('.'));
}

/** numpy 2 was released and migrated in 2024-06; builds from then on pin `<3`. */
export const NUMPY2 = mo('2024.06');
/** The openssl 1.1.1 → 3 migration: both variants are built in between. */
export const OPENSSL3_START = mo('2022.07');
export const OPENSSL3_END = mo('2023.04');
/** conda-forge split libgcc-ng into libgcc (and libstdcxx, libgfortran) here. */
export const GCC_SPLIT = mo('2024.06');
/** Builds from here depend on `__glibc >=2.17,<3.0.a0` explicitly. */
export const GLIBC_DEP = mo('2024.01');

/** Months of the big migrations (Python minors, numpy 2, openssl 3, the libgcc split): every compiled recipe is checked then. */
const MIGRATIONS: ReadonlySet<number> = new Set([
  ...Object.values(PY_RELEASE), ...Object.values(PY_DROP), NUMPY2, OPENSSL3_START, OPENSSL3_END, GCC_SPLIT, GLIBC_DEP,
]);

export function opensslVariantsAt(m: number): string[] {
  if (m < OPENSSL3_START) return ['1.1.1'];
  if (m < OPENSSL3_END) return ['1.1.1', '3'];
  return ['3'];
}

// ---------------------------------------------------------------------------------------------------
// records

export interface RecordJson {
  build: string;
  build_number: number;
  constrains?: string[];
  depends: string[];
  license: string;
  license_family?: string;
  md5: string;
  name: string;
  noarch?: 'python' | 'generic';
  sha256: string;
  size: number;
  subdir: string;
  timestamp: number;
  track_features?: string;
  version: string;
}

export type Variant = Readonly<Record<string, string>>;

export interface BuildCtx {
  readonly v: string;
  /** Index of the version in its recipe. */
  readonly vi: number;
  /** Month of this build. */
  readonly m: number;
  /** Build number of this build event (before per-output offsets). */
  readonly bn: number;
  /** Python minor (e.g. 312) for per-Python builds. */
  readonly py: number | undefined;
  readonly variant: Variant;
  /** Run-export spec of a pinned dependency at this build's month. */
  pin(name: string): string;
  /** `name version build` of an output already emitted in this build. */
  sib(name: string): string;
  /** Does this version satisfy the spec? */
  at(spec: string): boolean;
}

export interface OutputDef {
  name: string;
  version?: (c: BuildCtx) => string;
  build?: (c: BuildCtx, hash: string, bn: number) => string;
  buildNumber?: (c: BuildCtx) => number;
  depends: (c: BuildCtx) => readonly (string | false | undefined | null)[];
  constrains?: (c: BuildCtx) => readonly (string | false | undefined | null)[];
  trackFeatures?: (c: BuildCtx) => string | undefined;
  when?: (c: BuildCtx) => boolean;
  noarch?: 'python' | 'generic';
  license?: string;
  licenseFamily?: string;
  /** Size range in bytes. */
  size?: readonly [number, number];
}

export type RecipeKind = 'lib' | 'pyext' | 'noarch';

export interface RecipeDef {
  id: string;
  kind: RecipeKind;
  versions: readonly At[];
  outputs: readonly OutputDef[];
  /** Pinned names whose migrations rebuild the newest version (run-export upper bounds). */
  host?: readonly string[];
  /** Variants built at a month (each one a separate build). */
  variants?: (m: number) => readonly Variant[];
  /** Python minors a version supports (`[38, 311]`); absent: every minor built at the time. */
  pythons?: (v: string) => readonly [number, number] | undefined;
  /** Extra months at which the newest version is rebuilt. */
  rebuilds?: readonly number[];
  /** No builds from this month on (a branch that was retired). */
  until?: number;
  /** Pin style when others pin this recipe's outputs. */
  pin?: PinStyle;
  /** Names this recipe's `pin` applies to (default: every output). */
  pinNames?: readonly string[];
  license?: string;
  licenseFamily?: string;
  size?: readonly [number, number];
}

export interface PinSource {
  versions: readonly At[];
  style: PinStyle;
  /** Custom pin (openssl's variants, numpy's per-Python pins). */
  custom?: (m: number, variant: Variant, py: number | undefined) => { spec: string; key: string };
}

/** The records of one subdir, in the order made: file names and records side by side. */
export class SubdirRecords {
  readonly fns: string[] = [];
  readonly records: RecordJson[] = [];

  get size(): number {
    return this.fns.length;
  }

  push(fn: string, record: RecordJson): void {
    this.fns.push(fn);
    this.records.push(record);
  }

  /** Keep only the entries the predicate accepts. */
  retain(keep: (fn: string, record: RecordJson) => boolean): void {
    let j = 0;
    for (let i = 0; i < this.fns.length; i++) {
      if (!keep(this.fns[i]!, this.records[i]!)) continue;
      this.fns[j] = this.fns[i]!;
      this.records[j] = this.records[i]!;
      j++;
    }
    this.fns.length = j;
    this.records.length = j;
  }
}

export class World {
  readonly seed: number;
  readonly linux = new SubdirRecords();
  readonly noarch = new SubdirRecords();
  /** Every package name, with its subdirs. */
  readonly names = new Map<string, Set<string>>();
  private readonly pins = new Map<string, PinSource>();
  /** Per name: pins by month, variant and Python (a numeric key), so every record shares one string. */
  private readonly pinCache = new Map<string, Map<number, { spec: string; key: string }>>();
  readonly subdir: string;

  constructor(seed: number, subdir = 'linux-64') {
    this.seed = seed;
    this.subdir = subdir;
  }

  get count(): number {
    return this.linux.size + this.noarch.size;
  }

  rng(label: string): Rng {
    return new Rng(hashString(label, this.seed >>> 0));
  }

  registerPin(name: string, source: PinSource): void {
    this.pins.set(name, source);
  }

  /** Has a pinned name had a release by month m? */
  releasedBy(name: string, m: number): boolean {
    const src = this.pins.get(name);
    if (src === undefined) throw new Error(`nothing pins '${name}'`);
    return src.custom !== undefined || (src.versions[0] !== undefined && src.versions[0].m <= m);
  }

  pinAt(name: string, m: number, variant: Variant = {}, py?: number): { spec: string; key: string } {
    const src = this.pins.get(name);
    if (src === undefined) throw new Error(`nothing pins '${name}'`);
    let byKey = this.pinCache.get(name);
    if (byKey === undefined) this.pinCache.set(name, (byKey = new Map()));
    const key = src.custom ? m + 1000 * (py ?? 0) + (variant.ssl === '3' ? 1_000_000 : variant.ssl === '1.1.1' ? 2_000_000 : 0) : m;
    let hit = byKey.get(key);
    if (hit === undefined) {
      hit = src.custom ? src.custom(m, variant, py) : pinOf(name, currentOf(src.versions, m, name), src.style);
      byKey.set(key, hit);
    }
    return hit;
  }

  /** Build every record of a recipe. */
  build(recipe: RecipeDef): void {
    const rng = this.rng(recipe.id);
    if (recipe.pin !== undefined) {
      for (const name of recipe.pinNames ?? recipe.outputs.map((o) => o.name)) {
        if (!this.pins.has(name)) this.registerPin(name, { versions: recipe.versions, style: recipe.pin });
      }
    }
    const variantsAt = (m: number): readonly Variant[] => {
      const base = recipe.variants ? recipe.variants(m) : [{}];
      if (!(recipe.host ?? []).includes('openssl')) return base;
      const out: Variant[] = [];
      for (const ssl of opensslVariantsAt(m)) for (const b of base) out.push({ ...b, ssl });
      return out;
    };
    const pythonsFor = (v: string, m: number): readonly (number | undefined)[] => {
      if (recipe.kind !== 'pyext') return NO_PYTHON;
      const range = recipe.pythons?.(v);
      if (range === undefined) return pythonsAt(m);
      return pythonsAt(m).filter((p) => p >= range[0] && p <= range[1]);
    };
    const plainVariants = recipe.variants === undefined && !(recipe.host ?? []).includes('openssl');
    const signature = (v: string, m: number): string => {
      let sig = '';
      for (const h of recipe.host ?? []) {
        if (h === 'openssl') continue; // the variant set covers it
        sig += this.releasedBy(h, m) ? this.pinAt(h, m).key : '-';
        sig += '|';
      }
      if (recipe.kind === 'pyext') sig += recipe.pythons === undefined ? pythonsKey(m) : pythonsFor(v, m).join('.');
      if (!plainVariants) sig += `|${variantsAt(m).map((x) => JSON.stringify(x)).join(';')}`;
      return sig;
    };
    const { versions } = recipe;
    // file names this recipe made: two recipes never share a name and a version, so duplicates
    // (a recipe bug, or a hash collision to retry) can only come from the recipe itself
    const made = new Set<string>();
    const rebuildMonths = new Set(recipe.rebuilds ?? []);
    // months at which a rebuild can be due: a pinned dependency released, a migration, an explicit
    // rebuild; recipes with their own variants are checked every month
    let checks: number[];
    if (recipe.kind === 'noarch') checks = [...rebuildMonths];
    else if (recipe.variants !== undefined) checks = Array.from({ length: END }, (_, m) => m);
    else {
      const due = new Set<number>([...MIGRATIONS, ...rebuildMonths]);
      for (const h of recipe.host ?? []) for (const at of this.pins.get(h)?.versions ?? []) due.add(at.m);
      checks = [...due];
    }
    checks.sort((a, b) => a - b);
    for (let vi = 0; vi < versions.length; vi++) {
      const { v, m: released } = versions[vi]!;
      const until = Math.min(vi + 1 < versions.length ? versions[vi + 1]!.m : END, recipe.until ?? END);
      if (released >= (recipe.until ?? END)) continue;
      const months = [released];
      let sig = checks.length > 0 ? signature(v, released) : '';
      for (const m of checks) {
        if (m <= released || m >= until) continue;
        const s = recipe.kind === 'noarch' ? sig : signature(v, m);
        if (rebuildMonths.has(m) || s !== sig) {
          months.push(m);
          sig = s;
        }
      }
      for (let bn = 0; bn < months.length; bn++) this.buildEvent(recipe, rng, vi, months[bn]!, bn, variantsAt, pythonsFor, made);
    }
  }

  private buildEvent(
    recipe: RecipeDef, rng: Rng, vi: number, m: number, bn: number,
    variantsAt: (m: number) => readonly Variant[], pythonsFor: (v: string, m: number) => readonly (number | undefined)[],
    made: Set<string>,
  ): void {
    const v = recipe.versions[vi]!.v;
    const dayStart = monthStartMs(m) + rng.int(27) * 86_400_000;
    const ctx = new Ctx(this, recipe.id, v, vi, m, bn);
    for (const variant of variantsAt(m)) {
      for (const py of pythonsFor(v, m)) {
        ctx.py = py;
        ctx.variant = variant;
        ctx.sibs.length = 0;
        for (const out of recipe.outputs) {
          if (out.when && !out.when(ctx)) continue;
          const version = out.version ? out.version(ctx) : v;
          const obn = out.buildNumber ? out.buildNumber(ctx) : bn;
          const noarch = out.noarch ?? (recipe.kind === 'noarch' ? 'python' : undefined);
          let build = '';
          let fn = '';
          const subdir = noarch !== undefined && recipe.kind === 'noarch' ? 'noarch' : this.subdir;
          const target = subdir === 'noarch' ? this.noarch : this.linux;
          let digest = '';
          for (;;) {
            // 7 digits of build hash, then md5 (32) and sha256 (64) of the "file"
            digest = rng.hex(104);
            const hash = digest.slice(0, 7);
            const previous = build;
            build = out.build ? out.build(ctx, hash, obn) : defaultBuild(recipe.kind, noarch, py, variant, hash, obn);
            fn = `${out.name}-${version}-${build}.conda`;
            if (!made.has(fn)) break;
            // a build string without a hash repeats only when the same build is made twice: a recipe bug
            if (build === previous) throw new Error(`${recipe.id}: duplicate record ${fn}`);
          }
          made.add(fn);
          target.push(fn, this.record(rng, digest, {
            name: out.name, version, build, build_number: obn, subdir, noarch,
            depends: out.depends(ctx), constrains: out.constrains?.(ctx),
            track_features: out.trackFeatures?.(ctx),
            license: out.license ?? recipe.license ?? 'BSD-3-Clause',
            license_family: out.licenseFamily ?? recipe.licenseFamily,
            timestamp: dayStart + rng.int(86_400_000),
            size: out.size ?? recipe.size ?? (noarch ? [8_000, 2_000_000] : [20_000, 30_000_000]),
          }));
          let subdirs = this.names.get(out.name);
          if (subdirs === undefined) this.names.set(out.name, (subdirs = new Set()));
          subdirs.add(subdir);
          ctx.sibs.push(out.name, version, build);
        }
      }
    }
  }

  private record(rng: Rng, digest: string, r: {
    name: string; version: string; build: string; build_number: number; subdir: string; noarch: 'python' | 'generic' | undefined;
    depends: readonly (string | false | undefined | null)[]; constrains: readonly (string | false | undefined | null)[] | undefined;
    track_features: string | undefined; license: string; license_family: string | undefined; timestamp: number; size: readonly [number, number];
  }): RecordJson {
    // keys in alphabetical order, as conda-forge writes repodata; the spec strings themselves are
    // shared (cached where they are made), so a record costs its arrays and digests
    const out: RecordJson = { build: r.build, build_number: r.build_number } as RecordJson;
    const constrains = r.constrains ? clean(r.constrains) : undefined;
    if (constrains && constrains.length > 0) out.constrains = constrains;
    out.depends = clean(r.depends);
    out.license = r.license;
    if (r.license_family !== undefined) out.license_family = r.license_family;
    out.md5 = digest.slice(8, 40);
    out.name = r.name;
    if (r.noarch !== undefined) out.noarch = r.noarch;
    out.sha256 = digest.slice(40, 104);
    out.size = r.size[0] + rng.int(r.size[1] - r.size[0]);
    out.subdir = r.subdir === 'noarch' ? 'noarch' : this.subdir;
    out.timestamp = r.timestamp;
    if (r.track_features) out.track_features = r.track_features;
    out.version = r.version;
    return out;
  }
}

/** The build context handed to recipe callbacks; one per build event, its Python and variant updated in place. */
class Ctx implements BuildCtx {
  py: number | undefined = undefined;
  variant: Variant = {};
  /** Outputs made so far in this build: name, version, build, name, version, build, … */
  readonly sibs: string[] = [];
  private readonly world: World;
  private readonly recipe: string;
  readonly v: string;
  readonly vi: number;
  readonly m: number;
  readonly bn: number;

  constructor(world: World, recipe: string, v: string, vi: number, m: number, bn: number) {
    this.world = world;
    this.recipe = recipe;
    this.v = v;
    this.vi = vi;
    this.m = m;
    this.bn = bn;
  }

  pin(name: string): string {
    return this.world.pinAt(name, this.m, this.variant, this.py).spec;
  }

  sib(name: string): string {
    for (let i = 0; i < this.sibs.length; i += 3) {
      if (this.sibs[i] === name) return `${name} ${this.sibs[i + 1]} ${this.sibs[i + 2]}`;
    }
    throw new Error(`${this.recipe}: no sibling output '${name}' yet`);
  }

  at(spec: string): boolean {
    return satisfies(this.v, spec);
  }
}

/** The list without empty entries; the list itself when it has none (so cached lists stay shared). */
function clean(items: readonly (string | false | undefined | null)[]): string[] {
  let ok = true;
  for (const i of items) {
    if (typeof i !== 'string' || i === '') {
      ok = false;
      break;
    }
  }
  if (ok) return items as string[];
  const out: string[] = [];
  for (const i of items) if (typeof i === 'string' && i !== '') out.push(i);
  return out;
}

function currentOf(versions: readonly At[], m: number, name: string): string {
  let best: string | undefined;
  for (const at of versions) {
    if (at.m <= m) best = at.v;
    else break;
  }
  if (best === undefined) throw new Error(`'${name}' has no version released by month ${m} (first: ${versions[0]?.v}@${versions[0]?.m})`);
  return best;
}

function defaultBuild(kind: RecipeKind, noarch: string | undefined, py: number | undefined, variant: Variant, hash: string, bn: number): string {
  const prefix = variant.prefix ?? '';
  const suffix = variant.suffix ?? '';
  if (kind === 'noarch') return noarch === 'generic' ? `${prefix}hd8ed1ab_${bn}${suffix}` : `${prefix}pyhd8ed1ab_${bn}${suffix}`;
  if (py !== undefined) return `${prefix}py${py}h${hash}_${bn}${suffix}`;
  return `${prefix}h${hash}_${bn}${suffix}`;
}
