// conda's, old conda's and mamba's own solve tests (../shared/conformance/solve-cases.json) over the
// conda test indexes: every case not listed in solve-pending.ts must give exactly the expected answer,
// with a valid solution (checked by solution-checker.ts); where the references disagree with each
// other (solve-deviations.ts), the answer we give instead.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkCase, type SolveCase } from './solve-cases.ts';
import { DEVIATIONS } from './solve-deviations.ts';
import { PENDING } from './solve-pending.ts';

const file = new URL('../../../shared/conformance/solve-cases.json', import.meta.url);
const skip = existsSync(file) ? false : '../shared/conformance is absent';

test('solve cases from conda, old conda and mamba', { skip }, () => {
  const cases = JSON.parse(readFileSync(file, 'utf8')) as SolveCase[];
  const failures: string[] = [];
  let passed = 0;
  for (const c of cases) {
    let outcome: string | undefined;
    const deviation = DEVIATIONS.get(c.id);
    try {
      outcome = checkCase(deviation ? { ...c, ...deviation.expect } : c);
    } catch (e) {
      outcome = `threw: ${(e as Error).message}`;
    }
    if (PENDING.has(c.id)) {
      if (outcome === undefined) failures.push(`${c.id} passes now: remove it from solve-pending.ts`);
      continue;
    }
    if (outcome === undefined) passed++;
    else failures.push(`${c.id}: ${outcome}`);
  }
  const unknown = [...PENDING.keys(), ...DEVIATIONS.keys()].filter((id) => !cases.some((c) => c.id === id));
  for (const id of unknown) failures.push(`pending ${id} names no case`);
  console.log(`solve-cases.json: ${passed} passed (${DEVIATIONS.size} of them where the references disagree, see solve-deviations.ts), ${PENDING.size} pending with a written reason (solve-pending.ts), ${failures.length} failed`);
  assert.deepEqual(failures, []);
});
