// The system extractor (env-tarball-extract-system.ts): chosen where zstd and GNU tar are found,
// and not when ENV_SETUP_EXTRACTOR=node or the programs are missing; the names tar lists read
// back exactly (escapes, non-ASCII); the restore's span names the extractor. The restores
// themselves — same tree, relocation, scan, hostile archives — are env-tarball.test.ts, which runs
// with this extractor where it is found and again with the in-process one
// (env-tarball-node-extractor.test.ts).

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { unescapeName } from '../../core/cache/env-tarball-extract-system.ts';
import { extractorChoice, systemExtractor } from '../../core/cache/env-tarball-system-tools.ts';

const tools = await systemExtractor({ ...process.env, ENV_SETUP_EXTRACTOR: 'system' });
const why = tools === undefined ? 'this machine has no zstd and GNU tar: the in-process extractor is used (and tested) alone' : false;

describe('the system extractor', () => {
  it('reads back the names GNU tar lists (--quoting-style=escape, C locale)', () => {
    assert.equal(unescapeName('bin/python3.12'), 'bin/python3.12');
    assert.equal(unescapeName('caf\\303\\251/x'), 'café/x');
    assert.equal(unescapeName('back\\\\slash'), 'back\\slash');
    assert.equal(unescapeName('new\\nline\\ttab'), 'new\nline\ttab');
    assert.equal(unescapeName('odd\\q'), undefined);
    assert.equal(unescapeName('ends\\'), undefined);
    // the listing arrives as latin1 (a byte per character): raw UTF-8 reads back too
    assert.equal(unescapeName(Buffer.from('naïve', 'utf8').toString('latin1')), 'naïve');
  });

  it('is chosen only where zstd and GNU tar are, and never with ENV_SETUP_EXTRACTOR=node', { skip: why }, async () => {
    assert.match(tools!.tar, /tar$/);
    assert.equal(extractorChoice({ ENV_SETUP_EXTRACTOR: 'node' }), 'node');
    assert.equal(extractorChoice({ ENV_SETUP_EXTRACTOR: ' System ' }), 'system');
    assert.equal(extractorChoice({}), 'auto');
    assert.equal(await systemExtractor({ ...process.env, ENV_SETUP_EXTRACTOR: 'node' }), undefined);
    assert.equal(await systemExtractor(process.env, 'win32'), undefined);
    const empty = await mkdtemp(join(tmpdir(), 'env-setup-no-tools-'));
    try {
      assert.equal(await systemExtractor({ ...process.env, PATH: empty }), undefined, 'no programs on PATH: in-process');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    assert.deepEqual(await systemExtractor(process.env), process.env.ENV_SETUP_EXTRACTOR === 'node' ? undefined : tools);
  });
});
