// keepYoungGenerationSmall (young-generation.ts): in a process that then keeps ~100 MB of small
// objects alive, V8's young generation stays at its first size; without it (or with
// ENV_SETUP_V8_YOUNG_GROWTH=default) it grows, as V8 grows it by default.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const MODULE = new URL('../../core/install/young-generation.ts', import.meta.url).href;

/** The young generation's size (MB) after keeping many objects alive, in a fresh process. */
function youngGenerationMB(call: boolean, env: Record<string, string> = {}): number {
  const script = `
    ${call ? `(await import(${JSON.stringify(MODULE)})).keepYoungGenerationSmall();` : ''}
    const keep = [];
    for (let i = 0; i < 1_500_000; i++) keep.push({ path: 'lib/file' + i, size: i });
    const v8 = await import('node:v8');
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(young.space_size / 1e6, keep.length);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim().split(' ')[0]);
}

describe('keeping the young generation small', () => {
  it('stops its growth; V8 grows it otherwise, and when told to leave the default', () => {
    const kept = youngGenerationMB(true);
    const grown = youngGenerationMB(false);
    const optedOut = youngGenerationMB(true, { ENV_SETUP_V8_YOUNG_GROWTH: 'default' });
    assert.ok(kept <= 4, `kept small: ${kept} MB`);
    assert.ok(grown >= 16, `grown by default: ${grown} MB`);
    assert.ok(optedOut >= 16, `with ENV_SETUP_V8_YOUNG_GROWTH=default: ${optedOut} MB`);
  });
});
