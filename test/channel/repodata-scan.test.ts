// Reading repodata.json by scanning its bytes: entries grouped by the name in their file name and
// parsed per name, exactly what JSON.parse gives on every real repodata file we have; info, removed
// and repodata_version; track_features found without parsing; every broken input a clear
// ChannelError (never a hang, never a stray exception); and the cache's stored table.

import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChannelError } from '../../core/channel/errors.ts';
import { parseRepodata } from '../../core/channel/repodata-parse.ts';
import { scanRepodata } from '../../core/channel/repodata-scan.ts';
import { decodeTable, encodeTable } from '../../core/channel/repodata-table-file.ts';
import { PackageIndex } from '../../core/index/package-index.ts';

const where = { url: 'https://host/t/<TOKEN>/ch/linux-64/repodata.json', cachePath: '/cache/repodata/abc.json', fromCache: true };
const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url).pathname;

const sorted = (entries: [string, unknown][]) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

test('entries are found by name and parsed on demand; info, removed and repodata_version are read', () => {
  const a = { name: 'a', version: '1', build: '0' };
  const text = '\uFEFF' + JSON.stringify({
    info: { subdir: 'linux-64', base_url: 'https://cdn/ch/linux-64/' },
    repodata_version: 2,
    packages: { 'a-1-0.tar.bz2': a, 'b-1-0.tar.bz2': { name: 'b' }, 'Upper-Case-1.0-0.tar.bz2': { name: 'Upper-Case' } },
    'packages.conda': { 'a-1-0.conda': a },
    removed: ['old-1-0.tar.bz2', 7],
  });
  const parsed = parseRepodata(Buffer.from(text), where);
  assert.equal(parsed.packages.count, 4);
  assert.deepEqual([...parsed.packages.names()].sort(), ['a', 'b', 'upper-case']);
  assert.deepEqual(parsed.packages.entriesOf('a'), [['a-1-0.conda', a]], 'a packages.conda entry hides the .tar.bz2 of the same stem');
  assert.deepEqual(parsed.packages.entriesOf('b'), [['b-1-0.tar.bz2', { name: 'b' }]]);
  assert.deepEqual(parsed.packages.entriesOf('nope'), []);
  assert.deepEqual(parsed.info, { subdir: 'linux-64', base_url: 'https://cdn/ch/linux-64/' });
  assert.equal(parsed.repodataVersion, 2);
  assert.deepEqual(parsed.removed, ['old-1-0.tar.bz2']);
  const empty = parseRepodata('{}', where);
  assert.deepEqual([empty.info, empty.repodataVersion, empty.removed, empty.packages.count], [{}, undefined, [], 0]);
  assert.equal(parseRepodata('{"packages": null, "packages.conda": {}}', where).packages.count, 0);
});

test('the index applies removed and the .conda-over-.tar.bz2 rule to lazily read names', () => {
  const text = JSON.stringify({
    packages: { 'a-1-0.tar.bz2': { name: 'a', version: '1', build: '0' }, 'a-2-0.tar.bz2': { name: 'a', version: '2', build: '0' }, 'a-3-0.tar.bz2': { name: 'a', version: '3', build: '0' } },
    'packages.conda': { 'a-1-0.conda': { name: 'a', version: '1', build: '0' } },
    removed: ['a-3-0.tar.bz2'],
  });
  const parsed = parseRepodata(text, where);
  const index = PackageIndex.from([{ channel: 'c', priority: 0, subdir: 'linux-64', entries: parsed.packages, removed: parsed.removed }]);
  assert.equal(index.loadedCount, 0, 'nothing is parsed before a name is asked for');
  assert.deepEqual(index.candidates('a').map((id) => index.fnOf(id)).sort(), ['a-1-0.conda', 'a-2-0.tar.bz2']);
  assert.equal(index.loadedCount, 2);
  assert.ok(index.hasName('a'));
  assert.equal(index.size, 4);
});

