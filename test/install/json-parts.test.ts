// conda-meta records and journal entries are written as JSON made in parts (json-parts.ts): the
// parts joined are exactly JSON.stringify's text — compact and indented, for real conda-meta
// records, records with many paths (arrays longer than one group), and the edge cases of JSON
// (undefined and functions left out of objects and written as null in arrays, holes, empty and
// nested containers, escapes, characters outside ASCII, toJSON) — and no part is large.

import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emitJsonText, writeJsonFileSync, writeJsonSync } from '../../core/install/json-parts.ts';

/** The parts emitJsonText hands out, in order. */
function jsonTextParts(value: unknown, indent = 0, suffix = ''): string[] {
  const list: string[] = [];
  emitJsonText(value, indent, suffix, (part) => list.push(part));
  return list;
}

const dir = mkdtempSync(join(tmpdir(), 'env-setup-json-parts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const INSTALLED = join(import.meta.dirname, '../../../shared/fixtures/conda-meta');

/** A record shaped like a big package's conda-meta record. */
function bigRecord(files: number): Record<string, unknown> {
  const paths = Array.from({ length: files }, (_, i) => ({
    _path: `lib/python3.12/site-packages/pkg/módulo_${i}.py`,
    path_type: i % 11 === 0 ? 'softlink' : 'hardlink',
    ...(i % 13 === 0 ? { file_mode: 'text', prefix_placeholder: '/opt/anaconda1anaconda2anaconda3' } : {}),
    sha256: (i * 2654435761).toString(16).padStart(64, '0'),
    size_in_bytes: i * 37,
  }));
  return {
    build: 'py312h0_0',
    depends: ['python >=3.12,<3.13.0a0', 'libstdcxx >=13'],
    files: paths.map((p) => p._path),
    name: 'big',
    paths_data: { paths, paths_version: 1 },
    size: 123,
    track_features: '',
    url: 'https://conda.anaconda.org/conda-forge/linux-64/big-1.0-py312h0_0.conda',
  };
}

const same = (value: unknown, indent: number, label: string) => {
  const want = JSON.stringify(value, null, indent);
  assert.equal(jsonTextParts(value, indent).join(''), want ?? '', `${label}, indent ${indent}`);
  assert.equal(jsonTextParts(value, indent, '\n').join(''), want === undefined ? '' : want + '\n', `${label}, indent ${indent}, with a suffix`);
};

describe('JSON text in parts', () => {
  it('is JSON.stringify text for the edge cases of JSON', () => {
    const cases: [string, unknown][] = [
      ['numbers and literals', [0, -1.5, 1e21, NaN, Infinity, true, false, null]],
      ['strings with escapes', { 'k"\\\n\u2028': 'tab\there "quoted" \u0001 é 😀 \ud800' }],
      ['undefined and functions', { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: 1 }],
      ['only undefined members', { a: undefined }],
      ['holes', [1, , 3]], // eslint-disable-line no-sparse-arrays
      ['empty and nested containers', { a: [], b: {}, c: [[[]], [{}]], d: { e: { f: [] } } }],
      ['toJSON', { when: new Date(0), custom: { toJSON: () => ({ x: [1, 2] }) } }],
      ['a primitive', 'just a string'],
      ['undefined', undefined],
      ['an array longer than a group', Array.from({ length: 300 }, (_, i) => (i % 3 ? { i, n: [i] } : `s${i}`))],
      ['a nested long array', { a: { b: Array.from({ length: 200 }, (_, i) => [i, { i }]) } }],
    ];
    for (const [label, value] of cases) for (const indent of [0, 1, 2, 4]) same(value, indent, label);
  });

  it('is JSON.stringify text for a record of 20,000 paths, in parts of at most a few tens of kilobytes', () => {
    const record = bigRecord(20_000);
    for (const indent of [0, 2]) {
      same(record, indent, 'big record');
      const longest = Math.max(...jsonTextParts(record, indent).map((p) => p.length));
      assert.ok(longest < 64 * 1024, `longest part ${longest} characters`);
    }
  });

  it('makes the elements of JsonRows a group at a time, and writes the text of the array they make', () => {
    const record = bigRecord(1000);
    const entries = (record.paths_data as { paths: object[] }).paths;
    const made: number[] = [];
    const rows = {
      rowCount: entries.length,
      row: (i: number) => {
        made.push(i);
        return entries[i];
      },
      toJSON: () => entries,
    };
    for (const indent of [0, 2]) {
      made.length = 0;
      const lazy = { ...record, paths_data: { paths: rows, paths_version: 1 } };
      assert.equal(jsonTextParts(lazy, indent, '\n').join(''), JSON.stringify(record, null, indent) + '\n');
      assert.deepEqual(made, entries.map((_, i) => i), 'each element made once, in order');
      assert.equal(JSON.stringify(lazy, null, indent), JSON.stringify(record, null, indent));
    }
    assert.equal(jsonTextParts({ a: { rowCount: 0, row: () => 1, toJSON: () => [] } }, 2).join(''), JSON.stringify({ a: [] }, null, 2));
  });

  it('is JSON.stringify text for real conda-meta records', (t) => {
    if (!existsSync(INSTALLED)) return t.skip(`${INSTALLED} is absent (the shared fixtures sit beside the project)`);
    const files = readdirSync(INSTALLED, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const value = JSON.parse(readFileSync(join(INSTALLED, f), 'utf8')) as unknown;
      same(value, 2, f);
    }
  });

  it('writes a file with the same bytes as JSON.stringify and a newline', () => {
    const record = bigRecord(5_000);
    const path = join(dir, 'record.json');
    writeJsonFileSync(path, record, 2, '\n');
    assert.ok(readFileSync(path).equals(Buffer.from(JSON.stringify(record, null, 2) + '\n')));
  });

  it('writes several values one after the other at an open file\'s position (journal lines)', () => {
    const path = join(dir, 'lines.jsonl');
    const entries = [{ op: 'create', paths: bigRecord(300).files }, { op: 'done' }, { op: 'aside', from: 'bin/é', to: '.x' }];
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, 'head\n');
      writeJsonSync(fd, entries.slice(0, 2), 0, '\n');
      writeJsonSync(fd, [entries[2]], 0, '\n');
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(path, 'utf8'), 'head\n' + entries.map((e) => JSON.stringify(e) + '\n').join(''));
  });
});
