// Round trip: for every spec string in the conformance data that parses, MatchSpec.parse(x.toString())
// is equal to x. conda's canonical string leaves out url and fn when channel, subdir, name, version and
// build are printed (they name the package file), so those two fields are compared only otherwise.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { VersionSpec } from '../../core/spec/version-spec.ts';

const dir = new URL('../../../shared/conformance/', import.meta.url);
const skip = existsSync(dir) ? false : '../shared/conformance is absent';

function identifiesFile(m: MatchSpec): boolean {
  return m.channel !== undefined && m.subdir !== undefined && m.exactValue('name') !== undefined && m.exactValue('version') !== undefined && m.exactValue('build') !== undefined;
}

test('every parsable conformance match spec survives toString and parse', { skip }, () => {
  const cases = JSON.parse(readFileSync(new URL('match-spec.json', dir), 'utf8')) as Record<string, unknown>[];
  const inputs = new Set<string>();
  for (const c of cases) {
    for (const k of ['input', 'spec', 'canonical']) if (typeof c[k] === 'string') inputs.add(c[k] as string);
    if (Array.isArray(c.specs)) for (const s of c.specs) if (typeof s === 'string') inputs.add(s);
  }
  let checked = 0;
  const broken: string[] = [];
  for (const text of inputs) {
    const m = MatchSpec.tryParse(text);
    if (m === undefined) continue;
    checked++;
    const again = MatchSpec.parse(m.toString());
    const same = identifiesFile(m) ? stripFile(m) === stripFile(again) : again.equals(m);
    if (!same) broken.push(`${text} → ${m} → ${again}`);
  }
  assert.ok(checked > 600, `only ${checked} specs checked`);
  assert.deepEqual(broken, []);
});

function stripFile(m: MatchSpec): string {
  return JSON.stringify([m.name, m.version?.key, m.build?.toString(), m.buildNumber?.key, m.channel, m.subdir, m.md5, m.sha256]);
}

test('every parsable conformance version spec survives toString and parse', { skip }, () => {
  const cases = JSON.parse(readFileSync(new URL('version-spec.json', dir), 'utf8')) as Record<string, unknown>[];
  let checked = 0;
  for (const c of cases) {
    if (typeof c.spec !== 'string') continue;
    let v: VersionSpec;
    try {
      v = VersionSpec.parse(c.spec);
    } catch {
      continue;
    }
    checked++;
    const again = VersionSpec.parse(v.toString());
    assert.ok(again.equals(v), `${c.spec} → ${v} → ${again}`);
    assert.equal(again.toString(), v.toString());
  }
  assert.ok(checked > 300, `only ${checked} specs checked`);
});