test('awkward but valid JSON: whitespace, escapes, braces in strings, nested values, keys without a name-version-build shape', () => {
  const text = `\n {\r\n\t"info" : { "subdir" : "linux-64" } ,
    "packages.conda" : {
      "x-1-0.conda" : { "name" : "x", "depends" : [ "y {1}", "quote \\" ] [ { here" ], "extra": {"nested": [1, {"a": "}"}], "n": null, "t": true} } ,
      "odd\\u002dname-1-0.conda": {"name": "odd-name"},
      "not-a-file-name": {"name": "Named-By-Record", "track_features": "feat"},
      "nameless.conda": {"version": "1"},
      "y-2-0.conda":{"name":"y","note":"\\\\"}
    },
    "removed" : [ ] , "repodata_version" : 1 }  \n`;
  const doc = JSON.parse(text) as { 'packages.conda': Record<string, unknown> };
  const parsed = parseRepodata(text, where);
  assert.deepEqual([...parsed.packages.names()].sort(), ['named-by-record', 'odd-name', 'x', 'y']);
  assert.equal(parsed.packages.count, 4, 'the record without a name is skipped, as conda does');
  assert.deepEqual(parsed.packages.entriesOf('x'), [['x-1-0.conda', doc['packages.conda']['x-1-0.conda']]]);
  assert.deepEqual(parsed.packages.entriesOf('odd-name'), [['odd-name-1-0.conda', { name: 'odd-name' }]]);
  assert.deepEqual(parsed.packages.entriesOf('y'), [['y-2-0.conda', { name: 'y', note: '\\' }]]);
  assert.deepEqual(parsed.packages.trackFeatureNames(), ['named-by-record']);
  assert.equal(parsed.repodataVersion, 1);
});

test('track_features is found without parsing; empty values and look-alikes inside strings do not count', () => {
  const text = JSON.stringify({
    packages: {
      'a-1-0.tar.bz2': { name: 'a', track_features: 'mkl' },
      'b-1-0.tar.bz2': { name: 'b', track_features: '' },
      'c-1-0.tar.bz2': { name: 'c', track_features: [] },
      'd-1-0.tar.bz2': { name: 'd', track_features: null },
      'e-1-0.tar.bz2': { name: 'e', summary: 'has "track_features": "x" in its text' },
      'f-1-0.tar.bz2': { name: 'f', track_features: ['blas'] },
    },
  });
  assert.deepEqual(parseRepodata(text, where).packages.trackFeatureNames(), ['a', 'f']);
});

test('every prefix of a repodata file, and other broken inputs, is a malformed ChannelError naming the URL and cache file', () => {
  const full = JSON.stringify({ info: { subdir: 'linux-64' }, packages: { 'a-1-0.tar.bz2': { name: 'a', depends: ['b >=1', 'c'] } }, 'packages.conda': { 'b-1-0.conda': { name: 'b', s: 'x\\"}' } }, removed: [] });
  const isMalformed = (detail: RegExp) => (e: unknown) =>
    e instanceof ChannelError && e.kind === 'malformed' && detail.test(e.message) && e.message.includes(where.url) && e.message.includes('delete that file') && e.cachePath === where.cachePath;
  for (let n = 0; n < full.length; n++) assert.throws(() => scanRepodata(Buffer.from(full.slice(0, n)), where), isMalformed(/not valid JSON|not a JSON object|is not an object/), `prefix of ${n} bytes`);
  assert.equal(scanRepodata(Buffer.from(full), where).names.length, 2);
  for (const [text, detail] of [
    ['[1, 2]', /not a JSON object/],
    ['{"packages": []}', /"packages" is not an object/],
    ['{"packages.conda": "x"}', /"packages.conda" is not an object/],
    ['{"info": {}} trailing', /unexpected content/],
    ['{"info" {}}', /expected ':'/],
    ['{"info": {}, }', /expected a string/],
    ['{"removed": [1,]}', /not valid JSON/],
  ] as const) {
    assert.throws(() => scanRepodata(Buffer.from(text), where), isMalformed(detail), text);
  }
  // a record that is broken inside a well-formed structure is found when its name is read
  const parsed = parseRepodata('{"packages": {"a-1-0.tar.bz2": {"name": "a",}}}', where);
  assert.throws(() => parsed.packages.entriesOf('a'), isMalformed(/the entry a-1-0\.tar\.bz2 is not valid JSON/));
});

function repodataFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...repodataFiles(path));
    else if (/^repodata.*\.json$/.test(name)) out.push(path);
  }
  return out;
}

test('on every real repodata file: the same entries as JSON.parse (with conda\'s packages.conda rule), and every record under the name its file name says', { skip: existsSync(FIXTURES) ? false : `${FIXTURES} is absent` }, () => {
  const files = repodataFiles(FIXTURES);
  assert.ok(files.length >= 20, `found ${files.length} repodata files`);
  let entries = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const doc = JSON.parse(bytes.toString('utf8')) as Record<string, Record<string, { name?: string }> | undefined>;
    const hidden = new Set(Object.keys(doc['packages.conda'] ?? {}).map((k) => `${k.slice(0, -6)}.tar.bz2`));
    const legacy = Object.entries(doc.packages ?? {}).filter(([k]) => !hidden.has(k));
    const expected = sorted([...legacy, ...Object.entries(doc['packages.conda'] ?? {})].filter(([, r]) => typeof r?.name === 'string' && r.name !== ''));
    const parsed = parseRepodata(bytes, { url: file, fromCache: false });
    assert.deepEqual(sorted(parsed.packages.all()), expected, file);
    const byName = parsed.packages.names().flatMap((name) => parsed.packages.entriesOf(name).map(([fn, raw]) => {
      assert.equal((raw as { name: string }).name.toLowerCase(), name, `${file}: ${fn}`);
      return [fn, raw] as [string, unknown];
    }));
    assert.deepEqual(sorted(byName), expected, file);
    const tracking = new Set(expected.filter(([, r]) => { const tf = (r as { track_features?: unknown }).track_features; return tf !== undefined && tf !== null && tf !== '' && !(Array.isArray(tf) && tf.length === 0); }).map(([, r]) => (r as { name: string }).name.toLowerCase()));
    assert.deepEqual(parsed.packages.trackFeatureNames().sort(), [...tracking].sort(), file);
    entries += expected.length;
  }
  assert.ok(entries > 40_000, `${entries} entries compared`);
});

test('the stored table reproduces the scan, and is refused for other bytes or when damaged', () => {
  const content = Buffer.from(JSON.stringify({ info: { subdir: 'noarch' }, packages: { 'a-1-0.tar.bz2': { name: 'a', track_features: 'f' } }, 'packages.conda': { 'b-1-0.conda': { name: 'b' } }, removed: ['z-1-0.conda'], repodata_version: 2 }));
  const table = scanRepodata(content, where);
  const file = encodeTable(table, content);
  assert.deepEqual(decodeTable(file, content), table);
  const other = Buffer.from(content.toString().replace('"b"', '"c"'));
  assert.equal(decodeTable(file, other), undefined, 'other bytes');
  assert.equal(decodeTable(file.subarray(0, file.length - 4), content), undefined, 'truncated');
  const badMagic = Buffer.from(file);
  badMagic[0] = 0;
  assert.equal(decodeTable(badMagic, content), undefined, 'not a table');
  assert.equal(decodeTable(Buffer.alloc(3), content), undefined, 'too short');
  // a large file: the fingerprint samples the bytes rather than hashing them all, and still tells a change apart
  const big = Buffer.from(JSON.stringify({ packages: Object.fromEntries(Array.from({ length: 20_000 }, (_, k) => [`p${k}-1-0.tar.bz2`, { name: `p${k}`, version: '1' }])) }));
  const bigTable = scanRepodata(big, where);
  const stored = encodeTable(bigTable, big);
  assert.deepEqual(decodeTable(stored, big), bigTable);
  const sameLength = Buffer.concat([big.subarray(0, 100), Buffer.from('X'), big.subarray(101)]);
  assert.equal(decodeTable(stored, sameLength), undefined, 'a change in the first sample');
});
