// Reads the outer zip of a .conda file from its central directory (zip64 included: sizes and
// offsets in the zip64 extra field and end-of-directory records), and gives one entry's bytes
// with its CRC-32 and size checked at the end: a stored entry (every real .conda part) pumped from
// the file through reused buffers (pumpStoredEntry), any entry (also deflated, as some hand-made
// packages are) as a stream (openZipEntry). Only what a .conda needs: no encryption, no multi-disk archives. Every
// offset is checked against the file's size, so a damaged or hostile zip is a clear error and
// never a read outside the file.

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** A problem with the zip structure; the caller adds the package name. */
export class ZipFormatError extends Error {
  readonly truncated: boolean;
  constructor(message: string, truncated = false) {
    super(message);
    this.name = 'ZipFormatError';
    this.truncated = truncated;
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 4096;
const U32 = 0xffffffff;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new ZipFormatError(`the file ends at ${position + done} bytes, before the zip data it refers to`, true);
    done += bytesRead;
  }
  return buf;
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('a zip64 size or offset is too large');
  return Number(v);
}

/** The entries of the zip in `fh` (of `size` bytes), in central-directory order. */
export async function readZipDirectory(fh: FileHandle, size: number): Promise<ZipEntry[]> {
  if (size < 22) throw new ZipFormatError(`the file is ${size} bytes long, too short for a zip archive`, true);
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no zip end-of-directory record was found (the file is truncated or not a zip archive)', true);
  const eocdOffset = size - tailLength + eocd;
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) throw new ZipFormatError('multi-disk zip archives are not supported');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let cdEnd = eocdOffset;
  if (count === 0xffff || cdSize === U32 || cdOffset === U32) {
    const locatorAt = eocdOffset - 20;
    if (locatorAt < 0) throw new ZipFormatError('the zip64 end-of-directory locator is missing');
    const locator = await readAt(fh, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError('the zip64 end-of-directory locator is missing');
    const recordAt = u64(locator, 8);
    if (recordAt + 56 > locatorAt) throw new ZipFormatError('the zip64 end-of-directory record lies outside the file');
    const record = await readAt(fh, recordAt, 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError('the zip64 end-of-directory record is damaged');
    count = u64(record, 32);
    cdSize = u64(record, 40);
    cdOffset = u64(record, 48);
    cdEnd = recordAt;
  }
  if (count > MAX_ENTRIES) throw new ZipFormatError(`the zip claims ${count} entries; a .conda has three`);
  if (cdOffset + cdSize > cdEnd) throw new ZipFormatError('the zip central directory lies outside the file', true);
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) throw new ZipFormatError(`zip central directory entry ${i + 1} is damaged`);
    const flags = cd.readUInt16LE(at + 8);
    const method = cd.readUInt16LE(at + 10);
    const crc = cd.readUInt32LE(at + 16);
    let compressedSize = cd.readUInt32LE(at + 20);
    let uncompressedSize = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    let localHeaderOffset = cd.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new ZipFormatError(`zip central directory entry ${i + 1} is damaged`);
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    // zip64 extended information: the fields whose 32-bit value is 0xffffffff, in this order
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let p = x + 4;
        const need = (): number => {
          if (p + 8 > x + 4 + len) throw new ZipFormatError(`the zip64 field of ${name} is too short`);
          const v = u64(cd, p);
          p += 8;
          return v;
        };
        if (uncompressedSize === U32) uncompressedSize = need();
        if (compressedSize === U32) compressedSize = need();
        if (localHeaderOffset === U32) localHeaderOffset = need();
      }
      x += 4 + len;
    }
    if (localHeaderOffset + 30 + compressedSize > cdOffset) throw new ZipFormatError(`the data of ${name} lies outside the file`, true);
    entries.push({ name, method, flags, crc32: crc, compressedSize, uncompressedSize, localHeaderOffset });
    at = end;
  }
  return entries;
}

/** Checks an entry's bytes as they pass: CRC-32 and size against the central directory, and no more bytes than declared. */
class EntryCheck extends Transform {
  readonly #entry: ZipEntry;
  readonly #checkCrc: boolean;
  #crc = 0;
  #size = 0;
  constructor(entry: ZipEntry, checkCrc: boolean) {
    super();
    this.#entry = entry;
    this.#checkCrc = checkCrc;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.#entry.uncompressedSize) {
      callback(new ZipFormatError(`${this.#entry.name} unpacks to more than the ${this.#entry.uncompressedSize} bytes its zip entry declares`));
      return;
    }
    if (this.#checkCrc) this.#crc = crc32(chunk, this.#crc);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    if (this.#size !== this.#entry.uncompressedSize) {
      callback(new ZipFormatError(`${this.#entry.name} ends after ${this.#size} of its ${this.#entry.uncompressedSize} bytes`, true));
      return;
    }
    if (this.#checkCrc && this.#crc >>> 0 !== this.#entry.crc32 >>> 0) {
      callback(new ZipFormatError(`${this.#entry.name} fails its CRC-32 check (the file is damaged)`));
      return;
    }
    callback();
  }
}

