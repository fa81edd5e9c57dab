// The windowed binary-mode rewrite (link-prefix-stream.ts) against the whole-file one
// (link-prefix-replace.ts): the same bytes, the same "changed", the sha256 of what was written,
// for windows small enough that runs and placeholders straddle their edges; a run longer than the
// window hands the file back; a prefix longer than the placeholder is refused; the mode is kept.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PaddingError, replaceBinaryPrefix } from '../../core/install/link-prefix-replace.ts';
import { rewriteBinaryFile } from '../../core/install/link-prefix-stream.ts';

const PH = '/opt/anaconda1anaconda2anaconda3';
const dir = mkdtempSync(join(tmpdir(), 'env-setup-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function rewrite(data: Buffer, prefix: string, windowSize: number) {
  const source = join(dir, `in-${n}`);
  const dest = join(dir, `out-${n++}`);
  writeFileSync(source, data);
  const r = rewriteBinaryFile(source, dest, 0o644, PH, prefix, windowSize);
  return { ...r, out: r.done ? readFileSync(dest) : undefined, dest };
}

/** A deterministic pseudo-random binary with placeholders, runs of several lengths, and NULs. */
function sample(seed: number, size: number): Buffer {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const r = next();
    const part =
      r < 0.15
        ? Buffer.from(`${PH}/lib${next() < 0.3 ? `:${PH}/lib64` : ''}`)
        : r < 0.3
          ? Buffer.alloc(1 + Math.floor(next() * 3))
          : Buffer.from(Array.from({ length: 1 + Math.floor(next() * 40) }, () => 1 + Math.floor(next() * 255)));
    parts.push(part);
    length += part.length;
  }
  return Buffer.concat(parts);
}

describe('binary placeholders rewritten through a window', () => {
  it('writes what the whole-file rewrite makes, with its sha256, for windows of many sizes', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const data = sample(seed, 3000);
      const whole = replaceBinaryPrefix(data, PH, '/env');
      // the longest run, placeholder to NUL: the smallest window is the one it just fits in
      let longest = 0;
      for (let at = data.indexOf(PH); at >= 0; at = data.indexOf(PH, at + 1)) longest = Math.max(longest, data.indexOf(0, at) - at);
      for (const windowSize of [longest + 1, longest + 7, 2 * longest, 4096, 1 << 20]) {
        const r = rewrite(data, '/env', windowSize);
        assert.equal(r.done, true, `seed ${seed}, window ${windowSize}`);
        assert.ok(r.out!.equals(whole), `seed ${seed}, window ${windowSize}`);
        assert.equal(r.changed, !whole.equals(data));
        assert.equal(r.sha256, createHash('sha256').update(whole).digest('hex'));
      }
    }
  });

  it('leaves a placeholder with no NUL after it, to the end of the file', () => {
    const data = Buffer.from(`a${PH}\0b${PH}${'c'.repeat(300)}`);
    const r = rewrite(data, '/env', 1024);
    assert.equal(r.done, true);
    assert.ok(r.out!.equals(replaceBinaryPrefix(data, PH, '/env')));
    assert.ok(r.out!.toString('latin1').endsWith(`b${PH}${'c'.repeat(300)}`), 'the unterminated placeholder is left');
    assert.ok(r.out!.toString('latin1').startsWith('a/env\0'));
    // the unterminated tail longer than the window: handed back
    assert.equal(rewrite(data, '/env', 128).done, false);
  });

  it('says when nothing changed: no placeholder, or the prefix is the placeholder', () => {
    assert.equal(rewrite(Buffer.from('no placeholder\0'), '/env', 64).changed, false);
    const same = rewrite(Buffer.from(`x${PH}/lib\0`), PH, 64);
    assert.equal(same.changed, false);
    assert.ok(same.out!.equals(Buffer.from(`x${PH}/lib\0`)));
    assert.equal(rewrite(Buffer.alloc(0), '/env', 64).out!.length, 0);
  });

  it('hands back a file whose run is longer than the window', () => {
    const data = Buffer.from(`${'a'.repeat(10)}${PH}${'b'.repeat(200)}\0`);
    assert.equal(rewrite(data, '/env', 128).done, false);
    assert.equal(rewrite(data, '/env', 512).done, true);
  });

  it('refuses a prefix longer than the placeholder', () => {
    assert.throws(() => rewrite(Buffer.from(`a${PH}\0`), '/' + 'x'.repeat(PH.length + 1), 64), PaddingError);
  });

  it('creates the file with the mode given (less the umask)', () => {
    const source = join(dir, 'mode-in');
    const dest = join(dir, 'mode-out');
    writeFileSync(source, `${PH}\0`);
    rewriteBinaryFile(source, dest, 0o700, PH, '/env');
    assert.equal(statSync(dest).mode & 0o777, 0o700 & ~process.umask());
  });
});
