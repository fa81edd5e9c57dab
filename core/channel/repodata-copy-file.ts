// A cached repodata.json read in place: the decompressed copy the cache keeps beside a
// repodata.json.zst (`<key>.json`, see repodata-cache.ts), or the data file itself when the server
// sent plain JSON. A warm run opens it, checks it against the stored table by sampling it
// (contentFingerprint), and then reads only the byte ranges of the entries the solve reaches, with
// positional reads, instead of reading and decompressing the whole file.
//
// The descriptor is closed after a short idle time (and reopened on the next read), so a
// long-running process holding an index, such as the language server, keeps no descriptor open
// between solves, whether or not the index is ever dropped. A reopened file must be the one that
// was checked (same device, inode, size and modification time); otherwise reads fail, and the
// caller falls back to the file as received (repodata-packages.ts).

import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** How long an unused descriptor stays open. */
const IDLE_CLOSE_MS = 2000;

function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

export class RepodataCopyFile {
  readonly path: string;
  /** Size of the file when it was opened and checked. */
  readonly length: number;
  readonly #identity: string;
  readonly #onRead: ((bytes: number) => void) | undefined;
  #fd: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #bytesRead = 0;

  private constructor(path: string, fd: number, stats: Stats, onRead: ((bytes: number) => void) | undefined) {
    this.path = path;
    this.length = stats.size;
    this.#identity = identityOf(stats);
    this.#onRead = onRead;
    this.#fd = fd;
    this.#armTimer();
  }

  /**
   * Opens `path` when it is a regular file of `expectedLength` bytes; undefined when it is absent
   * or of another size (a truncated or stale copy). `onRead` hears of every byte read.
   */
  static open(path: string, expectedLength: number, onRead?: (bytes: number) => void): RepodataCopyFile | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      const stats = fstatSync(fd);
      if (stats.isFile() && stats.size === expectedLength) return new RepodataCopyFile(path, fd, stats, onRead);
    } catch {
      // unreadable: treated as absent
    }
    closeSync(fd);
    return undefined;
  }

  /** Bytes read from the file so far. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Whether a descriptor is open now (for tests: it closes itself when idle). */
  get isOpen(): boolean {
    return this.#fd !== undefined;
  }

  /** The bytes [start, end) of the file, read now. Throws when they cannot be read whole or the file was replaced. */
  subarray(start: number, end: number): Buffer {
    if (!(start >= 0 && end >= start && end <= this.length)) throw new Error(`bytes ${start}..${end} lie outside ${this.path} (${this.length} bytes)`);
    const fd = this.#descriptor();
    const length = end - start;
    const out = Buffer.allocUnsafe(length);
    for (let at = 0; at < length; ) {
      const n = readSync(fd, out, at, length - at, start + at);
      if (n === 0) throw new Error(`${this.path} ended at byte ${start + at}, before ${end}`);
      at += n;
    }
    this.#bytesRead += length;
    this.#onRead?.(length);
    return out;
  }

  /** Closes the descriptor now (a later read opens it again). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // already closed: nothing to release
    }
  }

  #descriptor(): number {
    if (this.#fd !== undefined) {
      this.#timer?.refresh();
      return this.#fd;
    }
    const fd = openSync(this.path, 'r');
    let same = false;
    try {
      same = identityOf(fstatSync(fd)) === this.#identity;
    } finally {
      if (!same) closeSync(fd);
    }
    if (!same) throw new Error(`${this.path} was replaced since it was checked`);
    this.#fd = fd;
    this.#armTimer();
    return fd;
  }

  #armTimer(): void {
    this.#timer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
    this.#timer.unref();
  }
}
