// A CDCL SAT solver specialised for package solving; it knows nothing of conda.
//
// Unit propagation on two watched literals, first-UIP clause learning with non-chronological
// backjumping. Two hooks make it a package solver (the design of libsolv and resolvo):
// - `expand(v)`: clauses are generated lazily, the first time a variable becomes true (a chosen
//   package brings its dependency, constraint and one-per-name clauses only then);
// - `decide()`: decisions are made by the caller in preference order (newest version first).
// Literals are integers: variable v (1-based) is `2v` when true and `2v+1` when false.

export type Literal = number;

export const lit = (v: number, value: boolean): Literal => (v << 1) | (value ? 0 : 1);
export const varOf = (l: Literal): number => l >> 1;
export const neg = (l: Literal): Literal => l ^ 1;
export const isPositive = (l: Literal): boolean => (l & 1) === 0;

export interface SatHooks {
  /** Clauses to add the first time variable v becomes true (its consequences). */
  expand?(v: number): Literal[][];
  /** The next decision in preference order, or undefined when every requirement is met. */
  decide(solver: SatSolver): Literal | undefined;
}

export interface SatStats {
  decisions: number;
  propagations: number;
  conflicts: number;
  learned: number;
  clauses: number;
}

const UNASSIGNED = 0;
const TRUE = 1;
const FALSE = 2;

export class SatSolver {
  /** Per variable: 0 unassigned, 1 true, 2 false. */
  private value = new Uint8Array(16);
  private level = new Int32Array(16);
  private reason = new Int32Array(16); // clause index + 1, 0 = decision or none
  private expanded = new Uint8Array(16);
  private numVars = 0;

  private clauses: Literal[][] = [];
  /** watches[l]: clauses watching literal l (they need attention when l becomes false). */
  private watches: number[][] = [];

  private trail: Literal[] = [];
  private trailLim: number[] = [];
  private qhead = 0;
  private readonly hooks: SatHooks;
  /** Clauses that conflicted on arrival at level 0: the problem is unsatisfiable. */
  private rootConflict: number | undefined;
  readonly stats: SatStats = { decisions: 0, propagations: 0, conflicts: 0, learned: 0, clauses: 0 };
  /** The clause proving unsatisfiability (all its literals false at level 0), for explanations. */
  conflictClause: number | undefined;

  constructor(hooks: SatHooks) {
    this.hooks = hooks;
  }

  newVar(): number {
    const v = ++this.numVars;
    if (v >= this.value.length) this.grow(v * 2);
    while (this.watches.length <= 2 * v + 1) this.watches.push([]);
    return v;
  }

  get variableCount(): number {
    return this.numVars;
  }

  private grow(n: number): void {
    const g = <T extends Uint8Array | Int32Array>(a: T, Ctor: new (n: number) => T): T => {
      const b = new Ctor(n);
      b.set(a);
      return b;
    };
    this.value = g(this.value, Uint8Array);
    this.level = g(this.level, Int32Array);
    this.reason = g(this.reason, Int32Array);
    this.expanded = g(this.expanded, Uint8Array);
  }

  valueOf(v: number): boolean | undefined {
    const x = this.value[v];
    return x === TRUE ? true : x === FALSE ? false : undefined;
  }

  litValue(l: Literal): boolean | undefined {
    const x = this.value[varOf(l)];
    if (x === UNASSIGNED) return undefined;
    return (x === TRUE) === isPositive(l);
  }

  get decisionLevel(): number {
    return this.trailLim.length;
  }

  clause(index: number): readonly Literal[] {
    return this.clauses[index]!;
  }

  /** The clause that forced v, if any (for explanations). */
  reasonOf(v: number): number | undefined {
    const r = this.reason[v]!;
    return r === 0 ? undefined : r - 1;
  }