/** Where the bytes of `entry` start in the file: after its local header, whose name and extra field may differ in length from the central directory's. */
async function entryDataStart(fh: FileHandle, entry: ZipEntry): Promise<number> {
  const local = await readAt(fh, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`the local header of ${entry.name} is damaged`);
  return entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
}

/** Bytes per read of pumpStoredEntry. */
const PUMP_CHUNK = 1 << 20;

/**
 * Hands the bytes of the stored (not deflated) `entry` to `deliver`, chunk by chunk, read through
 * two buffers used again and again: one is filled while the other is delivered, and a buffer is
 * filled again only once `deliver` has resolved (a zstd decompressor's write callback: it has read
 * the whole chunk). No buffer per chunk, as a file stream makes, so a cold install allocates
 * half a gigabyte less (bench/RESULTS.md, session 21). `deliver` resolving false means the reader
 * wants no more (tar's end-of-archive came): the rest is still read for the CRC-32 when `crc` is on,
 * and not read at all otherwise. The CRC-32 (unless `crc` is false: the caller has checked the whole
 * file against a stronger hash) and the entry's sizes are checked as openZipEntry checks them.
 */
export async function pumpStoredEntry(fh: FileHandle, entry: ZipEntry, deliver: (chunk: Buffer) => Promise<boolean>, options: { crc?: boolean } = {}): Promise<void> {
  if (entry.flags & 0x1) throw new ZipFormatError(`${entry.name} is encrypted`);
  if (entry.method !== 0) throw new ZipFormatError(`${entry.name} is not a stored entry (method ${entry.method})`);
  if (entry.compressedSize !== entry.uncompressedSize) {
    throw new ZipFormatError(`${entry.name} is stored, but its zip entry declares ${entry.compressedSize} bytes for ${entry.uncompressedSize} bytes of content`);
  }
  const checkCrc = options.crc ?? true;
  const start = await entryDataStart(fh, entry);
  const total = entry.compressedSize;
  const buffers = [Buffer.allocUnsafe(Math.min(PUMP_CHUNK, total)), Buffer.allocUnsafe(Math.min(PUMP_CHUNK, total))];
  const fill = async (buf: Buffer, at: number): Promise<Buffer> => {
    const want = Math.min(buf.length, total - at);
    let done = 0;
    while (done < want) {
      const { bytesRead } = await fh.read(buf, done, want - done, start + at + done);
      if (bytesRead === 0) throw new ZipFormatError(`${entry.name} ends after ${at + done} of its ${total} bytes`, true);
      done += bytesRead;
    }
    return buf.subarray(0, want);
  };
  let crc = 0;
  let at = 0;
  let turn = 0;
  let wanted = true;
  let next: Promise<Buffer> | undefined = total > 0 ? fill(buffers[0]!, 0) : undefined;
  while (next !== undefined) {
    const chunk = await next;
    at += chunk.length;
    turn ^= 1;
    // the other buffer was delivered (and taken in) before this one was filled
    next = at < total && (wanted || checkCrc) ? fill(buffers[turn]!, at) : undefined;
    // a failed read is seen when it is awaited; until then it must not count as unhandled
    next?.catch(() => undefined);
    if (checkCrc) crc = crc32(chunk, crc);
    if (wanted) wanted = await deliver(chunk);
  }
  if (checkCrc && crc >>> 0 !== entry.crc32 >>> 0) throw new ZipFormatError(`${entry.name} fails its CRC-32 check (the file is damaged)`);
}

/**
 * The uncompressed bytes of `entry` of the zip at `path`, streamed from the file (`fh`, open on the
 * same file, reads the local header); sizes are always checked, the CRC-32 unless `crc` is false
 * (the caller has checked the whole file against a stronger hash).
 */
export async function openZipEntry(fh: FileHandle, path: string, entry: ZipEntry, options: { crc?: boolean } = {}): Promise<Readable> {
  if (entry.flags & 0x1) throw new ZipFormatError(`${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`${entry.name} uses zip compression method ${entry.method}; only stored and deflated entries are supported`);
  const dataStart = await entryDataStart(fh, entry);
  const raw: Readable =
    entry.compressedSize === 0
      ? Readable.from([])
      : createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1, highWaterMark: 1 << 20 });
  const check = new EntryCheck(entry, options.crc ?? true);
  const fail = (error: Error): void => {
    check.destroy(error instanceof ZipFormatError ? error : new ZipFormatError(`${entry.name} cannot be read: ${error.message}`));
  };
  if (entry.method === 8) {
    const inflate = createInflateRaw();
    raw.on('error', fail);
    inflate.on('error', fail);
    raw.pipe(inflate).pipe(check);
  } else {
    raw.on('error', fail);
    raw.pipe(check);
  }
  check.on('close', () => {
    if (!raw.destroyed) raw.destroy();
  });
  return check;
}
