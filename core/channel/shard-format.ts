// The two file kinds of sharded repodata (CEP 16), decoded: the shard index of a subdir
// (`repodata_shards.msgpack.zst`: `info` with `base_url` / `shards_base_url`, and `shards`, a map
// from package name to the raw 32-byte sha256 of that name's shard) and one shard
// (`<sha256 hex>.msgpack.zst`: that name's `packages`, `packages.conda` and `removed`, with the
// records' `sha256` / `md5` as raw bytes, turned back into hex here so records look exactly as
// repodata.json gives them). Both are msgpack inside zstd, read by fast readers made for them
// (shard-index-reader.ts, shard-msgpack.ts) with @msgpack/msgpack for any other shape. Also the
// reverse (encodeShard, encodeShardIndex) for test servers and benchmarks that serve a channel in
// sharded form.

import { Decoder, encode } from '@msgpack/msgpack';
import { createHash } from 'node:crypto';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { ChannelError } from './errors.ts';
import { readShardIndex } from './shard-index-reader.ts';
import { readMsgpack, readShardSections, UnreadShard } from './shard-msgpack.ts';
import { decompressZstd } from './zstd.ts';

export const SHARD_INDEX_FILE = 'repodata_shards.msgpack.zst';

/** Shard sha256 (the 32 raw bytes; hex them with hexOf) by lower-case package name (a Map, or a view of the index's bytes). */
export interface ShardHashes {
  readonly size: number;
  has(name: string): boolean;
  get(name: string): Uint8Array | undefined;
  keys(): IterableIterator<string>;
}

export interface ShardIndex {
  /** The index's `info` (`base_url`, `shards_base_url`, `subdir`, `created_at`, …). */
  info: Record<string, unknown>;
  shards: ShardHashes;
}

