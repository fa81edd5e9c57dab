// Looking package names up the way an editor does: by prefix (completion as you type, a binary
// search over the sorted names, so a 300k-record channel answers in microseconds) and by likeness
// ("did you mean": the names within a small edit distance, closest first).

export class NameSearch {
  readonly #sorted: string[];

  constructor(names: Iterable<string>) {
    this.#sorted = [...new Set(names)].sort();
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
    for (const candidate of this.#sorted) {
      if (candidate === target || Math.abs(candidate.length - target.length) > bound) continue;
      const distance = fold(candidate) === folded ? 1 : boundedDistance(target, candidate, bound);
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

/** Levenshtein distance with adjacent transpositions, giving up (returning bound + 1) once it must exceed `bound`. */
function boundedDistance(a: string, b: string, bound: number): number {
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > bound) return bound + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}
