// A lean, synchronous tar stream reader: feed it chunks, it calls back once per entry with the
// entry's header and hands the entry's body to the consumer the callback returns, chunk by chunk.
// Header decoding — ustar fields, base-256 numbers, checksums, the ustar prefix, pax (`x`, `g`) and
// GNU long-name (`L`, `K`) extensions applied to the entry that follows — is `tar` (npm)'s own
// `Header` and `Pax`, except for the common case of a plain ustar header of a file, folder or link
// with octal numbers and no pending extension, which is decoded here directly (the same fields,
// checked against tar's Header in test/install/tar-reader.test.ts). Both replace tar's `Parser`,
// which costs a stream object and several events per entry: on a package of 8000 small files it
// took more CPU time than writing the files, and tar's Header alone ~10 µs per entry (see
// bench/install-fetch.ts).
//
// It stops at the end-of-archive marker (two zero blocks), so nothing after it is ever read. A
// stream that ends inside an entry is a TarFormatError 'truncated'; a bad header is 'corrupt'.

import { Header, Pax, type HeaderData } from 'tar';

export interface TarEntryHeader {
  /** As written in the archive (after pax / GNU long-name extensions). */
  path: string;
  /** tar's name for the type: File, OldFile, ContiguousFile, Directory, SymbolicLink, Link, CharacterDevice, BlockDevice, FIFO, … */
  type: string;
  mode: number | undefined;
  size: number;
  linkpath: string | undefined;
  /** Modification time in whole seconds since the epoch, when the header has one. */
  mtime: number | undefined;
}

/** Takes an entry's body: chunks, then `null` at its end. */
export type BodyConsumer = (chunk: Buffer | null) => void;

export class TarFormatError extends Error {
  readonly kind: 'truncated' | 'corrupt';
  /** The entry involved, when there is one. */
  readonly entry: string | undefined;
  constructor(kind: 'truncated' | 'corrupt', message: string, entry?: string) {
    super(message);
    this.name = 'TarFormatError';
    this.kind = kind;
    this.entry = entry;
  }
}

const PLAIN_TYPES: Record<number, string> = { 0: 'File', 0x30: 'File', 0x31: 'Link', 0x32: 'SymbolicLink', 0x33: 'CharacterDevice', 0x34: 'BlockDevice', 0x35: 'Directory', 0x36: 'FIFO', 0x37: 'ContiguousFile' };

/** An octal field (spaces and NULs around the digits allowed); undefined for anything else (base-256, garbage). */
function octal(buf: Buffer, off: number, length: number): number | undefined {
  let i = off;
  const end = off + length;
  while (i < end && buf[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x30 && c <= 0x37) {
      value = value * 8 + (c - 0x30);
      digits++;
    } else if (c === 0 || c === 0x20) break;
    else return undefined;
  }
  return digits > 0 ? value : undefined;
}

/** A NUL-terminated string field. */
function field(buf: Buffer, off: number, length: number): string {
  const nul = buf.indexOf(0, off);
  const end = nul === -1 || nul > off + length ? off + length : nul;
  return buf.toString('utf8', off, end);
}

/**
 * A plain ustar/GNU header (a file, folder, link, device or FIFO with octal numbers), decoded as
 * tar's Header would; 'null' for a zero block; undefined when tar's Header must decode it
 * (extension headers, base-256 numbers, a bad checksum, other types).
 */
function plainHeader(buf: Buffer, off: number): TarEntryHeader | 'null' | undefined {
  let sum = 0;
  let zero = true;
  for (let i = off; i < off + 512; i++) {
    const b = buf[i]!;
    if (b !== 0) zero = false;
    sum += i >= off + 148 && i < off + 156 ? 0x20 : b;
  }
  if (zero) return 'null';
  if (octal(buf, off + 148, 8) !== sum) return undefined;
  let type = PLAIN_TYPES[buf[off + 156]!];
  if (type === undefined) return undefined;
  const size = octal(buf, off + 124, 12);
  const mode = octal(buf, off + 100, 8);
  if (size === undefined || mode === undefined) return undefined;
  let path = field(buf, off, 100);
  if (buf.toString('latin1', off + 257, off + 265) === 'ustar\u000000') {
    const prefix = buf[off + 475] !== 0 ? field(buf, off + 345, 155) : field(buf, off + 345, 130);
    if (prefix) path = `${prefix}/${path}`;
  }
  if (type === 'File' && path.endsWith('/')) type = 'Directory';
  const linkpath = field(buf, off + 157, 100);
  const mtime = octal(buf, off + 136, 12);
  return { path, type, mode, size: type === 'Directory' ? 0 : size, linkpath: linkpath || undefined, mtime };
}

const META_TYPES = new Set(['ExtendedHeader', 'OldExtendedHeader', 'GlobalExtendedHeader', 'NextFileHasLongPath', 'OldGnuLongPath', 'NextFileHasLongLinkpath']);

type State = 'header' | 'body' | 'meta' | 'pad';

export class TarReader {
  readonly #onEntry: (header: TarEntryHeader) => BodyConsumer | undefined;
  readonly #maxMeta: number;
  #state: State = 'header';
  #carry: Buffer | undefined;
  #remaining = 0;
  #pad = 0;
  #consumer: BodyConsumer | undefined;
  #current: string | undefined;
  #metaType = '';
  #meta: Buffer[] = [];
  #ex: HeaderData | undefined;
  #gex: HeaderData | undefined;
  #sawNull = false;
  #eof = false;
  #entries = 0;

  /** `onEntry` gets each entry (not the extension headers) and returns where its body goes, or undefined to skip it. */
  readonly #fast: boolean;

