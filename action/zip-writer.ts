// A zip archive of a few files held in memory (the timing artifact: two JSON files): each file
// deflated (stored when that is no smaller), local headers, the central directory and its end
// record — the plain PKZIP format every unzip reads, no zip64 (files and archive under 4 GiB,
// fewer than 65,535 entries, which `zipFiles` checks). Names are UTF-8 (flag bit 11).

import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipFile {
  /** The name in the archive, `/`-separated, relative. */
  name: string;
  data: Buffer;
  /** Modification time (default: now). */
  mtime?: Date;
}

const UTF8 = 0x0800;

/** DOS date and time (local time, 2-second resolution, 1980 at the earliest). */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export function zipFiles(files: readonly ZipFile[]): Buffer {
  if (files.length >= 0xffff) throw new RangeError('too many files for a zip without zip64');
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const deflated = deflateRawSync(file.data);
    const stored = deflated.length >= file.data.length;
    const body = stored ? file.data : deflated;
    if (file.data.length >= 0xffffffff || offset + body.length >= 0xffffffff) throw new RangeError(`${file.name}: too large for a zip without zip64`);
    const crc = crc32(file.data);
    const { time, date } = dosTime(file.mtime ?? new Date());
    const method = stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(UTF8, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt16LE(time, 12);
    entry.writeUInt16LE(date, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(file.data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    // extra, comment, disk number, internal attributes: 0
    entry.writeUInt32LE(((0o100644 << 16) >>> 0) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    entry.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(entry, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
