// Runs every case in ../shared/conformance for versions, version specs and match specs. A case we do
// not follow must be listed in conformance-skips.ts with the reason; the count of skips is printed.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { matchSpecChecks, type Case, type Check, versionChecks, versionSpecChecks } from './conformance-checks.ts';
import { SKIPS } from './conformance-skips.ts';

const dir = new URL('../../../shared/conformance/', import.meta.url);
const present = existsSync(dir);

const suites: [string, Record<string, Check>][] = [
  ['version-order.json', versionChecks],
  ['version-spec.json', versionSpecChecks],
  ['match-spec.json', matchSpecChecks],
];

for (const [file, checks] of suites) {
  test(`conformance ${file}`, { skip: present ? false : '../shared/conformance is absent' }, () => {
    const cases: Case[] = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const failures: string[] = [];
    let passed = 0;
    let skipped = 0;
    const unusedSkips = new Set([...SKIPS.keys()].filter((k) => k.startsWith(file + '#')));
    cases.forEach((c, i) => {
      const id = `${file}#${i}`;
      const check = checks[c.kind];
      let outcome: string | undefined;
      if (check === undefined) outcome = `no check for kind '${c.kind}'`;
      else {
        try {
          outcome = check(c);
        } catch (e) {
          outcome = `threw: ${(e as Error).message}`;
        }
      }
      if (SKIPS.has(id)) {
        unusedSkips.delete(id);
        if (outcome === undefined) failures.push(`${id} is listed as skipped but now passes: remove it from conformance-skips.ts`);
        skipped++;
        return;
      }
      if (outcome === undefined) passed++;
      else failures.push(`${id} [${c.source?.repo} ${c.kind}] ${JSON.stringify(c.input ?? c.spec ?? c.version ?? c.equal ?? c.specs ?? c.pattern)}: ${outcome}`);
    });
    for (const id of unusedSkips) failures.push(`skip ${id} names no case`);
    console.log(`${file}: ${passed} passed, ${skipped} skipped with a written reason (see test/spec/conformance-skips.ts), ${failures.length} failed`);
    assert.deepEqual(failures, []);
  });
}