  /**
   * `onEntry` gets each entry (not the extension headers) and returns where its body goes, or
   * undefined to skip it. `tarHeaderOnly` turns the direct decoding of plain headers off (for tests
   * comparing it with tar's Header).
   */
  constructor(onEntry: (header: TarEntryHeader) => BodyConsumer | undefined, options: { maxMetaSize?: number; tarHeaderOnly?: boolean } = {}) {
    this.#onEntry = onEntry;
    this.#maxMeta = options.maxMetaSize ?? 1 << 20;
    this.#fast = !options.tarHeaderOnly;
  }

  /** The end-of-archive marker was read; further input is ignored. */
  get eof(): boolean {
    return this.#eof;
  }

  /** Entries seen so far (extension headers not counted). */
  get entries(): number {
    return this.#entries;
  }

  write(chunk: Buffer): void {
    if (this.#eof) return;
    let buf = chunk;
    if (this.#carry) {
      buf = Buffer.concat([this.#carry, chunk]);
      this.#carry = undefined;
    }
    let pos = 0;
    const length = buf.length;
    while (pos < length && !this.#eof) {
      switch (this.#state) {
        case 'header':
          if (length - pos < 512) {
            this.#carry = Buffer.from(buf.subarray(pos));
            return;
          }
          this.#header(buf, pos);
          pos += 512;
          break;
        case 'body': {
          const n = Math.min(this.#remaining, length - pos);
          this.#consumer?.(buf.subarray(pos, pos + n));
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            const consumer = this.#consumer;
            this.#consumer = undefined;
            this.#state = this.#pad > 0 ? 'pad' : 'header';
            consumer?.(null);
          }
          break;
        }
        case 'meta': {
          const n = Math.min(this.#remaining, length - pos);
          this.#meta.push(Buffer.from(buf.subarray(pos, pos + n)));
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            this.#applyMeta();
            this.#state = this.#pad > 0 ? 'pad' : 'header';
          }
          break;
        }
        case 'pad': {
          const n = Math.min(this.#pad, length - pos);
          pos += n;
          this.#pad -= n;
          if (this.#pad === 0) this.#state = 'header';
          break;
        }
      }
    }
  }

  /** The input is complete: throws if it stopped inside an entry. */
  end(): void {
    if (this.#eof) return;
    if (this.#state === 'body' || this.#state === 'meta') {
      throw new TarFormatError('truncated', `is truncated: the archive ends ${this.#remaining} bytes before the end of ${this.#current ?? 'an entry'}`, this.#current);
    }
    if (this.#carry && this.#carry.some((b) => b !== 0)) {
      throw new TarFormatError('truncated', 'is truncated: the archive ends in the middle of a header');
    }
  }

  #header(buf: Buffer, pos: number): void {
    if (this.#fast && this.#ex === undefined && this.#gex === undefined) {
      const plain = plainHeader(buf, pos);
      if (plain === 'null') {
        if (this.#sawNull) this.#eof = true;
        this.#sawNull = true;
        return;
      }
      if (plain !== undefined) {
        this.#sawNull = false;
        this.#entry(plain);
        return;
      }
    }
    let h: Header;
    try {
      h = new Header(buf, pos, this.#ex, this.#gex);
    } catch (error) {
      throw new TarFormatError('corrupt', `has an unreadable tar header (${(error as Error).message})`);
    }
    if (h.nullBlock) {
      if (this.#sawNull) this.#eof = true;
      this.#sawNull = true;
      return;
    }
    this.#sawNull = false;
    if (!h.cksumValid) {
      throw new TarFormatError('corrupt', this.#entries === 0 ? 'is not a tar archive (or its first header is damaged)' : 'has a tar header with a bad checksum; the archive is damaged');
    }
    const type = h.type;
    const size = h.size ?? 0;
    this.#pad = (512 - (size % 512)) % 512;
    this.#remaining = size;
    if (META_TYPES.has(type)) {
      if (size > this.#maxMeta) throw new TarFormatError('corrupt', `has a header extension of ${size} bytes, more than the ${this.#maxMeta} allowed`);
      this.#metaType = type;
      this.#meta = [];
      this.#state = size > 0 ? 'meta' : 'header';
      if (size === 0) this.#applyMeta();
      return;
    }
    // Header lets the ustar fields it decodes last (linkpath, the prefix) override a pax record;
    // the pax values win, as in tar's own ReadEntry.
    const ex = this.#ex;
    this.#ex = undefined;
    const linkpath = ex?.linkpath ?? h.linkpath;
    const mtime = h.mtime === undefined || Number.isNaN(h.mtime.getTime()) ? undefined : Math.floor(h.mtime.getTime() / 1000);
    this.#entry({ path: ex?.path ?? h.path ?? '', type, mode: h.mode, size, linkpath: linkpath || undefined, mtime });
  }

  #entry(header: TarEntryHeader): void {
    const size = header.size;
    this.#pad = (512 - (size % 512)) % 512;
    this.#remaining = size;
    this.#entries++;
    this.#current = header.path;
    const consumer = this.#onEntry(header);
    if (size > 0) {
      this.#consumer = consumer;
      this.#state = 'body';
    } else {
      this.#state = 'header';
      consumer?.(null);
    }
  }

  #applyMeta(): void {
    const text = Buffer.concat(this.#meta).toString('utf8');
    this.#meta = [];
    switch (this.#metaType) {
      case 'GlobalExtendedHeader':
        this.#gex = Pax.parse(text, this.#gex, true);
        break;
      case 'ExtendedHeader':
      case 'OldExtendedHeader':
        this.#ex = Pax.parse(text, this.#ex, false);
        break;
      case 'NextFileHasLongLinkpath':
        this.#ex = { ...this.#ex, linkpath: text.replace(/\0.*/s, '') };
        break;
      default:
        this.#ex = { ...this.#ex, path: text.replace(/\0.*/s, '') };
    }
  }
}
