// A fast reader for the shard index's msgpack (repodata_shards.msgpack.zst, decompressed): the
// `shards` map of a large channel holds tens of thousands of name → 32-byte hash pairs, of which a
// solve needs a few dozen. Decoding them all into strings and a Map cost tens of milliseconds in a
// fresh process; this reader leaves them in the bytes and builds only a table of offsets, hashed on a
// few bytes of each name, so a lookup costs a probe and a compare and the names become strings only
// if someone asks for all of them. `info` and any other key go through the generic decoder. A
// document in a shape this reader does not know gives undefined, and the caller decodes it the
// generic way (which also reports what is wrong with it).

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

/**
 * A cheap hash of a name: its length and its first and last four bytes, with 0x20 set in every byte
 * (so A–Z hash as a–z). It reads at most eight bytes, so building the table costs a few operations
 * per name however long the names are; names that share both ends only share a probe chain.
 */
function mix(len: number, head: number, tail: number): number {
  let h = Math.imul(head ^ Math.imul(len, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ tail, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Up to four bytes from `at` (fewer when `n` < 4) as a number, each with 0x20 set. */
function word(b: Buffer, at: number, n: number): number {
  let w = 0;
  for (let k = 0; k < n; k++) w = (w << 8) | b[at + k]! | 0x20;
  return w >>> 0;
}

function bytesHash(b: Buffer, start: number, end: number): number {
  const len = end - start;
  const n = len < 4 ? len : 4;
  return mix(len, word(b, start, n), word(b, end - n, n));
}

/** The same hash of a name's UTF-8 bytes. */
function nameHash(name: Buffer): number {
  return bytesHash(name, 0, name.length);
}

/** Whether the bytes at [start, end) spell `name`'s bytes, A–Z folded to a–z. */
function spells(b: Buffer, start: number, end: number, name: Buffer): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) {
    let c = b[start + k]!;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== name[k]) return false;
  }
  return true;
}

/** What conda package names are made of (lower-case ASCII): such a name reads the same as latin1 and as UTF-8. */
const PLAIN_NAME = /^[a-z0-9_.-]*$/;

/** Lower-cases A–Z only, as the lookups fold them (conda package names are ASCII). */
function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/**
 * Hashes as offsets into the index's bytes, found through an open-addressing table of the names'
 * hashes: reading the index makes no string and no object per name, so a solve that needs 60 of
 * 30 000 names pays for 60 lookups, and the names themselves are made only when all are asked for.
 * Names are matched with A–Z folded (conda names are lower-case ASCII; other bytes match exactly).
 */
class HashView implements ShardHashes {
  readonly #bytes: Buffer;
  /** Per slot: offset of the name's first byte + 1 (0: empty). */
  readonly #slots: Int32Array;
  /** Per slot: offset just past the name (the hash's bin header starts there). */
  readonly #ends: Int32Array;
  readonly #size: number;
  /** Offset of the first entry and number of entries (duplicates included) of the `shards` map. */
  readonly #first: number;
  readonly #count: number;
  /** Offset past the last entry. */
  readonly #past: number;
  #names: string[] | undefined;

  constructor(bytes: Buffer, first: number, count: number, past: number, slots: Int32Array, ends: Int32Array, size: number) {
    this.#bytes = bytes;
    this.#first = first;
    this.#count = count;
    this.#past = past;
    this.#slots = slots;
    this.#ends = ends;
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  /** Lookups made so far (the walk and the index ask for the same names many times). */
  readonly #found = new Map<string, number>();

  /** Offset of the name's 32 hash bytes, or -1. */
  #find(name: string): number {
    let at = this.#found.get(name);
    if (at === undefined) this.#found.set(name, (at = this.#lookup(name)));
    return at;
  }

  #lookup(name: string): number {
    const key = Buffer.from(asciiLower(name));
    const mask = this.#slots.length - 1;
    for (let i = nameHash(key) & mask; ; i = (i + 1) & mask) {
      const at = this.#slots[i]!;
      if (at === 0) return -1;
      if (spells(this.#bytes, at - 1, this.#ends[i]!, key)) return this.#ends[i]! + 2;
    }
  }

  has(name: string): boolean {
    return this.#find(name) >= 0;
  }

  get(name: string): Uint8Array | undefined {
    const at = this.#find(name);
    return at < 0 ? undefined : this.#bytes.subarray(at, at + 32);
  }

  keys(): IterableIterator<string> {
    if (this.#names === undefined) {
      // in the index's order, as a Map made from it would give them; cut from one latin1 string of
      // the whole map (a native call per name costs several times more), and read again as UTF-8
      // when a name holds anything but what conda names are made of
      const b = this.#bytes;
      const first = this.#first;
      const text = b.toString('latin1', first, this.#past);
      const names: string[] = [];
      let at = first;
      for (let n = this.#count; n > 0; n--) {
        const t = b[at]!;
        const start = t === 0xd9 ? at + 2 : at + 1;
        const end = start + (t === 0xd9 ? b[at + 1]! : t & 0x1f);
        const name = text.substring(start - first, end - first);
        names.push(PLAIN_NAME.test(name) ? name : asciiLower(b.toString('utf8', start, end)));
        at = end + 34;
      }
      this.#names = names.length === this.#size ? names : [...new Set(names)];
    }
    return this.#names.values();
  }
}

/** The HashView of `count` name → bin(32) pairs from `first`, and the offset past them; undefined when an entry is of another shape. */
function hashView(b: Buffer, first: number, count: number): [HashView, number] | undefined {
  let at = first;
  let capacity = 16;
  while (capacity < count * 2) capacity *= 2;
  const slots = new Int32Array(capacity);
  const ends = new Int32Array(capacity);
  const mask = capacity - 1;
  let size = 0;
  for (let n = count; n > 0; n--) {
    const t = b[at]!;
    let start = at + 1;
    let len = t & 0x1f;
    if (t === 0xd9) {
      start = at + 2;
      len = b[at + 1]!;
    } else if (t < 0xa0 || t > 0xbf) return undefined;
    const end = start + len;
    // a hash is bin8 of 32 bytes
    if (b[end] !== 0xc4 || b[end + 1] !== 32 || end + 34 > b.length) return undefined;
    at = end + 34;
    // a later entry of the same (folded) name replaces the earlier one, as in a Map
    for (let i = bytesHash(b, start, end) & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === 0) {
        slots[i] = start + 1;
        ends[i] = end;
        size++;
        break;
      }
      if (ends[i]! - (s - 1) === len && sameFolded(b, s - 1, start, len)) {
        slots[i] = start + 1;
        ends[i] = end;
        break;
      }
    }
  }
  return [new HashView(b, first, count, at, slots, ends, size), at];
}

/** Whether two runs of `len` bytes are equal with A–Z folded. */
function sameFolded(b: Buffer, x: number, y: number, len: number): boolean {
  for (let k = 0; k < len; k++) {
    let c = b[x + k]!;
    let d = b[y + k]!;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (d >= 0x41 && d <= 0x5a) d += 0x20;
    if (c !== d) return false;
  }
  return true;
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
      const view = hashView(b, head[1], head[0]);
      if (view === undefined) return undefined;
      [shards, at] = view;
    }
    return shards && { info, shards };
  } catch {
    return undefined;
  }
}