/** One package name's repodata, as a shard holds it (records normalised to repodata.json's form). */
export interface Shard {
  packages: [fn: string, raw: Record<string, unknown>][];
  packagesConda: [fn: string, raw: Record<string, unknown>][];
  removed: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Lower-case hex of `bytes`. */
export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function sha256HexOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One decoder for every file (it keeps its caches of decoded keys). */
const decoder = new Decoder();

/**
 * Below this size a file is decompressed on the main thread: a trip through the thread pool (busy
 * with cache writes) costs more. Shard indexes are always below it (conda-forge's linux-64 one is
 * 0.7 MB and decompresses in 2 ms; through the pool it was measured waiting 100 ms and more).
 */
const SYNC_ZSTD_BYTES = 16 << 20;

async function unzstd(bytes: Uint8Array, what: string, url: string): Promise<Buffer> {
  try {
    return bytes.length < SYNC_ZSTD_BYTES ? zstdDecompressSync(bytes) : await decompressZstd(bytes);
  } catch (error) {
    throw new ChannelError('malformed', `${what} ${url} is not valid zstd data (${(error as Error).message})`, { url, cause: error });
  }
}

async function unpack(bytes: Uint8Array, what: string, url: string): Promise<unknown> {
  let plain: Buffer;
  try {
    plain = bytes.length < SYNC_ZSTD_BYTES ? zstdDecompressSync(bytes) : await decompressZstd(bytes);
  } catch (error) {
    throw new ChannelError('malformed', `${what} ${url} is not valid zstd data (${(error as Error).message})`, { url, cause: error });
  }
  try {
    return readMsgpack(plain);
  } catch (error) {
    if (!(error instanceof UnreadShard)) throw error;
  }
  try {
    return decoder.decode(plain);
  } catch (error) {
    throw new ChannelError('malformed', `${what} ${url} is not valid msgpack (${(error as Error).message})`, { url, cause: error });
  }
}

/** Decodes a shard index; throws ChannelError('malformed') naming `url` when it is not one. */
export async function decodeShardIndex(bytes: Uint8Array, url: string): Promise<ShardIndex> {
  const plain = await unzstd(bytes, 'the shard index', url);
  const fast = readShardIndex(plain, decoder);
  if (fast !== undefined) return { info: isObject(fast.info) ? fast.info : {}, shards: fast.shards };
  const doc = await unpack(bytes, 'the shard index', url);
  const bad = (why: string) => new ChannelError('malformed', `the shard index ${url} ${why}; the channel's sharded repodata is broken (remove it from the channels, or ask its maintainers)`, { url });
  if (!isObject(doc)) throw bad('is not a map');
  if (!isObject(doc.shards)) throw bad('has no `shards` map');
  const shards = new Map<string, Uint8Array>();
  for (const [name, hash] of Object.entries(doc.shards)) {
    if (!(hash instanceof Uint8Array) || hash.length !== 32) throw bad(`gives package ${name} a shard hash that is not 32 bytes of sha256`);
    shards.set(name.toLowerCase(), hash);
  }
  return { info: isObject(doc.info) ? doc.info : {}, shards };
}

/** A record with `sha256` / `md5` given as bytes has them in hex, as repodata.json has. */
function normalised(raw: Record<string, unknown>): Record<string, unknown> {
  for (const key of ['sha256', 'md5']) {
    const v = raw[key];
    if (v instanceof Buffer) raw[key] = v.toString('hex');
    else if (v instanceof Uint8Array) raw[key] = hexOf(v);
  }
  return raw;
}

function section(doc: Record<string, unknown>, key: string, bad: (why: string) => Error): [string, Record<string, unknown>][] {
  const s = doc[key];
  if (s === undefined || s === null) return [];
  if (!isObject(s)) throw bad(`has a \`${key}\` that is not a map`);
  const out: [string, Record<string, unknown>][] = [];
  for (const [fn, raw] of Object.entries(s)) {
    if (!isObject(raw)) throw bad(`has an entry ${fn} that is not a map`);
    out.push([fn, normalised(raw)]);
  }
  return out;
}

/** The records of a section as read by readShardSections, normalised. */
function normalisedAll(entries: [string, Record<string, unknown>][]): [string, Record<string, unknown>][] {
  for (const entry of entries) normalised(entry[1]);
  return entries;
}

/** Decodes one shard (already checked against its hash); `name` is the package it is for. */
export async function decodeShard(bytes: Uint8Array, name: string, url: string): Promise<Shard> {
  const plain = await unzstd(bytes, `the shard of ${name}`, url);
  try {
    const read = readShardSections(plain);
    const removed = Array.isArray(read.removed) ? read.removed.filter((r): r is string => typeof r === 'string') : [];
    return { packages: normalisedAll(read.packages), packagesConda: normalisedAll(read.packagesConda), removed };
  } catch (error) {
    if (!(error instanceof UnreadShard)) throw error;
  }
  const doc = await unpack(bytes, `the shard of ${name}`, url);
  const bad = (why: string) => new ChannelError('malformed', `the shard of ${name} (${url}) ${why}`, { url });
  if (!isObject(doc)) throw bad('is not a map');
  const removed = Array.isArray(doc.removed) ? doc.removed.filter((r): r is string => typeof r === 'string') : [];
  return { packages: section(doc, 'packages', bad), packagesConda: section(doc, 'packages.conda', bad), removed };
}

/** Hex sha256 fields of a record as bytes, as CEP 16 stores them. */
function packed(raw: Record<string, unknown>): Record<string, unknown> {
  const out = { ...raw };
  for (const key of ['sha256', 'md5']) {
    const v = out[key];
    if (typeof v === 'string' && /^[0-9a-f]+$/i.test(v) && v.length % 2 === 0) out[key] = Buffer.from(v, 'hex');
  }
  return out;
}

/** The zstd-compressed msgpack shard of these entries (for servers: the file is `<sha256 of these bytes>.msgpack.zst`). */
export function encodeShard(packages: Record<string, Record<string, unknown>>, packagesConda: Record<string, Record<string, unknown>>, removed: string[] = []): Buffer {
  const map = (m: Record<string, Record<string, unknown>>) => Object.fromEntries(Object.entries(m).map(([fn, raw]) => [fn, packed(raw)]));
  return zstdCompressSync(encode({ packages: map(packages), 'packages.conda': map(packagesConda), removed }));
}

/** The zstd-compressed msgpack shard index: `shards` maps names to hex sha256 (stored as bytes). */
export function encodeShardIndex(info: Record<string, unknown>, shards: Record<string, string>): Buffer {
  const bin = Object.fromEntries(Object.entries(shards).map(([name, hex]) => [name, Buffer.from(hex, 'hex')]));
  return zstdCompressSync(encode({ version: 1, info, shards: bin }));
}