  /** Add a clause at any time; it is made consistent with the current assignment. Returns its index. */
  addClause(lits: Literal[]): number {
    const ci = this.clauses.length;
    const c = [...new Set(lits)];
    this.clauses.push(c);
    this.stats.clauses++;
    if (c.length === 0) {
      this.rootConflict ??= ci;
      return ci;
    }
    // put the best two literals first: true or unassigned, else the latest false ones
    const rank = (l: Literal) => {
      const val = this.litValue(l);
      if (val === true) return Number.MAX_SAFE_INTEGER;
      if (val === undefined) return Number.MAX_SAFE_INTEGER - 1;
      return this.level[varOf(l)]!;
    };
    c.sort((a, b) => rank(b) - rank(a));
    this.watches[neg(c[0]!)]!.push(ci);
    if (c.length > 1) this.watches[neg(c[1]!)]!.push(ci);
    this.pending.push(ci);
    return ci;
  }

  /** Clauses added since the last propagation: each is checked once against the assignment. */
  private pending: number[] = [];

  private assign(l: Literal, reasonClause: number | undefined): void {
    const v = varOf(l);
    this.value[v] = isPositive(l) ? TRUE : FALSE;
    this.level[v] = this.decisionLevel;
    this.reason[v] = reasonClause === undefined ? 0 : reasonClause + 1;
    this.trail.push(l);
  }

  /**
   * Check a newly added clause against the assignment. A clause that is unit or false only because
   * of literals set at a lower level than the current one would be missed after a later backjump
   * (its watched literal is already false), so we first return to that level, as if the clause had
   * been there all along. Returns the clause index when it conflicts.
   */
  private settle(ci: number): number | undefined {
    const c = this.clauses[ci]!;
    let open: Literal | undefined;
    let openCount = 0;
    let maxFalse = 0;
    for (const l of c) {
      const val = this.litValue(l);
      if (val === false) maxFalse = Math.max(maxFalse, this.level[varOf(l)]!);
      else {
        openCount++;
        open = l;
      }
    }
    if (openCount === 0) {
      if (maxFalse < this.decisionLevel) this.backjump(maxFalse);
      return ci;
    }
    if (openCount > 1) return undefined;
    const val = this.litValue(open!);
    if (val === true && this.level[varOf(open!)]! <= maxFalse) return undefined;
    if (maxFalse < this.decisionLevel) this.backjump(maxFalse);
    if (this.litValue(open!) === undefined) {
      // watch the asserting literal and the latest false one, as for a learned clause
      this.rewatch(ci, open!);
      this.assign(open!, ci);
    }
    return undefined;
  }

  /** Make `l` the first watched literal of clause ci and the latest false literal the second. */
  private rewatch(ci: number, l: Literal): void {
    const c = this.clauses[ci]!;
    for (const w of c.length > 1 ? [c[0]!, c[1]!] : [c[0]!]) {
      const list = this.watches[neg(w)]!;
      const k = list.indexOf(ci);
      if (k >= 0) list.splice(k, 1);
    }
    const rest = c.filter((x) => x !== l).sort((a, b) => this.level[varOf(b)]! - this.level[varOf(a)]!);
    c.length = 0;
    c.push(l, ...rest);
    this.watches[neg(c[0]!)]!.push(ci);
    if (c.length > 1) this.watches[neg(c[1]!)]!.push(ci);
  }

