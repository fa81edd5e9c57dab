// bzip2 decompression for .tar.bz2 packages as a proper Node Transform stream. The decoder is the
// `unbzip2-stream` package (pure JavaScript, streaming: it decodes one 100-900 kB block at a time,
// so memory stays bounded and other work runs between blocks); its own stream is an old-style
// `through` stream that stream.pipeline cannot end cleanly, so this wraps it: chunks are written
// into it and what it emits, synchronously, is pushed on. Its errors (some of them TypeErrors from
// deep inside the decoder on damaged input) come out as one `Bzip2Error`.

import { Transform, type TransformCallback } from 'node:stream';
import unbzip2 from 'unbzip2-stream';

export class Bzip2Error extends Error {
  readonly truncated: boolean;
  constructor(message: string, truncated: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'Bzip2Error';
    this.truncated = truncated;
  }
}

export class Bunzip2 extends Transform {
  readonly #inner = unbzip2();
  #error: Bzip2Error | undefined;
  #received = 0;

  constructor() {
    super({ readableHighWaterMark: 1 << 20 });
    this.#inner.on('data', (chunk: Buffer) => {
      this.push(chunk);
    });
    this.#inner.on('error', (error: Error) => {
      this.#error ??= toBzip2Error(error, this.#received);
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#error) {
      callback(this.#error);
      return;
    }
    this.#received += chunk.length;
    try {
      this.#inner.write(chunk);
    } catch (error) {
      this.#error ??= toBzip2Error(error as Error, this.#received);
    }
    callback(this.#error);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.#error) {
      if (this.#received === 0) this.#error = new Bzip2Error('the bzip2 data is empty', true);
      else {
        try {
          this.#inner.end();
        } catch (error) {
          this.#error ??= toBzip2Error(error as Error, this.#received);
        }
      }
    }
    callback(this.#error);
  }
}

function toBzip2Error(error: Error, received: number): Bzip2Error {
  const message = String(error?.message ?? error);
  if (/ended prematurely/i.test(message) || error instanceof TypeError || error instanceof RangeError) {
    return new Bzip2Error(`the bzip2 data ends early or is damaged after ${received} bytes`, true, error);
  }
  if (/No magic number|Not a BZIP/i.test(message)) return new Bzip2Error('this is not bzip2 data', false, error);
  if (/crc/i.test(message)) return new Bzip2Error('the bzip2 data fails its CRC check (the file is damaged)', false, error);
  // the decoder's other messages are jokes ("moo i'm a cow"): say what they mean
  return new Bzip2Error('the bzip2 data is damaged (a block cannot be decoded)', false, error);
}
