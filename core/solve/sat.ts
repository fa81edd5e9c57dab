// A CDCL SAT solver specialised for package solving; it knows nothing of conda.
//
// Unit propagation on two watched literals, first-UIP clause learning with non-chronological
// backjumping. Two hooks make it a package solver (the design of libsolv and resolvo):
// - `expand(v)`: clauses are generated lazily, the first time a variable becomes true (a chosen
//   package brings its dependency, constraint and one-per-name clauses only then);
// - `decide()`: decisions are made by the caller in preference order (newest version first).
// At-most-one groups (one record per package name) are native: when a member becomes true the others
// become false with an implicit binary reason, so no clause is stored unless a conflict needs one.
// The caller can follow the assignment incrementally: `trailLength`/`trailLiteral` read the trail
// and `takeUnchangedPrefix` says how much of it is as it was at the previous call.
// Literals are integers: variable v (1-based) is `2v` when true and `2v+1` when false.

export type Literal = number;

export const lit = (v: number, value: boolean): Literal => (v << 1) | (value ? 0 : 1);
export const varOf = (l: Literal): number => l >> 1;
export const neg = (l: Literal): Literal => l ^ 1;
export const isPositive = (l: Literal): boolean => (l & 1) === 0;

export interface SatHooks {
  /** Clauses to add the first time variable v becomes true (its consequences). */
  expand?(v: number): Literal[][];
  /**
   * The next decision in preference order, undefined when every requirement is met, or null when
   * the hook added clauses instead (through `expandNow`) and wants them propagated first.
   */
  decide(solver: SatSolver): Literal | undefined | null;
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

/** What `state(v)` returns for a true and for a false variable (0: unassigned). */
export const STATE_TRUE = TRUE;
export const STATE_FALSE = FALSE;

export class SatSolver {
  /** Per variable: 0 unassigned, 1 true, 2 false. */
  private value = new Uint8Array(16);
  private level = new Int32Array(16);
  private reason = new Int32Array(16); // clause index + 1; 0 = decision or none; -w = implied false by group member w being true
  /** Per variable: its at-most-one group + 1, 0 for none. */
  private groupOf = new Int32Array(16);
  private groups: number[][] = [];
  /** Scratch marks by literal, all zero between calls (addClause's duplicate check). */
  private mark = new Uint8Array(32);
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
    if (this.mark.length <= 2 * v + 1) {
      const m = new Uint8Array(4 * v + 4);
      m.set(this.mark);
      this.mark = m;
    }
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
    this.groupOf = g(this.groupOf, Int32Array);
    this.expanded = g(this.expanded, Uint8Array);
  }

  /** 0 unassigned, STATE_TRUE or STATE_FALSE: valueOf without the boolean, for hot loops. */
  state(v: number): number {
    return this.value[v]!;
  }

  get trailLength(): number {
    return this.trail.length;
  }

  /** The i-th literal assigned (in order, current decision path). */
  trailLiteral(i: number): Literal {
    return this.trail[i]!;
  }

  /**
   * How long a prefix of the trail is unchanged since the previous call: the entries after it may
   * have been undone (backjumps) and replaced. Lets a caller keep state in step with the assignment.
   */
  takeUnchangedPrefix(): number {
    const n = this.unchanged;
    this.unchanged = this.trail.length;
    return n;
  }

  /** The shortest the trail has been since the last takeUnchangedPrefix. */
  private unchanged = 0;

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

  /** The clause that forced v, if any (for explanations); an implicit at-most-one reason is stored as a clause first. */
  reasonOf(v: number): number | undefined {
    const r = this.reason[v]!;
    if (r === 0) return undefined;
    if (r > 0) return r - 1;
    const ci = this.store([lit(v, false), lit(-r, false)]);
    this.reason[v] = ci + 1;
    return ci;
  }

