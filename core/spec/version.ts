// Conda package versions: parsing and the total order conda defines (CEP 33, conda's VersionOrder).
//
// A version is split into epoch, main part and local part (`1!2.3.4+abc`), each part into
// components at `.`/`_` (and `-` when there is no `_`), and each component into runs of digits and
// non-digits. Digits compare numerically, strings compare lexicographically (lower-cased), strings
// sort before numbers, `dev` sorts before every other string, `post` after every number, and a
// missing atom counts as 0, so `1.0 == 1.0.0` and `1.1.a1 == 1.1.0a1`.

import { SpecError } from './errors.ts';

/** One atom of a component: a number (`Infinity` for `post`), a big number, or a lower-case string (`DEV` for `dev`). */
export type VersionAtom = number | bigint | string;
export type VersionComponent = readonly VersionAtom[];

const VALID_CHARS = /^[*.+!_0-9a-z]+$/;
const EMPTY: VersionComponent = [];
const DEV = 'DEV';

export class Version {
  /** The text as written (trimmed). */
  readonly source: string;
  /** Lower-cased text with `-` turned into `_` where conda does so. */
  readonly normalized: string;
  /** Epoch first, then the components of the main part. */
  readonly version: readonly VersionComponent[];
  /** Components of the local part (after `+`); empty when there is none. */
  readonly local: readonly VersionComponent[];

  private constructor(source: string, normalized: string, version: VersionComponent[], local: VersionComponent[]) {
    this.source = source;
    this.normalized = normalized;
    this.version = version;
    this.local = local;
  }

  /** Parse a version string; throws SpecError naming what is wrong. */
  static parse(text: string): Version {
    const source = text.trim();
    let norm = source.toLowerCase();
    if (norm === '') throw invalid(text, 'empty version string');
    if (!VALID_CHARS.test(norm)) {
      if (norm.includes('-') && !norm.includes('_')) norm = norm.replaceAll('-', '_');
      if (!VALID_CHARS.test(norm)) throw invalid(text, 'invalid character(s)');
    }

    let rest = norm;
    let epoch = '0';
    const bang = rest.indexOf('!');
    if (bang >= 0) {
      if (rest.indexOf('!', bang + 1) >= 0) throw invalid(text, "duplicated epoch separator '!'");
      epoch = rest.slice(0, bang);
      if (!/^[0-9]+$/.test(epoch)) throw invalid(text, 'epoch must be an integer');
      rest = rest.slice(bang + 1);
    }

    let localText: string | undefined;
    const plus = rest.indexOf('+');
    if (plus >= 0) {
      if (rest.indexOf('+', plus + 1) >= 0) throw invalid(text, "duplicated local version separator '+'");
      localText = rest.slice(plus + 1);
      rest = rest.slice(0, plus);
    }
    if (rest === '') throw invalid(text, "missing version before local version separator '+'");

    let mainParts: string[];
    if (rest.endsWith('_')) {
      // openssl-style `1.0.1_`: the trailing underscore stays part of the last component
      mainParts = rest.slice(0, -1).replaceAll('_', '.').split('.');
      mainParts[mainParts.length - 1] += '_';
    } else {
      mainParts = rest.replaceAll('_', '.').split('.');
    }
    const version: VersionComponent[] = [[parseDigits(epoch)]];
    for (const part of mainParts) version.push(splitComponent(part, text));
    const local: VersionComponent[] = [];
    if (localText !== undefined) {
      for (const part of localText.replaceAll('_', '.').split('.')) local.push(splitComponent(part, text));
    }
    return new Version(source, norm, version, local);
  }

  /** Parse, or return undefined when the text is not a valid version. */
  static tryParse(text: string): Version | undefined {
    try {
      return Version.parse(text);
    } catch {
      return undefined;
    }
  }

  /** -1, 0 or 1, in conda's order. */
  compare(other: Version): -1 | 0 | 1 {
    const c = comparePart(this.version, other.version);
    return c !== 0 ? c : comparePart(this.local, other.local);
  }

  equals(other: Version): boolean {
    return this.compare(other) === 0;
  }

  /** conda's `VersionOrder.startswith`: does this version lie under the prefix `other` (as in `1.2.*`)? */
  startsWith(other: Version): boolean {
    let t1: readonly VersionComponent[];
    let t2: readonly VersionComponent[];
    if (other.local.length > 0) {
      if (comparePart(this.version, other.version) !== 0) return false;
      t1 = this.local;
      t2 = other.local;
    } else {
      t1 = this.version;
      t2 = other.version;
    }
    const nt = t2.length - 1;
    for (let i = 0; i < nt; i++) {
      if (compareComponent(t1[i] ?? EMPTY, t2[i]!) !== 0) return false;
    }
    const v1 = t1[nt] ?? EMPTY;
    const v2 = t2[nt]!;
    const na = v2.length - 1;
    for (let j = 0; j < na; j++) {
      if (compareAtom(j < v1.length ? v1[j]! : 0, v2[j]!) !== 0) return false;
    }
    const c1 = na < v1.length ? v1[na]! : 0;
    const c2 = v2[na]!;
    if (typeof c2 === 'string') return typeof c1 === 'string' && c1.startsWith(c2);
    return typeof c1 !== 'string' && c1 == c2;
  }

  /** The version as written. */
  toString(): string {
    return this.source;
  }
}

function invalid(text: string, why: string): SpecError {
  return new SpecError(`invalid version '${text}': ${why}`, { input: text });
}

function parseDigits(run: string): number | bigint {
  return run.length > 15 ? BigInt(run) : Number(run);
}

function splitComponent(part: string, text: string): VersionComponent {
  if (part === '') throw invalid(text, 'empty version component');
  const atoms: VersionAtom[] = [];
  const first = part.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) atoms.push(0); // keep numbers and strings in phase
  let i = 0;
  while (i < part.length) {
    const start = i;
    const c = part.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      while (i < part.length && isDigit(part.charCodeAt(i))) i++;
      atoms.push(parseDigits(part.slice(start, i)));
    } else if (c === 42 /* * */) {
      while (i < part.length && part.charCodeAt(i) === 42) i++;
      atoms.push(part.slice(start, i));
    } else {
      while (i < part.length && !isDigit(part.charCodeAt(i)) && part.charCodeAt(i) !== 42) i++;
      const s = part.slice(start, i);
      atoms.push(s === 'post' ? Infinity : s === 'dev' ? DEV : s);
    }
  }
  return atoms;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** strings < numbers; numbers numerically; strings by code point. */
export function compareAtom(a: VersionAtom, b: VersionAtom): -1 | 0 | 1 {
  if (a === b) return 0;
  const as = typeof a === 'string';
  const bs = typeof b === 'string';
  if (as !== bs) return as ? -1 : 1;
  if (as) return (a as string) < (b as string) ? -1 : 1;
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareComponent(a: VersionComponent, b: VersionComponent): -1 | 0 | 1 {
  const n = Math.max(a.length, b.length);
  for (let j = 0; j < n; j++) {
    const c = compareAtom(j < a.length ? a[j]! : 0, j < b.length ? b[j]! : 0);
    if (c !== 0) return c;
  }
  return 0;
}

function comparePart(a: readonly VersionComponent[], b: readonly VersionComponent[]): -1 | 0 | 1 {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareComponent(a[i] ?? EMPTY, b[i] ?? EMPTY);
    if (c !== 0) return c;
  }
  return 0;
}