  /** Propagate to a fixpoint; returns the index of a conflicting clause, or undefined. */
  private propagate(): number | undefined {
    for (;;) {
      while (this.pending.length > 0) {
        const conflict = this.settle(this.pending.pop()!);
        if (conflict !== undefined) return conflict;
      }
      if (this.qhead >= this.trail.length) return undefined;
      const p = this.trail[this.qhead++]!;
      this.stats.propagations++;
      // lazily generated consequences of a variable becoming true
      const pv = varOf(p);
      if (isPositive(p) && this.expanded[pv] === 0 && this.hooks.expand) {
        this.expanded[pv] = 1;
        const added = this.hooks.expand(pv);
        if (added.length > 0) {
          for (const c of added) this.addClause(c);
          this.qhead--; // settle the new clauses, then come back to p's watches
          continue;
        }
      }
      const falseLit = neg(p);
      const ws = this.watches[p]!; // clauses watching falseLit sit under index p (neg(falseLit))
      let i = 0;
      let j = 0;
      let conflict: number | undefined;
      while (i < ws.length) {
        const ci = ws[i++]!;
        const c = this.clauses[ci]!;
        if (c[0] === falseLit) {
          c[0] = c[1]!;
          c[1] = falseLit;
        }
        if (c.length === 1) {
          ws[j++] = ci;
          conflict = ci;
          break;
        }
        if (this.litValue(c[0]!) === true) {
          ws[j++] = ci;
          continue;
        }
        let moved = false;
        for (let k = 2; k < c.length; k++) {
          if (this.litValue(c[k]!) !== false) {
            c[1] = c[k]!;
            c[k] = falseLit;
            this.watches[neg(c[1])]!.push(ci);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        ws[j++] = ci;
        const first = this.litValue(c[0]!);
        if (first === false) {
          conflict = ci;
          break;
        }
        this.assign(c[0]!, ci);
      }
      while (i < ws.length) ws[j++] = ws[i++]!;
      ws.length = j;
      if (conflict !== undefined) return conflict;
    }
  }

  /** First-UIP learning: returns the learned clause (asserting literal first) and the backjump level. */
  private analyze(conflict: number): { learned: Literal[]; level: number } {
    const seen = new Uint8Array(this.numVars + 1);
    const learned: Literal[] = [0];
    let pathCount = 0;
    let p: Literal | undefined;
    let ci: number | undefined = conflict;
    let idx = this.trail.length - 1;
    const current = this.decisionLevel;
    do {
      const c = this.clauses[ci!]!;
      for (const q of c) {
        if (p !== undefined && q === p) continue;
        const v = varOf(q);
        if (seen[v] || this.level[v] === 0) continue;
        seen[v] = 1;
        if (this.level[v] === current) pathCount++;
        else learned.push(q);
      }
      while (!seen[varOf(this.trail[idx]!)]) idx--;
      p = this.trail[idx]!;
      idx--;
      ci = this.reasonOf(varOf(p));
      seen[varOf(p)] = 0;
      pathCount--;
    } while (pathCount > 0);
    learned[0] = neg(p!);
    let level = 0;
    let maxI = 1;
    for (let i = 1; i < learned.length; i++) {
      const lv = this.level[varOf(learned[i]!)]!;
      if (lv > level) {
        level = lv;
        maxI = i;
      }
    }
    if (learned.length > 1) [learned[1], learned[maxI]] = [learned[maxI]!, learned[1]!];
    return { learned, level };
  }

  private backjump(level: number): void {
    if (this.decisionLevel <= level) return;
    const limit = this.trailLim[level]!;
    for (let i = this.trail.length - 1; i >= limit; i--) {
      const v = varOf(this.trail[i]!);
      this.value[v] = UNASSIGNED;
      this.reason[v] = 0;
    }
    this.trail.length = limit;
    this.trailLim.length = level;
    this.qhead = Math.min(this.qhead, limit);
  }

  /** Force a literal at level 0 (requested specs, virtual-package facts). */
  assume(l: Literal): void {
    this.addClause([l]);
  }

  /** Solve; true when satisfiable (read the model with valueOf). */
  solve(): boolean {
    if (this.rootConflict !== undefined) {
      this.conflictClause = this.rootConflict;
      return false;
    }
    for (;;) {
      const conflict = this.propagate();
      if (conflict !== undefined) {
        this.stats.conflicts++;
        // a clause added lazily may be false below the current level: go back to where it broke
        let maxLevel = 0;
        for (const l of this.clauses[conflict]!) maxLevel = Math.max(maxLevel, this.level[varOf(l)]!);
        if (maxLevel < this.decisionLevel) this.backjump(maxLevel);
        if (this.decisionLevel === 0) {
          this.conflictClause = conflict;
          return false;
        }
        const { learned, level } = this.analyze(conflict);
        this.backjump(level);
        this.stats.learned++;
        this.addClause(learned);
        continue;
      }
      const d = this.hooks.decide(this);
      if (d === undefined) return true;
      if (this.litValue(d) !== undefined) throw new Error(`decide() returned an assigned literal ${d}`);
      this.stats.decisions++;
      this.trailLim.push(this.trail.length);
      this.assign(d, undefined);
    }
  }
}
