// dist/action/ is committed (the runner runs it as is): it must be exactly what scripts/build.ts
// makes from the current sources. Rebuilds both targets into a temp folder and compares the bytes;
// on failure, run `node scripts/build.ts action-main action-post`.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { TARGETS } from '../../scripts/build.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('dist/action is built from the current sources', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-dist-'));
  try {
    for (const [target, file] of [['action-main', 'main.js'], ['action-post', 'post.js']] as const) {
      const outfile = join(dir, file);
      await build({ ...TARGETS[target]!.options, outfile });
      const fresh = readFileSync(outfile);
      const committed = readFileSync(join(root, 'dist/action', file));
      assert.ok(fresh.equals(committed), `dist/action/${file} is stale: run node scripts/build.ts action-main action-post`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