  /** At most one of these variables is true (each variable belongs to one group at most). */
  addAtMostOne(vars: readonly number[]): void {
    if (vars.length < 2) return;
    this.groups.push([...vars]);
    for (const v of vars) this.groupOf[v] = this.groups.length;
    // members already true or false are handled when they are next propagated; check the current state
    const trueOnes = vars.filter((v) => this.value[v] === TRUE);
    if (trueOnes.length > 0) for (const v of vars) if (v !== trueOnes[0]) this.addClause([lit(trueOnes[0]!, false), lit(v, false)]);
  }

  /** Store a clause and watch its first two literals, without checking it against the assignment. */
  private store(c: Literal[]): number {
    const ci = this.clauses.length;
    this.clauses.push(c);
    this.watches[neg(c[0]!)]!.push(ci);
    if (c.length > 1) this.watches[neg(c[1]!)]!.push(ci);
    return ci;
  }

  /** The literals of v's reason, whatever its kind (for conflict analysis). */
  private reasonLits(v: number): readonly Literal[] | undefined {
    const r = this.reason[v]!;
    if (r === 0) return undefined;
    if (r > 0) return this.clauses[r - 1]!;
    return [lit(v, false), lit(-r, false)];
  }

  /** Add a clause at any time; it is made consistent with the current assignment. Returns its index. */
  addClause(lits: Literal[]): number {
    const ci = this.clauses.length;
    // drop repeated literals (marks indexed by literal, cleared afterwards), and find the best two
    // literals to watch: true or unassigned, else the latest false ones (the first of equals)
    const c: Literal[] = [];
    const mark = this.mark;
    const value = this.value;
    const level = this.level;
    let i0 = 0;
    let r0 = -1;
    let i1 = -1;
    let r1 = -1;
    for (let k = 0; k < lits.length; k++) {
      const l = lits[k]!;
      if (mark[l] !== 0) continue;
      mark[l] = 1;
      const i = c.length;
      c.push(l);
      const x = value[l >> 1]!;
      const r = x === UNASSIGNED ? Number.MAX_SAFE_INTEGER - 1 : x === TRUE + (l & 1) ? Number.MAX_SAFE_INTEGER : level[l >> 1]!;
      if (r > r0) {
        i1 = i0;
        r1 = r0;
        i0 = i;
        r0 = r;
      } else if (r > r1) {
        i1 = i;
        r1 = r;
      }
    }
    for (let k = 0; k < c.length; k++) mark[c[k]!] = 0;
    this.clauses.push(c);
    this.stats.clauses++;
    if (c.length === 0) {
      this.rootConflict ??= ci;
      return ci;
    }
    if (c.length > 1) {
      const first = c[i0]!;
      const second = c[i1]!;
      c[i0] = c[0]!;
      c[0] = first;
      const at = c.indexOf(second, 1);
      c[at] = c[1]!;
      c[1] = second;
    }
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

  /** v became true: the other members of its group become false; returns a conflicting clause if one is already true. */
  private propagateGroup(v: number): number | undefined {
    const g = this.groupOf[v]!;
    if (g === 0) return undefined;
    const members = this.groups[g - 1]!;
    const value = this.value;
    const level = this.decisionLevel;
    for (let i = 0; i < members.length; i++) {
      const o = members[i]!;
      if (o === v) continue;
      const val = value[o];
      if (val === TRUE) return this.store([lit(v, false), lit(o, false)]);
      if (val === UNASSIGNED) {
        value[o] = FALSE;
        this.level[o] = level;
        this.reason[o] = -v;
        this.trail.push(lit(o, false));
      }
    }
    return undefined;
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
    const value = this.value;
    const level = this.level;
    for (let k = 0; k < c.length; k++) {
      const l = c[k]!;
      if (value[l >> 1] === FALSE - (l & 1)) {
        const lv = level[l >> 1]!;
        if (lv > maxFalse) maxFalse = lv;
      } else {
        // two literals not false: nothing to do
        if (++openCount > 1) return undefined;
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
          for (let k = 0; k < added.length; k++) this.addClause(added[k]!);
          this.qhead--; // settle the new clauses, then come back to p's watches
          continue;
        }
      }
      if (isPositive(p)) {
        const conflict = this.propagateGroup(pv);
        if (conflict !== undefined) return conflict;
      }
      const falseLit = neg(p);
      const ws = this.watches[p]!; // clauses watching falseLit sit under index p (neg(falseLit))
      const clauses = this.clauses;
      const value = this.value;
      let i = 0;
      let j = 0;
      let conflict: number | undefined;
      // a literal l is true when value[l >> 1] === TRUE + (l & 1), false when it is FALSE - (l & 1)
      while (i < ws.length) {
        const ci = ws[i++]!;
        const c = clauses[ci]!;
        if (c[0] === falseLit) {
          c[0] = c[1]!;
          c[1] = falseLit;
        }
        if (c.length === 1) {
          ws[j++] = ci;
          conflict = ci;
          break;
        }
        const c0 = c[0]!;
        if (value[c0 >> 1] === TRUE + (c0 & 1)) {
          ws[j++] = ci;
          continue;
        }
        let moved = false;
        for (let k = 2; k < c.length; k++) {
          const ck = c[k]!;
          if (value[ck >> 1] !== FALSE - (ck & 1)) {
            c[1] = ck;
            c[k] = falseLit;
            this.watches[neg(ck)]!.push(ci);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        ws[j++] = ci;
        if (value[c0 >> 1] === FALSE - (c0 & 1)) {
          conflict = ci;
          break;
        }
        this.assign(c0, ci);
      }
      if (j < i) {
        while (i < ws.length) ws[j++] = ws[i++]!;
        ws.length = j;
      }
      if (conflict !== undefined) return conflict;
    }
  }

  /** Scratch marks by variable for `analyze`, all zero between calls. */
  private seen = new Uint8Array(16);

  /** First-UIP learning: returns the learned clause (asserting literal first) and the backjump level. */
  private analyze(conflict: number): { learned: Literal[]; level: number } {
    if (this.seen.length <= this.numVars) this.seen = new Uint8Array(2 * this.numVars + 2);
    const seen = this.seen; // all clear between calls
    const learned: Literal[] = [0];
    let pathCount = 0;
    let p: Literal | undefined;
    let idx = this.trail.length - 1;
    const current = this.decisionLevel;
    let c: readonly Literal[] = this.clauses[conflict]!;
    const trail = this.trail;
    const levels = this.level;
    do {
      for (let k = 0; k < c.length; k++) {
        const q = c[k]!;
        if (p !== undefined && q === p) continue;
        const v = q >> 1;
        if (seen[v] || levels[v] === 0) continue;
        seen[v] = 1;
        if (levels[v] === current) pathCount++;
        else learned.push(q);
      }
      while (!seen[trail[idx]! >> 1]) idx--;
      p = trail[idx]!;
      idx--;
      seen[varOf(p)] = 0;
      pathCount--;
      if (pathCount > 0) c = this.reasonLits(varOf(p))!;
    } while (pathCount > 0);
    learned[0] = neg(p!);
    for (let i = 1; i < learned.length; i++) seen[varOf(learned[i]!)] = 0;
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
    if (limit < this.unchanged) this.unchanged = limit;
    for (let i = this.trail.length - 1; i >= limit; i--) {
      const v = varOf(this.trail[i]!);
      this.value[v] = UNASSIGNED;
      this.reason[v] = 0;
    }
    this.trail.length = limit;
    this.trailLim.length = level;
    this.qhead = Math.min(this.qhead, limit);
  }

  /** Add variable v's lazily generated clauses now, before it becomes true; false if it already has them. */
  expandNow(v: number): boolean {
    if (this.expanded[v] !== 0 || !this.hooks.expand) return false;
    this.expanded[v] = 1;
    const added = this.hooks.expand(v);
    for (let k = 0; k < added.length; k++) this.addClause(added[k]!);
    return true;
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
        const c = this.clauses[conflict]!;
        for (let k = 0; k < c.length; k++) maxLevel = Math.max(maxLevel, this.level[c[k]! >> 1]!);
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
      if (d === null) continue;
      if (this.litValue(d) !== undefined) throw new Error(`decide() returned an assigned literal ${d}`);
      this.stats.decisions++;
      this.trailLim.push(this.trail.length);
      this.assign(d, undefined);
    }
  }
}
