// A small msgpack reader for shards (CEP 16): maps, arrays, strings, binaries, numbers, booleans
// and nil, which is all a shard holds. A walk decodes every shard it fetches on the critical path,
// in a process that has only just started, and this reader does that in about half the CPU time
// @msgpack/msgpack's generic Decoder takes there (measured on the 56 shards of a python / numpy /
// scipy / pandas solve: 48 ms against 100 ms), mostly because strings are cut out of the buffer
// natively instead of character by character. Anything else (extension types, a key that is not a
// string or number, trailing bytes) throws UnreadShard, and the caller decodes that document with
// the generic decoder, which also reports what is wrong with it. readShardSections reads a whole
// shard into the [file name, record] pairs the rest of the code uses.

/** A document this reader does not handle (not necessarily a bad one). */
export class UnreadShard extends Error {}

interface Reader {
  b: Buffer;
  at: number;
}

type Slice = (this: Buffer, start: number, end: number) => string;
/** Buffer's native UTF-8 slicer (what toString('utf8', start, end) calls, without its argument checks). */
const utf8Slice: Slice = (Buffer.prototype as unknown as { utf8Slice?: Slice }).utf8Slice ?? function (this: Buffer, start: number, end: number) {
  return this.toString('utf8', start, end);
};

/** The value a msgpack document holds; throws UnreadShard for what this reader leaves to the generic decoder. */
export function readMsgpack(b: Buffer): unknown {
  const r: Reader = { b, at: 0 };
  const v = value(r);
  if (r.at !== b.length) throw new UnreadShard('bytes after the document');
  return v;
}

/** A shard's sections as read (records still as stored: hashes are bytes). */
export interface ShardSections {
  packages: [fn: string, raw: Record<string, unknown>][];
  packagesConda: [fn: string, raw: Record<string, unknown>][];
  removed: unknown;
}

/**
 * A shard document, its `packages` and `packages.conda` maps read straight into [file name,
 * record] pairs: no object keyed by file name is built (each such key would be interned, a
 * thousand of them for a large shard) only to be taken apart again. Throws UnreadShard for a
 * document of another shape (a section that is not a map, a record that is not one, a file name
 * given twice), which the generic decoder then reads or reports.
 */
export function readShardSections(b: Buffer): ShardSections {
  const r: Reader = { b, at: 0 };
  const out: ShardSections = { packages: [], packagesConda: [], removed: undefined };
  for (let n = mapHeader(r); n > 0; n--) {
    const key = value(r);
    if (key === 'packages') out.packages = entries(r);
    else if (key === 'packages.conda') out.packagesConda = entries(r);
    else if (key === 'removed') out.removed = value(r);
    else value(r);
  }
  if (r.at !== b.length) throw new UnreadShard('bytes after the document');
  return out;
}

/** The entry count of the map header at the reader (advancing past it); UnreadShard when it is not a map. */
function mapHeader(r: Reader): number {
  const b = r.b;
  const t = b[r.at];
  if (t === undefined) throw new UnreadShard('truncated');
  if (t >= 0x80 && t <= 0x8f) {
    r.at += 1;
    return t & 0x0f;
  }
  if (t === 0xde && r.at + 3 <= b.length) {
    r.at += 3;
    return b.readUInt16BE(r.at - 2);
  }
  if (t === 0xdf && r.at + 5 <= b.length) {
    r.at += 5;
    return b.readUInt32BE(r.at - 4);
  }
  throw new UnreadShard('not a map');
}

/** A map of file name → record as pairs (nil: none). */
function entries(r: Reader): [string, Record<string, unknown>][] {
  if (r.b[r.at] === 0xc0) {
    r.at++;
    return [];
  }
  const n = mapHeader(r);
  const out = new Array<[string, Record<string, unknown>]>(n);
  for (let k = 0; k < n; k++) {
    const fn = value(r);
    const t = r.b[r.at];
    if (typeof fn !== 'string' || t === undefined || !((t >= 0x80 && t <= 0x8f) || t === 0xde || t === 0xdf)) throw new UnreadShard('an entry that is not a record');
    out[k] = [fn, value(r) as Record<string, unknown>];
  }
  if (n > 1 && new Set(out.map(([fn]) => fn)).size !== n) throw new UnreadShard('a file name given twice');
  return out;
}

function end(r: Reader, len: number): number {
  const start = r.at;
  const stop = start + len;
  if (stop > r.b.length) throw new UnreadShard('truncated');
  r.at = stop;
  return start;
}

function str(r: Reader, len: number): string {
  const start = end(r, len);
  return utf8Slice.call(r.b, start, start + len);
}

function bin(r: Reader, len: number): Uint8Array {
  const start = end(r, len);
  return r.b.subarray(start, start + len);
}

function arr(r: Reader, n: number): unknown[] {
  const out = new Array<unknown>(n);
  for (let k = 0; k < n; k++) out[k] = value(r);
  return out;
}

function map(r: Reader, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let k = 0; k < n; k++) {
    const key = value(r);
    if (typeof key !== 'string' && typeof key !== 'number') throw new UnreadShard('a map key that is not a string');
    const v = value(r);
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

function value(r: Reader): unknown {
  const b = r.b;
  const t = b[r.at++];
  if (t === undefined) throw new UnreadShard('truncated');
  if (t <= 0x7f) return t;
  if (t >= 0xe0) return t - 0x100;
  if (t >= 0xa0 && t <= 0xbf) return str(r, t & 0x1f);
  if (t >= 0x80 && t <= 0x8f) return map(r, t & 0x0f);
  if (t >= 0x90 && t <= 0x9f) return arr(r, t & 0x0f);
  const at = r.at;
  try {
    switch (t) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: r.at += 1; return bin(r, b.readUInt8(at));
      case 0xc5: r.at += 2; return bin(r, b.readUInt16BE(at));
      case 0xc6: r.at += 4; return bin(r, b.readUInt32BE(at));
      case 0xca: r.at += 4; return b.readFloatBE(at);
      case 0xcb: r.at += 8; return b.readDoubleBE(at);
      case 0xcc: r.at += 1; return b.readUInt8(at);
      case 0xcd: r.at += 2; return b.readUInt16BE(at);
      case 0xce: r.at += 4; return b.readUInt32BE(at);
      case 0xcf: r.at += 8; return Number(b.readBigUInt64BE(at));
      case 0xd0: r.at += 1; return b.readInt8(at);
      case 0xd1: r.at += 2; return b.readInt16BE(at);
      case 0xd2: r.at += 4; return b.readInt32BE(at);
      case 0xd3: r.at += 8; return Number(b.readBigInt64BE(at));
      case 0xd9: r.at += 1; return str(r, b.readUInt8(at));
      case 0xda: r.at += 2; return str(r, b.readUInt16BE(at));
      case 0xdb: r.at += 4; return str(r, b.readUInt32BE(at));
      case 0xdc: r.at += 2; return arr(r, b.readUInt16BE(at));
      case 0xdd: r.at += 4; return arr(r, b.readUInt32BE(at));
      case 0xde: r.at += 2; return map(r, b.readUInt16BE(at));
      case 0xdf: r.at += 4; return map(r, b.readUInt32BE(at));
    }
  } catch (error) {
    // Buffer's readers throw RangeError past the end (and so does a stack too deep or an array too long)
    if (error instanceof RangeError) throw new UnreadShard('truncated');
    throw error;
  }
  throw new UnreadShard(`msgpack type 0x${t.toString(16)}`);
}
