// How long a cached entry (a spec file, an environment tarball) stays fresh: `24h`, `12h`, `30m`,
// `7d`, `1d12h`, `90s`, `2w`; `0` means never fresh (always solve / always install again) and `never`
// means it never expires. A TTL is a number of milliseconds; `never` is Infinity.

import { SpecError } from '../spec/errors.ts';

/** Milliseconds; 0 = always stale, Infinity = never expires. */
export type Ttl = number;

/** The spec file TTL when none is given: an environment that resolved yesterday is solved again today. */
export const DEFAULT_SPEC_TTL: Ttl = 24 * 3600_000;
/** The environment tarball TTL when none is given (its own setting, same default). */
export const DEFAULT_TARBALL_TTL: Ttl = 24 * 3600_000;

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * Reads a TTL as written on the command line or in an action input. `flag` names where it came
 * from (`--spec-ttl`), so the error says what to fix.
 */
export function parseTtl(text: string, flag: string): Ttl {
  const input = text.trim().toLowerCase();
  const fail = (why: string) => new SpecError(`${flag}: invalid duration '${text}': ${why}; write e.g. 24h, 12h, 30m, 7d, 1d12h, 0 (always refresh) or never`, { input: text });
  if (input === 'never') return Infinity;
  if (input === '') throw fail('it is empty');
  if (/^0+$/.test(input)) return 0;
  if (/^\d+(\.\d+)?$/.test(input)) throw fail('a number needs a unit (s, m, h, d or w)');
  const part = /(\d+(?:\.\d+)?)([a-z]+)/y;
  let total = 0;
  let at = 0;
  while (at < input.length) {
    part.lastIndex = at;
    const m = part.exec(input);
    if (m === null) throw fail(`unexpected '${input.slice(at)}'`);
    const unit = UNIT_MS[m[2]!];
    if (unit === undefined) throw fail(`unknown unit '${m[2]}' (use s, m, h, d or w)`);
    total += Number(m[1]) * unit;
    at = part.lastIndex;
  }
  return Math.round(total);
}

/** A TTL as a short string that parseTtl reads back (`24h`, `1d12h`, `0`, `never`). */
export function formatTtl(ttl: Ttl): string {
  if (ttl === Infinity) return 'never';
  if (ttl <= 0) return '0';
  let rest = ttl;
  let out = '';
  for (const [unit, ms] of [['d', 86_400_000], ['h', 3600_000], ['m', 60_000], ['s', 1000]] as const) {
    const n = Math.floor(rest / ms);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * ms;
    }
  }
  return out === '' ? '1s' : out;
}

/** Whether an entry created at `created` (ms since the epoch) has outlived `ttl` at `now`. */
export function isExpired(created: number, ttl: Ttl, now: number = Date.now()): boolean {
  if (ttl === Infinity) return false;
  if (ttl <= 0) return true;
  return now - created >= ttl;
}
