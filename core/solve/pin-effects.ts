// What pinning would save, measured on the index a solve used. conda's own advice is that pinning
// packages with many builds (python) or complex graphs speeds up solving and keeps environments
// steady; this counts, for each solved package nobody pinned, the candidate records the solver had
// to consider and how many a pin to the solved release series (`python=3.12`) would leave. The
// editor shows it as a hint on the dependency, the Action as suggestions in its job summary.

import type { PackageIndex } from '../index/package-index.ts';
import { MatchSpec } from '../spec/match-spec.ts';

export interface PinEffect {
  name: string;
  /** The pin as a match spec (`python=3.12`). */
  pin: string;
  /** The constraint alone (`=3.12`), for writing after the name. */
  constraint: string;
  /** Candidate records for the name (the virtual channel's left out). */
  candidates: number;
  /** Those the pin leaves. */
  left: number;
  /** Whether an environment file asked for the name (without a version). */
  requested: boolean;
}

/** The release series of a version (`3.12` for 3.12.4, `8` for 8), or undefined for versions not so numbered. */
export function releaseSeries(version: string): string | undefined {
  return /^(\d+\.\d+)/.exec(version)?.[1] ?? /^(\d+)/.exec(version)?.[1];
}

/** Whether a spec leaves the version open (`numpy`, `numpy *`). */
export function isUnpinnedSpec(spec: MatchSpec): boolean {
  return spec.version === undefined || spec.version.isAny;
}

/**
 * The effect of pinning `name` to the release series of `solvedVersion`, or undefined when the
 * version has no series or the pin would leave every candidate. Counts every candidate record of
 * the name, so it is meant for names the solve reached (their records are loaded anyway).
 */
export function pinEffect(index: PackageIndex, name: string, solvedVersion: string, virtualChannel: string, requested = false): PinEffect | undefined {
  const series = releaseSeries(solvedVersion);
  if (series === undefined) return undefined;
  const pin = MatchSpec.parse(`${name}=${series}`);
  let candidates = 0;
  let left = 0;
  for (const id of index.candidates(name)) {
    if (index.channelOf(id) === virtualChannel) continue;
    candidates++;
    if (index.matches(pin, id)) left++;
  }
  if (left >= candidates) return undefined;
  return { name, pin: `${name}=${series}`, constraint: `=${series}`, candidates, left, requested };
}

export interface PinEffectsOptions {
  /** Names with fewer candidate records are not worth a pin. Default 50. */
  minCandidates?: number;
  /** At most this many, those that shrink the search most first. Default 10. */
  limit?: number;
}

/**
 * Pins that would shrink a solve's search most: for every solved package whose name no spec
 * constrains by version (requested without a version, or pulled in as a dependency), the effect of
 * pinning its solved release series, largest reduction first.
 */
export function pinEffects(
  index: PackageIndex,
  specs: readonly MatchSpec[],
  solved: readonly { name: string; version: string }[],
  virtualChannel: string,
  options: PinEffectsOptions = {},
): PinEffect[] {
  const minCandidates = options.minCandidates ?? 50;
  const pinned = new Set<string>();
  const requested = new Set<string>();
  for (const spec of specs) {
    if (isUnpinnedSpec(spec)) requested.add(spec.name);
    else pinned.add(spec.name);
  }
  const out: PinEffect[] = [];
  for (const p of solved) {
    if (pinned.has(p.name) || p.name.startsWith('__')) continue;
    if (index.candidates(p.name).length < minCandidates) continue;
    const effect = pinEffect(index, p.name, p.version, virtualChannel, requested.has(p.name));
    if (effect !== undefined && effect.candidates >= minCandidates) out.push(effect);
  }
  out.sort((a, b) => b.candidates - b.left - (a.candidates - a.left) || (a.name < b.name ? -1 : 1));
  return out.slice(0, options.limit ?? 10);
}
