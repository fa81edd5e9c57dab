// zstd decompression of repodata (repodata.json.zst) in the thread pool. Node's default 16 KiB
// output chunks make each 100 MB file thousands of round trips to the main thread (about 3x
// slower, measured); 8 MiB chunks keep the work in the pool.

import { promisify } from 'node:util';
import { zstdDecompress } from 'node:zlib';

const unzstd = promisify(zstdDecompress);
const CHUNK_BYTES = 8 << 20;

export function decompressZstd(compressed: Uint8Array): Promise<Buffer> {
  return unzstd(compressed, { chunkSize: CHUNK_BYTES });
}
