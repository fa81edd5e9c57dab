// `npm run bench -- spec`: parse and sort real version strings, parse real version specs and 100k real
// match specs from repodata `depends`, and compare with rattler (WASM, @conda-org/rattler) where it has
// the same operation. rattler's JS bindings expose Version and VersionSpec but no MatchSpec.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { Version } from '../core/spec/version.ts';
import { VersionSpec } from '../core/spec/version-spec.ts';

const shared = new URL('../../shared/fixtures/', import.meta.url);

interface Rattler {
  Version: new (s: string) => { compare(o: unknown): number; free(): void };
  VersionSpec: new (s: string, strictness?: string) => { free(): void };
}

function loadRattler(): Rattler | undefined {
  try {
    return createRequire(import.meta.url)('@conda-org/rattler') as Rattler;
  } catch {
    return undefined;
  }
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** Best of `n` runs, after one warm-up. */
function best(n: number, fn: () => unknown): number {
  fn();
  let min = Infinity;
  for (let i = 0; i < n; i++) min = Math.min(min, time(fn).ms);
  return min;
}

function rate(count: number, ms: number): string {
  const perSec = (count / ms) * 1000;
  return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)}M/s` : `${(perSec / 1e3).toFixed(0)}k/s`;
}

function row(label: string, count: number, ms: number, peer?: { count: number; ms: number }): void {
  const ours = `${ms.toFixed(1).padStart(8)} ms  ${rate(count, ms).padStart(9)}`;
  const theirs = peer ? `   rattler-wasm ${peer.ms.toFixed(1).padStart(8)} ms  ${rate(peer.count, peer.ms).padStart(9)}  (${(peer.ms / ms).toFixed(1)}x)` : '';
  console.log(`${label.padEnd(44)} ${ours}${theirs}`);
}

function realDepends(limit: number): string[] {
  const out: string[] = [];
  for (const subdir of ['linux-64', 'noarch', 'osx-arm64', 'win-64']) {
    const repodata = JSON.parse(readFileSync(new URL(`real-slice/${subdir}/repodata.json`, shared), 'utf8'));
    for (const key of ['packages', 'packages.conda']) {
      for (const rec of Object.values(repodata[key] ?? {}) as { depends?: string[]; constrains?: string[] }[]) {
        for (const d of [...(rec.depends ?? []), ...(rec.constrains ?? [])]) {
          out.push(d);
          if (out.length >= limit) return out;
        }
      }
    }
  }
  return out;
}

export async function run(): Promise<void> {
  if (!existsSync(shared)) {
    console.log('skipped: ../shared/fixtures is absent');
    return;
  }
  const rattler = loadRattler();
  if (!rattler) console.log('note: @conda-org/rattler is not installed; no peer figures');

  const versions = readFileSync(new URL('versions/rattler-versions.txt', shared), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const depends = realDepends(100_000);
  const unique = [...new Set(depends)];
  const versionSpecs = [...new Set(unique.map((d) => MatchSpec.parse(d).version?.toString()).filter((v): v is string => v !== undefined && v !== '*'))];
  console.log(`inputs: ${versions.length} versions, ${depends.length} depends strings (${unique.length} distinct), ${versionSpecs.length} distinct version specs`);

  // versions
  const parseMs = best(5, () => versions.map((v) => Version.parse(v)));
  const parsed = versions.map((v) => Version.parse(v));
  const sortMs = best(5, () => [...parsed].sort((a, b) => a.compare(b)));
  let rParse: number | undefined;
  let rSort: number | undefined;
  if (rattler) {
    rParse = best(5, () => versions.map((v) => new rattler.Version(v)).forEach((x) => x.free()));
    const rv = versions.map((v) => new rattler.Version(v));
    rSort = best(5, () => [...rv].sort((a, b) => a.compare(b)));
    rv.forEach((x) => x.free());
  }
  row('Version.parse (real versions)', versions.length, parseMs, rParse === undefined ? undefined : { count: versions.length, ms: rParse });
  row('sort parsed versions', versions.length, sortMs, rSort === undefined ? undefined : { count: versions.length, ms: rSort });

  // version specs
  const vsMs = best(5, () => versionSpecs.map((s) => VersionSpec.parse(s)));
  let rVs: number | undefined;
  if (rattler) rVs = best(5, () => versionSpecs.map((s) => new rattler.VersionSpec(s, 'lenient')).forEach((x) => x.free()));
  row('VersionSpec.parse (distinct real specs)', versionSpecs.length, vsMs, rVs === undefined ? undefined : { count: versionSpecs.length, ms: rVs });

  // match specs
  const msCold = best(5, () => {
    MatchSpec.clearCache();
    return unique.map((s) => MatchSpec.parse(s));
  });
  row('MatchSpec.parse cold (distinct depends)', unique.length, msCold);
  const msGeneral = best(5, () => unique.map((s) => MatchSpec.parseGeneral(s)));
  row('  general parser only (no fast path)', unique.length, msGeneral);
  const msAll = best(5, () => {
    MatchSpec.clearCache();
    return depends.map((s) => MatchSpec.parse(s));
  });
  row('MatchSpec.parse 100k depends, cold cache', depends.length, msAll);

  // matching
  const specs = unique.slice(0, 2000).map((s) => MatchSpec.parse(s));
  const probe = parsed.slice(0, 50).map((v, i) => ({ name: specs[i % specs.length]!.name, version: v, build: 'h0_0', build_number: 0 }));
  const matchMs = best(5, () => {
    let n = 0;
    for (const s of specs) for (const r of probe) if (s.matches(r)) n++;
    return n;
  });
  row('MatchSpec.matches (2000 specs x 50 records)', specs.length * probe.length, matchMs);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
