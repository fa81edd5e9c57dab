// The SAT core against brute force on many small random problems, with clauses given up front and
// clauses generated lazily (`expand`) when a variable becomes true, as the package solver uses it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lit, type Literal, SatSolver } from '../../core/solve/sat.ts';

function bruteForce(n: number, clauses: Literal[][]): boolean {
  for (let a = 0; a < 1 << n; a++) {
    if (clauses.every((c) => c.some((l) => ((a >> ((l >> 1) - 1)) & 1) === ((l & 1) === 0 ? 1 : 0)))) return true;
  }
  return false;
}

function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => (s = (s * 1103515245 + 12345) % 2147483648) % n;
}

test('random CNF: same answer as brute force, and models satisfy every clause', () => {
  const rnd = random(7);
  for (let t = 0; t < 2000; t++) {
    const n = 3 + rnd(8);
    const clauses: Literal[][] = [];
    for (let i = 0; i < 2 + rnd(40); i++) {
      const c: Literal[] = [];
      for (let j = 0; j < 1 + rnd(3); j++) c.push(lit(1 + rnd(n), rnd(2) === 0));
      clauses.push(c);
    }
    const s = new SatSolver({
      decide: (solver) => {
        for (let v = 1; v <= n; v++) if (solver.valueOf(v) === undefined) return lit(v, rnd(2) === 0);
        return undefined;
      },
    });
    for (let v = 0; v < n; v++) s.newVar();
    for (const c of clauses) s.addClause(c);
    const got = s.solve();
    assert.equal(got, bruteForce(n, clauses), `problem ${t}`);
    if (got) assert.ok(clauses.every((c) => c.some((l) => s.litValue(l) === true)), `model of problem ${t}`);
  }
});

test('lazily generated implications give the same answers as having them from the start', () => {
  const rnd = random(11);
  for (let t = 0; t < 2000; t++) {
    const n = 4 + rnd(9);
    const base: Literal[][] = [];
    for (let i = 0; i < 1 + rnd(4); i++) {
      const c: Literal[] = [];
      for (let j = 0; j < 1 + rnd(3); j++) c.push(lit(1 + rnd(n), rnd(3) !== 0));
      base.push(c);
    }
    const implied = new Map<number, Literal[][]>();
    for (let v = 1; v <= n; v++) {
      const cs: Literal[][] = [];
      for (let i = 0; i < rnd(4); i++) {
        const c: Literal[] = [lit(v, false)];
        for (let j = 0; j < 1 + rnd(3); j++) c.push(lit(1 + rnd(n), rnd(2) === 0));
        cs.push(c);
      }
      implied.set(v, cs);
    }
    const all = [...base, ...[...implied.values()].flat()];
    const s = new SatSolver({
      expand: (v) => implied.get(v)!,
      decide: (solver) => {
        for (let v = 1; v <= n; v++) if (solver.valueOf(v) === undefined) return lit(v, rnd(4) !== 0);
        return undefined;
      },
    });
    for (let v = 0; v < n; v++) s.newVar();
    for (const c of base) s.addClause(c);
    const got = s.solve();
    assert.equal(got, bruteForce(n, all), `problem ${t}`);
    if (got) assert.ok(all.every((c) => c.some((l) => s.litValue(l) === true)), `model of problem ${t}`);
  }
});

test('at-most-one groups and clauses added by decide() (expandNow) give the same answers as plain clauses', () => {
  const rnd = random(23);
  for (let t = 0; t < 2000; t++) {
    const n = 4 + rnd(9);
    const clauses: Literal[][] = [];
    for (let i = 0; i < 1 + rnd(12); i++) {
      const c: Literal[] = [];
      for (let j = 0; j < 1 + rnd(3); j++) c.push(lit(1 + rnd(n), rnd(3) !== 0));
      clauses.push(c);
    }
    // disjoint groups of consecutive variables, each at most one true
    const groups: number[][] = [];
    for (let v = 1; v <= n; ) {
      const size = 1 + rnd(4);
      groups.push([...Array(Math.min(size, n - v + 1)).keys()].map((k) => v + k));
      v += size;
    }
    const amo = groups.flatMap((g) => g.flatMap((a, i) => g.slice(i + 1).map((b) => [lit(a, false), lit(b, false)])));
    // half the clauses arrive only when decide() asks for them
    const late = clauses.filter(() => rnd(2) === 0);
    const early = clauses.filter((c) => !late.includes(c));
    let pending = true;
    const s = new SatSolver({
      decide: (solver) => {
        if (pending && rnd(3) === 0) {
          pending = false;
          for (const c of late) solver.addClause(c);
          return null;
        }
        for (let v = 1; v <= n; v++) if (solver.valueOf(v) === undefined) return lit(v, rnd(3) !== 0);
        if (pending) {
          pending = false;
          for (const c of late) solver.addClause(c);
          return null;
        }
        return undefined;
      },
    });
    for (let v = 0; v < n; v++) s.newVar();
    for (const g of groups) s.addAtMostOne(g);
    for (const c of early) s.addClause(c);
    const got = s.solve();
    assert.equal(got, bruteForce(n, [...clauses, ...amo]), `problem ${t}`);
    if (got) assert.ok([...clauses, ...amo].every((c) => c.some((l) => s.litValue(l) === true)), `model of problem ${t}`);
  }
});

test('pigeonhole: 6 pigeons do not fit in 5 holes', () => {
  const P = 6;
  const H = 5;
  const v = (p: number, h: number) => p * H + h + 1;
  const s = new SatSolver({
    decide: (solver) => {
      for (let x = 1; x <= P * H; x++) if (solver.valueOf(x) === undefined) return lit(x, true);
      return undefined;
    },
  });
  for (let i = 0; i < P * H; i++) s.newVar();
  for (let p = 0; p < P; p++) s.addClause([...Array(H).keys()].map((h) => lit(v(p, h), true)));
  for (let h = 0; h < H; h++) for (let p = 0; p < P; p++) for (let q = p + 1; q < P; q++) s.addClause([lit(v(p, h), false), lit(v(q, h), false)]);
  assert.equal(s.solve(), false);
  assert.ok(s.stats.conflicts > 0);
});
