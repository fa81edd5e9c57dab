// The pause guard (core/channel/pause-guard.ts) through the dispatcher every download uses
// (createDispatcher): a server that closes the connection right after a body the reader has not
// taken yet (HTTP/1.0, as `python -m http.server` answers) must not crash the process — undici 7
// alone dies of an AssertionError in the socket's 'end' handler — while a long body still holds the
// server back until it is read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { createDispatcher } from '../../core/channel/network.ts';
import { httpGet } from '../../core/channel/http-get.ts';

/** A raw TCP server that answers every request with `head` then `body`, then closes its side. */
async function closingServer(head: (body: Buffer) => string, body: Buffer, sockets: Socket[] = []): Promise<{ server: Server; url: string }> {
  const server = createServer((sock) => {
    sockets.push(sock);
    sock.on('error', () => {});
    sock.once('data', () => {
      sock.write(head(body));
      sock.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pkg.conda` };
}

const http10 = (b: Buffer): string => `HTTP/1.0 200 OK\r\nContent-Length: ${b.length}\r\n\r\n`;
const close11 = (b: Buffer): string => `HTTP/1.1 200 OK\r\nContent-Length: ${b.length}\r\nConnection: close\r\n\r\n`;
const untilClose = (): string => `HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n`;
const chunkedHead = (): string => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;

/** `data` in chunked transfer coding, in chunks of `piece` bytes. */
function chunkedBody(data: Buffer, piece: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) {
    const part = data.subarray(i, i + piece);
    parts.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** Reads `body` only after `lagMs`, the way a reader busy elsewhere does. */
async function readLate(body: AsyncIterable<unknown>, lagMs: number): Promise<Buffer> {
  await sleep(lagMs);
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

for (const [label, head, size] of [
  ['HTTP/1.0 with Content-Length, one 64 KiB read', http10, 64 * 1024],
  ['HTTP/1.0 with Content-Length, 4 MiB', http10, 4 << 20],
  ['HTTP/1.1 with Connection: close', close11, 4 << 20],
  ['no length: the body ends with the connection', untilClose, 64 * 1024],
] as const) {
  test(`a server closing after a body not yet read: ${label}`, async () => {
    const body = Buffer.alloc(size, 0x61);
    body.write('end', size - 3);
    const { server, url } = await closingServer(head, body);
    const dispatcher = await createDispatcher();
    try {
      const res = await request(url, { dispatcher });
      assert.equal(res.statusCode, 200);
      const got = await readLate(res.body, 300);
      assert.equal(got.length, size);
      assert.ok(got.equals(body));
    } finally {
      await dispatcher.close();
      server.close();
    }
  });
}

for (const [size, piece] of [
  [100_000, 100_000],
  [4 << 20, 300_000],
] as const) {
  test(`a chunked body closed with the connection is read whole (${size} bytes in chunks of ${piece})`, async () => {
    const body = Buffer.alloc(size, 0x62);
    const { server, url } = await closingServer(chunkedHead, chunkedBody(body, piece));
    const dispatcher = await createDispatcher();
    try {
      const res = await request(url, { dispatcher });
      const got = await readLate(res.body, 300);
      assert.ok(got.equals(body));
    } finally {
      await dispatcher.close();
      server.close();
    }
  });
}

test('httpGet through the guarded dispatcher reads a closing server', async () => {
  const body = Buffer.alloc(2 << 20, 0x63);
  const { server, url } = await closingServer(http10, body);
  const dispatcher = await createDispatcher();
  try {
    const res = await httpGet(url, { dispatcher, displayUrl: url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, headersTimeoutMs: 5000, bodyTimeoutMs: 5000 });
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(body));
  } finally {
    await dispatcher.close();
    server.close();
  }
});

test('a long body still waits for its reader: the server cannot send it all while nothing reads', async () => {
  const size = 64 << 20;
  const body = Buffer.alloc(size, 0x64);
  const sockets: Socket[] = [];
  const { server, url } = await closingServer(close11, body, sockets);
  const dispatcher = await createDispatcher();
  try {
    const res = await request(url, { dispatcher });
    await sleep(300);
    // with backpressure the client stops reading: most of the body is still in the server's buffer
    const pending = sockets[0]!.writableLength;
    assert.ok(pending > size / 2, `the server had only ${pending} of ${size} bytes left to send: the client read without waiting for its reader`);
    const got = await readLate(res.body, 0);
    assert.equal(got.length, size);
  } finally {
    await dispatcher.close();
    server.close();
  }
});
