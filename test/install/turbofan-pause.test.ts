// withTurbofanPaused (turbofan-pause.ts): in a fresh process, a function made hot inside it is
// optimised by Maglev but not by TurboFan, and one made hot after it by TurboFan again; without
// allowTurbofanPause, or with ENV_SETUP_V8_INSTALL_TURBOFAN=on, TurboFan is left on. Which tier
// optimised a function is read with V8's %GetOptimizationStatus.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { declareOneShotProcess } from '../../core/install/one-shot-process.ts';
import { turbofanPauses } from '../../core/install/turbofan-pause.ts';

const MODULE = new URL('../../core/install/turbofan-pause.ts', import.meta.url).href;

/** The tier that optimised a function made hot inside withTurbofanPaused, and one made hot after it. */
function tiers(allow: boolean, env: Record<string, string>): { inside: string; after: string } {
  const script = `
    const { allowTurbofanPause, withTurbofanPaused } = await import(${JSON.stringify(MODULE)});
    ${allow ? 'allowTurbofanPause();' : ''}
    const makeHot = async (f) => {
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 20000; i++) f(i);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    const tier = (f) => {
      const status = %GetOptimizationStatus(f);
      return status & (1 << 6) ? 'turbofan' : status & (1 << 5) ? 'maglev' : 'none';
    };
    function inside(x) { let s = 0; for (let i = 0; i < 50; i++) s += (x * i) % 7; return s; }
    function after(x) { let s = 0; for (let i = 0; i < 50; i++) s += (x * i) % 5; return s; }
    await withTurbofanPaused(() => makeHot(inside));
    await makeHot(after);
    console.log(JSON.stringify({ inside: tier(inside), after: tier(after) }));`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim()) as { inside: string; after: string };
}

describe('pausing TurboFan while linking', () => {
  it('pauses it inside, and only inside, when allowed and asked', () => {
    assert.deepEqual(tiers(true, { ENV_SETUP_V8_INSTALL_TURBOFAN: 'off' }), { inside: 'maglev', after: 'turbofan' });
  });

  it('leaves it on when not allowed (a long-lived process) or when told to', () => {
    assert.deepEqual(tiers(false, { ENV_SETUP_V8_INSTALL_TURBOFAN: 'off' }), { inside: 'turbofan', after: 'turbofan' });
    assert.deepEqual(tiers(true, { ENV_SETUP_V8_INSTALL_TURBOFAN: 'on' }), { inside: 'turbofan', after: 'turbofan' });
  });

  it('pauses it by default, in a process declared one-shot, only on machines with at most two CPUs', () => {
    // as the CLI and the Action declare themselves (this process makes nothing hot inside
    // withTurbofanPaused: only the decision is looked at)
    declareOneShotProcess();
    assert.equal(turbofanPauses({}, 1), true);
    assert.equal(turbofanPauses({}, 2), true);
    assert.equal(turbofanPauses({}, 4), false);
    assert.equal(turbofanPauses({ ENV_SETUP_V8_INSTALL_TURBOFAN: 'off' }, 8), true);
    assert.equal(turbofanPauses({ ENV_SETUP_V8_INSTALL_TURBOFAN: 'on' }, 2), false);
  });
});
