// zstd decompression of environment tarballs — from a file, or from chunks as they arrive (a
// download streamed into the restore): node:zlib, streamed in 1 MiB chunks, so it runs in
// the thread pool beside the thread writing the files. (The `zstd` program through a pipe was
// measured too: it decompresses faster, but reading its output in 64 KiB pipe chunks cost this
// thread more than it saved — a restore was about 1.3 times slower.) The frame's content checksum
// is checked at the end: damage is a ZstdStreamError.

import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { createZstdDecompress, type ZstdDecompress } from 'node:zlib';

/** The compressed data is damaged (or is not zstd). */
export class ZstdStreamError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZstdStreamError';
  }
}

/** Bytes read from the file at a time, into buffers used again and again. */
const READ_SIZE = 1 << 20;

/** Reading the compressed bytes failed (a file or a download): not damage, but no archive either. */
export class ZstdSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZstdSourceError';
  }
}

/**
 * The decompressed bytes of the zstd file `path`, in chunks; read it to the end, so that the
 * checksum is checked. The compressed bytes are read into two buffers taken in turns (a buffer is
 * read into again only once the decompressor has taken all of it): a new buffer per read would be
 * external memory for V8 to count, and every 64 MB or so of that starts a full collection.
 */
export async function* decompressFile(path: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  try {
    yield* decompressFrom(async (decompress, closed, stopped) => {
      const buffers = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
      const taken: (Promise<void> | undefined)[] = [undefined, undefined];
      for (let i = 0; !stopped(); i ^= 1) {
        signal?.throwIfAborted();
        // a destroyed decompressor may never call back for the buffer it was given
        await Promise.race([taken[i], closed]);
        const buffer = buffers[i]!;
        const { bytesRead } = await file.read(buffer, 0, READ_SIZE, null);
        if (bytesRead === 0 || stopped()) break;
        taken[i] = new Promise<void>((resolve) => decompress.write(buffer.subarray(0, bytesRead), () => resolve()));
      }
    });
  } finally {
    await file.close();
  }
}

/**
 * The decompressed bytes of zstd data arriving in chunks (a download, streamed): as decompressFile.
 * A failure of `source` itself is a ZstdSourceError. `cancel`, when given, is called if the reader
 * stops before the source has ended, so that a source waiting on the network gives up at once
 * instead of at its next chunk or its timeout.
 */
export async function* decompressChunks(source: AsyncIterable<Buffer>, signal?: AbortSignal, cancel?: () => void): AsyncGenerator<Buffer> {
  yield* decompressFrom(
    async (decompress, closed, stopped) => {
      try {
        for await (const chunk of source) {
          signal?.throwIfAborted();
          if (stopped()) break;
          // a decompressor error is the stream's to report (damage), not the source's
          if (!decompress.write(chunk)) await Promise.race([once(decompress, 'drain').catch(() => undefined), closed]);
        }
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ZstdSourceError((error as Error).message, { cause: error });
      }
    },
    cancel,
  );
}

type Feed = (decompress: ZstdDecompress, closed: Promise<void>, stopped: () => boolean) => Promise<void>;

/** Runs `feed` into a decompressor (ending it when `feed` returns) and yields what comes out; `cancel` as in decompressChunks. */
async function* decompressFrom(feed: Feed, cancel?: () => void): AsyncGenerator<Buffer> {
  const decompress = createZstdDecompress({ chunkSize: 1 << 20 });
  let stopped = false;
  let fed = false;
  const closed = new Promise<void>((resolve) => decompress.once('close', () => resolve()));
  const feeding = feed(decompress, closed, () => stopped)
    .then(() => {
      fed = true;
      if (!stopped) decompress.end();
    })
    .catch((error: unknown) => {
      decompress.destroy(Object.assign(error as Error, { fromSource: true }));
    });
  try {
    for await (const chunk of decompress) yield chunk as Buffer;
  } catch (error) {
    if ((error as { fromSource?: boolean }).fromSource) throw error;
    throw new ZstdStreamError((error as Error).message, { cause: error });
  } finally {
    stopped = true;
    decompress.destroy();
    if (!fed) cancel?.();
    await feeding;
  }
}
