// Builds conda package archives byte by byte for tests and benchmarks: tar streams (ustar headers,
// pax records for long names and huge sizes, any entry type, and deliberate damage such as a wrong
// header checksum or a size that does not match the data), zip files (stored or deflated, optionally
// zip64 throughout), and .conda packages made of them (zstd via node:zlib). Hostile packages —
// `../` names, escaping links, device files, zip bombs — are made with the same calls.
//
//   const tar = buildTar([{ name: 'lib/a.so', data: 'x', mode: 0o755 }, { name: 'lib/b.so', type: 'symlink', linkname: 'a.so' }]);
//   const conda = buildConda('pkg-1.0-0', { pkg: [{ name: '../evil', data: 'x' }] });

import { constants as zlibConstants, crc32, deflateRawSync, zstdCompressSync } from 'node:zlib';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev' | 'blockdev' | 'fifo';

export interface TarEntrySpec {
  name: string;
  /** Default 'file'; any other single character is written as the raw type flag. */
  type?: TarEntryType | string;
  data?: string | Uint8Array;
  mode?: number;
  linkname?: string;
  /** The size written in the header, when it should differ from the data's (bombs, damage). */
  declaredSize?: number;
  /** Write a wrong header checksum. */
  badChecksum?: boolean;
  /** Modification time, in seconds since 1970 (default 0). */
  mtime?: number;
}

const TYPE_FLAGS: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', chardev: '3', blockdev: '4', dir: '5', fifo: '6' };

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, type: string, size: number, mode: number, linkname: string, badChecksum: boolean, mtime = 0): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write(type, 156, 1, 'ascii');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  if (badChecksum) sum += 7;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

function pad(length: number): Buffer {
  return Buffer.alloc((512 - (length % 512)) % 512);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return `${length}${body}`;
}

/** A tar stream of `entries`, ended with the two zero blocks unless `end` is false. */
export function buildTar(entries: readonly TarEntrySpec[], options: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const flag = TYPE_FLAGS[type as TarEntryType] ?? type;
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    const size = e.declaredSize ?? data.length;
    const linkname = e.linkname ?? '';
    const pax: string[] = [];
    if (Buffer.byteLength(e.name) > 100) pax.push(paxRecord('path', e.name));
    if (Buffer.byteLength(linkname) > 100) pax.push(paxRecord('linkpath', linkname));
    if (size > 0o77777777777) pax.push(paxRecord('size', String(size)));
    if (pax.length > 0) {
      const body = Buffer.from(pax.join(''));
      parts.push(header('PaxHeader', 'x', body.length, 0o644, '', false), body, pad(body.length));
    }
    const headerSize = size > 0o77777777777 ? 0 : size;
    parts.push(header(e.name, flag, headerSize, e.mode ?? (type === 'dir' ? 0o755 : 0o644), linkname, e.badChecksum ?? false, e.mtime ?? 0));
    if (data.length > 0) parts.push(data, pad(data.length));
  }
  if (options.end ?? true) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  /** 0 stored (default), 8 deflated. */
  method?: 0 | 8;
  /** The uncompressed size written in the headers, when it should differ (damage, bombs). */
  declaredSize?: number;
  /** The CRC-32 written in the headers, when it should differ. */
  crc?: number;
}

/** A zip of `entries`; with `zip64`, every size and offset goes through the zip64 fields and records. */
export function buildZip(entries: readonly ZipEntrySpec[], options: { zip64?: boolean } = {}): Buffer {
  const zip64 = options.zip64 ?? false;
  const FF32 = 0xffffffff;
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.method ?? 0;
    const compressed = method === 8 ? deflateRawSync(e.data) : Buffer.from(e.data);
    const usize = e.declaredSize ?? e.data.length;
    const crc = e.crc ?? crc32(e.data);
    const localExtra = zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (zip64) {
      localExtra.writeUInt16LE(0x0001, 0);
      localExtra.writeUInt16LE(16, 2);
      localExtra.writeBigUInt64LE(BigInt(usize), 4);
      localExtra.writeBigUInt64LE(BigInt(compressed.length), 12);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(zip64 ? FF32 : compressed.length, 18);
    local.writeUInt32LE(zip64 ? FF32 : usize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    parts.push(local, name, localExtra, compressed);
    const cdExtra = zip64 ? Buffer.alloc(28) : Buffer.alloc(0);
    if (zip64) {
      cdExtra.writeUInt16LE(0x0001, 0);
      cdExtra.writeUInt16LE(24, 2);
      cdExtra.writeBigUInt64LE(BigInt(usize), 4);
      cdExtra.writeBigUInt64LE(BigInt(compressed.length), 12);
      cdExtra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(0x031e, 4);
    cd.writeUInt16LE(zip64 ? 45 : 20, 6);
    cd.writeUInt16LE(0x800, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(zip64 ? FF32 : compressed.length, 20);
    cd.writeUInt32LE(zip64 ? FF32 : usize, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(cdExtra.length, 30);
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    cd.writeUInt32LE(zip64 ? FF32 : offset, 42);
    central.push(cd, name, cdExtra);
    offset += local.length + name.length + localExtra.length + compressed.length;
  }
  const cdBuf = Buffer.concat(central);
  const cdOffset = offset;
  const tail: Buffer[] = [];
  if (zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(entries.length), 24);
    rec.writeBigUInt64LE(BigInt(entries.length), 32);
    rec.writeBigUInt64LE(BigInt(cdBuf.length), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(cdOffset + cdBuf.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(rec, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  eocd.writeUInt32LE(zip64 ? FF32 : cdBuf.length, 12);
  eocd.writeUInt32LE(zip64 ? FF32 : cdOffset, 16);
  return Buffer.concat([...parts, cdBuf, ...tail, eocd]);
}

/** info/index.json of a package named by its dist (`name-version-build`). */
export function indexJson(dist: string, extra: Record<string, unknown> = {}): string {
  const [build, version, ...name] = dist.split('-').reverse();
  return JSON.stringify({ name: name.reverse().join('-'), version, build, build_number: 0, depends: [], subdir: 'noarch', ...extra });
}

export interface CondaSpec {
  /** Entries of the info part; default: just info/index.json. */
  info?: TarEntrySpec[];
  /** Entries of the pkg part (omitted: no pkg part). */
  pkg?: TarEntrySpec[];
  /** The raw tar bytes of the pkg part, instead of `pkg`. */
  pkgTar?: Buffer;
  zip64?: boolean;
  /** Zstd level (default 3). */
  level?: number;
}

/** A .conda file for the package `dist` (see CondaSpec). */
export function buildConda(dist: string, spec: CondaSpec = {}): Buffer {
  const zstd = (b: Buffer): Buffer => zstdCompressSync(b, { params: { [zlibConstants.ZSTD_c_compressionLevel]: spec.level ?? 3 } });
  const info = buildTar(spec.info ?? [{ name: 'info/index.json', data: indexJson(dist) }]);
  const entries: ZipEntrySpec[] = [{ name: 'metadata.json', data: Buffer.from('{"conda_pkg_format_version": 2}') }];
  const pkgTar = spec.pkgTar ?? (spec.pkg ? buildTar(spec.pkg) : undefined);
  if (pkgTar) entries.push({ name: `pkg-${dist}.tar.zst`, data: zstd(pkgTar) });
  entries.push({ name: `info-${dist}.tar.zst`, data: zstd(info) });
  return buildZip(entries, { zip64: spec.zip64 });
}
