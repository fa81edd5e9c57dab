// Text written through the shared window (scratch-window.ts): the same bytes as Buffer.from, for
// texts longer than the window whose characters (2, 3 and 4 bytes in UTF-8, surrogate pairs in
// the string) fall across its edges, given whole or in parts — many small parts gathered into few
// writes, at an open file's position.

import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TextWindowWriter, WINDOW_BYTES } from '../../core/install/scratch-window.ts';

/** Writes `text` (or its parts, one after the other) to the file `path` through a TextWindowWriter. */
function writeTextFileSync(path: string, text: string | readonly string[]): void {
  const fd = openSync(path, 'w');
  try {
    const writer = new TextWindowWriter(fd);
    for (const part of typeof text === 'string' ? [text] : text) writer.write(part);
    writer.flush();
  } finally {
    closeSync(fd);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'env-setup-window-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writing text through the window', () => {
  it('writes the UTF-8 of texts longer than the window, characters across its edges', () => {
    const chunks = ['a', 'é', '€', '𝄞', '{\n  "x": 1\n}'];
    for (const [i, shift] of [0, 1, 2, 3].entries()) {
      const parts = ['x'.repeat(shift)];
      for (let k = 0, bytes = shift; bytes < 2.5 * WINDOW_BYTES; k++) {
        const piece = chunks[k % chunks.length]!.repeat(1 + (k % 7));
        parts.push(piece);
        bytes += Buffer.byteLength(piece);
      }
      const text = parts.join('');
      const path = join(dir, `t${i}`);
      writeTextFileSync(path, text);
      assert.ok(readFileSync(path).equals(Buffer.from(text)), `shift ${shift}`);
    }
  });

  it('writes parts one after the other, and an empty text as an empty file', () => {
    const path = join(dir, 'parts');
    const big = '€'.repeat(WINDOW_BYTES / 2);
    writeTextFileSync(path, [big, '\n', '', 'end']);
    assert.equal(readFileSync(path, 'utf8'), `${big}\nend`);
    writeTextFileSync(path, '');
    assert.equal(statSync(path).size, 0, 'an existing file is truncated');
  });

  it('gathers many small parts (characters of every width, lone surrogates) into few writes, the bytes unchanged', () => {
    const pieces = ['a', 'é', '€', '𝄞', ',\n    ', '"x"', '\ud800', 'z\udc00'];
    const parts: string[] = [];
    for (let k = 0, bytes = 0; bytes < 3.2 * WINDOW_BYTES; k++) {
      const piece = pieces[k % pieces.length]!.repeat(1 + (k % 5));
      parts.push(piece);
      bytes += Buffer.byteLength(piece);
    }
    const path = join(dir, 'small-parts');
    writeTextFileSync(path, parts);
    // what TextEncoder makes of them (a lone surrogate is U+FFFD)
    assert.ok(readFileSync(path).equals(new TextEncoder().encode(parts.join(''))));
  });

  it('writes at the open file\'s position, and flush() leaves the window free for others', () => {
    const path = join(dir, 'positioned');
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, 'head|');
      const writer = new TextWindowWriter(fd);
      writer.write('é'.repeat(10));
      writer.write('x'.repeat(WINDOW_BYTES + 3));
      writer.flush();
      // another user of the window in between (its own flushed writes) does not disturb this file
      writeTextFileSync(join(dir, 'other'), 'other text');
      writer.write('|tail');
      writer.flush();
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(path, 'utf8'), `head|${'é'.repeat(10)}${'x'.repeat(WINDOW_BYTES + 3)}|tail`);
  });
});
