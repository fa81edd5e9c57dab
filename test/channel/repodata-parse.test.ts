// Reading repodata.json text: raw entries (.conda first, shadowing .tar.bz2), info, removed,
// repodata_version, and clear errors for content that is not repodata.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChannelError } from '../../core/channel/errors.ts';
import { parseRepodata } from '../../core/channel/repodata-parse.ts';

const where = { url: 'https://host/t/<TOKEN>/ch/linux-64/repodata.json', cachePath: '/cache/repodata/abc.json', fromCache: true };

test('entries stay raw; .conda first; removed and repodata_version are read', () => {
  const a = { name: 'a', version: '1', build: '0' };
  const text = '\uFEFF' + JSON.stringify({
    info: { subdir: 'linux-64', base_url: 'https://cdn/ch/linux-64/' },
    repodata_version: 2,
    packages: { 'a-1-0.tar.bz2': a, 'b-1-0.tar.bz2': { name: 'b' } },
    'packages.conda': { 'a-1-0.conda': a },
    removed: ['old-1-0.tar.bz2', 7],
  });
  const parsed = parseRepodata(Buffer.from(text), where);
  assert.deepEqual(parsed.packages.map(([fn]) => fn), ['a-1-0.conda', 'b-1-0.tar.bz2']);
  assert.deepEqual(parsed.packages[1]![1], { name: 'b' });
  assert.deepEqual(parsed.info, { subdir: 'linux-64', base_url: 'https://cdn/ch/linux-64/' });
  assert.equal(parsed.repodataVersion, 2);
  assert.deepEqual(parsed.removed, ['old-1-0.tar.bz2']);
  assert.deepEqual(parseRepodata('{}', where), { info: {}, repodataVersion: undefined, packages: [], removed: [] });
});

test('content that is not repodata is a malformed ChannelError naming the URL and cache file', () => {
  for (const [text, detail] of [
    ['{"packages": ', /not valid JSON/],
    ['[1, 2]', /not a JSON object/],
    ['{"packages": []}', /"packages" is not an object/],
    ['{"packages.conda": "x"}', /"packages.conda" is not an object/],
  ] as const) {
    assert.throws(
      () => parseRepodata(text, where),
      (e: unknown) =>
        e instanceof ChannelError &&
        e.kind === 'malformed' &&
        detail.test(e.message) &&
        e.message.includes(where.url) &&
        e.message.includes('delete that file') &&
        e.cachePath === where.cachePath,
    );
  }
});
