// zstd decompression of environment tarballs: node:zlib, streamed in 1 MiB chunks, so it runs in
// the thread pool beside the thread writing the files. (The `zstd` program through a pipe was
// measured too: it decompresses faster, but reading its output in 64 KiB pipe chunks cost this
// thread more than it saved — a restore was about 1.3 times slower.) The frame's content checksum
// is checked at the end: damage is a ZstdStreamError.

import { createReadStream } from 'node:fs';
import { createZstdDecompress } from 'node:zlib';

/** The compressed data is damaged (or is not zstd). */
export class ZstdStreamError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZstdStreamError';
  }
}

/** The decompressed bytes of the zstd file `path`, in chunks; read it to the end, so that the checksum is checked. */
export async function* decompressFile(path: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const source = createReadStream(path, { highWaterMark: 1 << 20, signal });
  const decompress = createZstdDecompress({ chunkSize: 1 << 20 });
  source.on('error', (error) => decompress.destroy(Object.assign(error, { fromSource: true })));
  source.pipe(decompress);
  try {
    for await (const chunk of decompress) yield chunk as Buffer;
  } catch (error) {
    if ((error as { fromSource?: boolean }).fromSource) throw error;
    throw new ZstdStreamError((error as Error).message, { cause: error });
  } finally {
    source.destroy();
    decompress.destroy();
  }
}
