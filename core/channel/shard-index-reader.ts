// A fast reader for the shard index's msgpack (repodata_shards.msgpack.zst, decompressed): the
// `shards` map of a large channel holds tens of thousands of name → 32-byte hash pairs, which a
// generic msgpack decoder turns into an object (and the caller into a Map) several times slower
// than reading them straight from the bytes. `info` and any other key go through the generic
// decoder. A document in a shape this reader does not know gives undefined, and the caller
// decodes it the generic way (which also reports what is wrong with it).

import type { Decoder } from '@msgpack/msgpack';
import type { ShardHashes } from './shard-format.ts';

/** Offset just past the msgpack value at `i`; throws RangeError past the end. */
function skip(b: Buffer, i: number): number {
  const t = b[i];
  if (t === undefined) throw new RangeError('truncated');
  if (t <= 0x7f || t >= 0xe0 || (t >= 0xc0 && t <= 0xc3)) return i + 1;
  if (t >= 0xa0 && t <= 0xbf) return i + 1 + (t & 0x1f);
  if (t >= 0x80 && t <= 0x8f) return skipItems(b, i + 1, 2 * (t & 0x0f));
  if (t >= 0x90 && t <= 0x9f) return skipItems(b, i + 1, t & 0x0f);
  switch (t) {
    case 0xc4: case 0xd9: return i + 2 + b.readUInt8(i + 1);
    case 0xc5: case 0xda: return i + 3 + b.readUInt16BE(i + 1);
    case 0xc6: case 0xdb: return i + 5 + b.readUInt32BE(i + 1);
    case 0xc7: return i + 3 + b.readUInt8(i + 1);
    case 0xc8: return i + 4 + b.readUInt16BE(i + 1);
    case 0xc9: return i + 6 + b.readUInt32BE(i + 1);
    case 0xca: return i + 5;
    case 0xcb: return i + 9;
    case 0xcc: case 0xd0: return i + 2;
    case 0xcd: case 0xd1: return i + 3;
    case 0xce: case 0xd2: return i + 5;
    case 0xcf: case 0xd3: return i + 9;
    case 0xd4: return i + 3;
    case 0xd5: return i + 4;
    case 0xd6: return i + 6;
    case 0xd7: return i + 10;
    case 0xd8: return i + 18;
    case 0xdc: return skipItems(b, i + 3, b.readUInt16BE(i + 1));
    case 0xdd: return skipItems(b, i + 5, b.readUInt32BE(i + 1));
    case 0xde: return skipItems(b, i + 3, 2 * b.readUInt16BE(i + 1));
    case 0xdf: return skipItems(b, i + 5, 2 * b.readUInt32BE(i + 1));
  }
  throw new RangeError(`unknown msgpack type 0x${t.toString(16)}`);
}

function skipItems(b: Buffer, i: number, n: number): number {
  for (let k = 0; k < n; k++) i = skip(b, i);
  return i;
}

/** A map header at `i`: [entries, offset of the first key], or undefined. */
function mapHeader(b: Buffer, i: number): [number, number] | undefined {
  const t = b[i];
  if (t === undefined) return undefined;
  if (t >= 0x80 && t <= 0x8f) return [t & 0x0f, i + 1];
  if (t === 0xde) return [b.readUInt16BE(i + 1), i + 3];
  if (t === 0xdf) return [b.readUInt32BE(i + 1), i + 5];
  return undefined;
}

/** A string at `i`: [its text, offset past it], or undefined when the value is not a string. */
function str(b: Buffer, i: number): [string, number] | undefined {
  const t = b[i]!;
  let start: number;
  let len: number;
  if (t >= 0xa0 && t <= 0xbf) [start, len] = [i + 1, t & 0x1f];
  else if (t === 0xd9) [start, len] = [i + 2, b.readUInt8(i + 1)];
  else if (t === 0xda) [start, len] = [i + 3, b.readUInt16BE(i + 1)];
  else return undefined;
  if (start + len > b.length) throw new RangeError('truncated');
  return [b.toString('utf8', start, start + len), start + len];
}

/** Package names are short and ASCII: built in JS, lower-cased on the way (a call into C++ per name costs more). */
function asciiName(b: Buffer, start: number, end: number): string | undefined {
  let name = '';
  for (let k = start; k < end; k++) {
    let c = b[k]!;
    if (c >= 0x80) return undefined;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    name += String.fromCharCode(c);
  }
  return name;
}

/** Hashes as offsets into the index's bytes: no object per name. */
class HashView implements ShardHashes {
  readonly #bytes: Buffer;
  readonly #at: Map<string, number>;

  constructor(bytes: Buffer, at: Map<string, number>) {
    this.#bytes = bytes;
    this.#at = at;
  }

  get size(): number {
    return this.#at.size;
  }

  has(name: string): boolean {
    return this.#at.has(name);
  }

  get(name: string): Uint8Array | undefined {
    const at = this.#at.get(name);
    return at === undefined ? undefined : this.#bytes.subarray(at, at + 32);
  }

  keys(): IterableIterator<string> {
    return this.#at.keys();
  }
}

/** `info` and `shards` (lower-case names → raw hashes) of a decompressed shard index, or undefined (see above). */
export function readShardIndex(b: Buffer, decoder: Decoder): { info: unknown; shards: ShardHashes } | undefined {
  try {
    const top = mapHeader(b, 0);
    if (top === undefined) return undefined;
    let [entries, at] = top;
    let info: unknown;
    let shards: ShardHashes | undefined;
    for (; entries > 0; entries--) {
      const key = str(b, at);
      if (key === undefined) return undefined;
      at = key[1];
      if (key[0] !== 'shards') {
        const end = skip(b, at);
        if (key[0] === 'info') info = decoder.decode(b.subarray(at, end));
        at = end;
        continue;
      }
      const head = mapHeader(b, at);
      if (head === undefined) return undefined;
      const offsets = new Map<string, number>();
      at = head[1];
      for (let n = head[0]; n > 0; n--) {
        const t = b[at];
        let start: number;
        let len: number;
        if (t !== undefined && t >= 0xa0 && t <= 0xbf) [start, len] = [at + 1, t & 0x1f];
        else if (t === 0xd9) [start, len] = [at + 2, b[at + 1]!];
        else return undefined;
        const nameEnd = start + len;
        // a hash is bin8 of 32 bytes
        if (b[nameEnd] !== 0xc4 || b[nameEnd + 1] !== 32 || nameEnd + 34 > b.length) return undefined;
        offsets.set(asciiName(b, start, nameEnd) ?? b.toString('utf8', start, nameEnd).toLowerCase(), nameEnd + 2);
        at = nameEnd + 34;
      }
      shards = new HashView(b, offsets);
    }
    return shards && { info, shards };
  } catch {
    return undefined;
  }
}
