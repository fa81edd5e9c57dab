// The tar headers of an environment tarball: POSIX ustar, written byte by byte (a 512-byte block per
// entry, no stream object per entry). A path that does not fit ustar's name (100 bytes) and prefix
// (155 bytes) fields, a link target longer than 100 bytes, and a size beyond ustar's 8 GiB go in a
// pax extended header before the entry, as GNU tar and `tar` (npm) read them. Owners are 0 and
// unnamed, so the bytes depend on the files only.

export type TarWriteType = 'file' | 'dir' | 'symlink' | 'hardlink';

export interface TarWriteEntry {
  /** The member name, relative, `/`-separated, without a trailing slash. */
  path: string;
  type: TarWriteType;
  /** Permission bits. */
  mode: number;
  /** Whole seconds since the epoch. */
  mtime: number;
  /** Bytes of content (files only). */
  size: number;
  /** Target of a symbolic link, or the earlier member a hard link repeats. */
  linkpath?: string;
}

const TYPE_FLAG: Record<TarWriteType, number> = { file: 0x30, hardlink: 0x31, symlink: 0x32, dir: 0x35 };
const MAX_OCTAL_12 = 0o77777777777;

function writeOctal(buf: Buffer, off: number, width: number, value: number): void {
  buf.write(value.toString(8).padStart(width - 1, '0'), off, width - 1, 'latin1');
  buf[off + width - 1] = 0;
}

/** Zero bytes that pad `length` to a whole block. */
export function tarPadding(length: number): number {
  return (512 - (length % 512)) % 512;
}

/** ustar name and prefix for `path`, or undefined when it needs a pax record. */
function splitName(path: string): { name: string; prefix: string } | undefined {
  const length = Buffer.byteLength(path);
  if (length <= 100) return { name: path, prefix: '' };
  if (length > 256) return undefined;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { name, prefix };
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return `${length}${body}`;
}

function block(name: string, prefix: string, type: number, mode: number, size: number, mtime: number, linkpath: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  writeOctal(h, 100, 8, mode & 0o7777);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h[156] = type;
  if (linkpath !== '') h.write(linkpath, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 8, 'latin1');
  if (prefix !== '') h.write(prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i]!;
  h.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1');
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

/** The header block(s) of one entry: a pax header first when the entry needs one. Content and padding follow separately. */
export function tarHeader(entry: TarWriteEntry): Buffer {
  const memberPath = entry.type === 'dir' ? `${entry.path}/` : entry.path;
  const linkpath = entry.linkpath ?? '';
  const size = entry.type === 'file' ? entry.size : 0;
  const mtime = Math.max(0, Math.min(MAX_OCTAL_12, Math.floor(entry.mtime)));
  const pax: string[] = [];
  let split = splitName(memberPath);
  if (split === undefined) {
    pax.push(paxRecord('path', memberPath));
    split = { name: Buffer.from(memberPath).subarray(0, 100).toString('utf8').replace(/\uFFFD+$/, ''), prefix: '' };
  }
  if (Buffer.byteLength(linkpath) > 100) pax.push(paxRecord('linkpath', linkpath));
  if (size > MAX_OCTAL_12) pax.push(paxRecord('size', String(size)));
  const header = block(split.name, split.prefix, TYPE_FLAG[entry.type], entry.mode, size > MAX_OCTAL_12 ? 0 : size, mtime, Buffer.byteLength(linkpath) > 100 ? '' : linkpath);
  if (pax.length === 0) return header;
  const body = Buffer.from(pax.join(''));
  const paxHeader = block('././@PaxHeader', '', 0x78, 0o644, body.length, 0, '');
  return Buffer.concat([paxHeader, body, Buffer.alloc(tarPadding(body.length)), header]);
}

/** The end-of-archive marker: two zero blocks. */
export const TAR_END = Buffer.alloc(1024);
