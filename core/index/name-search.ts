// Looking package names up the way an editor does: by prefix (completion as you type, a binary
// search over the sorted names, so a 300k-record channel answers in microseconds) and by likeness
// ("did you mean": the names within a small edit distance, closest first).

export class NameSearch {
  readonly #sorted: string[];
  /** `#sorted` without `-`, `_` and `.`, computed once (a search compares with every name). */
  readonly #folded: string[];

  constructor(names: Iterable<string>) {
    this.#sorted = [...new Set(names)].sort();
    this.#folded = this.#sorted.map(fold);
  }

  get size(): number {
    return this.#sorted.length;
  }

  has(name: string): boolean {
    const i = this.#lowerBound(name);
    return this.#sorted[i] === name;
  }

  /** Names starting with `prefix` (lower-cased), in order, at most `limit`. */
  withPrefix(prefix: string, limit = 100): string[] {
    const p = prefix.toLowerCase();
    const out: string[] = [];
    for (let i = this.#lowerBound(p); i < this.#sorted.length && out.length < limit; i++) {
      const name = this.#sorted[i]!;
      if (!name.startsWith(p)) break;
      out.push(name);
    }
    return out;
  }

  /**
   * Names like `name`: within `maxDistance` edits (default: 1 for short names, 2 from 5 characters,
   * 3 from 10), closest first, then those sharing the longest prefix, then alphabetical; at most `limit`.
   * Names that differ only by `-`/`_` or case count as one edit.
   */
  similar(name: string, limit = 3, maxDistance?: number): string[] {
    const target = name.toLowerCase();
    const bound = maxDistance ?? (target.length < 5 ? 1 : target.length < 10 ? 2 : 3);
    const found: { name: string; distance: number; common: number }[] = [];
    const folded = fold(target);
    for (let i = 0; i < this.#sorted.length; i++) {
      const candidate = this.#sorted[i]!;
      if (candidate === target || Math.abs(candidate.length - target.length) > bound) continue;
      const distance = this.#folded[i] === folded ? 1 : boundedDistance(target, candidate, bound);
      if (distance <= bound) found.push({ name: candidate, distance, common: commonPrefix(target, candidate) });
    }
    found.sort((a, b) => a.distance - b.distance || b.common - a.common || (a.name < b.name ? -1 : 1));
    return found.slice(0, limit).map((f) => f.name);
  }

  #lowerBound(key: string): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#sorted[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function fold(name: string): string {
  return name.replace(/[-_.]/g, '');
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Rows of the distance table, reused across calls (a search computes thousands of distances). */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Levenshtein distance with adjacent transpositions, giving up (returning bound + 1) once it must exceed `bound`. */
function boundedDistance(a: string, b: string, bound: number): number {
  if (rows[0]!.length <= b.length) rows = [new Int32Array(b.length * 2 + 1), new Int32Array(b.length * 2 + 1), new Int32Array(b.length * 2 + 1)];
  let prevPrev = rows[0]!;
  let prev = rows[1]!;
  let row = rows[2]!;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prevPrev[j - 2]! + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > bound) return bound + 1;
    const spare = prevPrev;
    prevPrev = prev;
    prev = row;
    row = spare;
  }
  return prev[b.length]!;
}
