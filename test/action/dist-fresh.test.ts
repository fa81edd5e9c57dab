// dist/action/ is committed (the runner runs it as is): it must be exactly what scripts/build.ts
// makes from the current sources. Rebuilds the target into a temp folder and compares every file's
// bytes, and the list of files (a chunk left over from an older build is stale too); on failure,
// run `node scripts/build.ts action`.

import assert from 'node:assert/strict';
import { type Dirent, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { TARGETS } from '../../scripts/build.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('dist/action is built from the current sources', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-dist-'));
  try {
    await build({ ...TARGETS.action!.options, outdir: dir });
    const committedDir = join(root, 'dist/action');
    const fresh = files(dir);
    assert.deepEqual(files(committedDir), fresh, 'dist/action does not hold the files a build makes: run node scripts/build.ts action');
    for (const file of fresh) {
      assert.ok(readFileSync(join(dir, file)).equals(readFileSync(join(committedDir, file))), `dist/action/${file} is stale: run node scripts/build.ts action`);
    }
    assert.ok(fresh.includes('main.js') && fresh.includes('post.js'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The files under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}
