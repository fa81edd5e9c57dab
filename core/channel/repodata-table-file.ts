// The scan of a cached repodata.json, kept beside it (`<key>.table`) so a warm run reads the
// table instead of scanning hundreds of megabytes again. Binary: magic, format version, a JSON
// header (names, info, removed, …, and a fingerprint of the repodata bytes it describes), then the
// spans and name ids as little-endian uint32, then one section byte per entry. A table whose fingerprint does not match the bytes
// read (another process replaced the entry in between) is ignored, and the caller scans again. The
// fingerprint reads only 32 samples of the content, so it can be checked against a file on disk
// with positional reads (repodata-copy-file.ts) without reading the file whole.

import { createHash } from 'node:crypto';
import type { RepodataTable } from './repodata-scan.ts';

const MAGIC = 0x54524545; // 'EERT' little-endian: env-setup repodata entry table
export const TABLE_FORMAT_VERSION = 1;
const SAMPLE = 4096;
const SAMPLES = 32;

interface TableHeader {
  fingerprint: string;
  count: number;
  names: string[];
  trackerNameIds: number[];
  info: Record<string, unknown>;
  repodataVersion: number | null;
  removed: string[];
}

/** Bytes that can be sampled: a Buffer, or a file read in place (RepodataCopyFile). */
export interface SampledBytes {
  readonly length: number;
  subarray(start: number, end: number): Uint8Array;
}

/** A cheap identity of repodata bytes: their length and a hash of 32 samples spread over them. */
export function contentFingerprint(content: SampledBytes): string {
  const hash = createHash('sha256').update(String(content.length));
  if (content.length <= SAMPLE * SAMPLES) hash.update(content.subarray(0, content.length));
  else {
    const step = Math.floor((content.length - SAMPLE) / (SAMPLES - 1));
    for (let k = 0; k < SAMPLES; k++) hash.update(content.subarray(k * step, k * step + SAMPLE));
  }
  return hash.digest('hex');
}

export function encodeTable(table: RepodataTable, content: Uint8Array): Buffer {
  const header: TableHeader = {
    fingerprint: contentFingerprint(content),
    count: table.nameIds.length,
    names: table.names,
    trackerNameIds: table.trackerNameIds,
    info: table.info,
    repodataVersion: table.repodataVersion ?? null,
    removed: table.removed,
  };
  const json = Buffer.from(JSON.stringify(header));
  const headerEnd = 12 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const wordBytes = 4 * table.spans.length + 4 * table.nameIds.length;
  const out = Buffer.alloc(dataStart + wordBytes + table.condaSection.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(TABLE_FORMAT_VERSION, 4);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  const words = new Uint32Array(out.buffer, out.byteOffset + dataStart, table.spans.length + table.nameIds.length);
  words.set(table.spans, 0);
  words.set(table.nameIds, table.spans.length);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) byteSwap(words); // stored little-endian
  out.set(table.condaSection, dataStart + wordBytes);
  return out;
}

/** The table in `file` when it is well formed and describes `content` (whose fingerprint may be given when already known); otherwise undefined. */
export function decodeTable(file: Buffer, content: SampledBytes, fingerprint?: string): RepodataTable | undefined {
  if (file.length < 12 || file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(4) !== TABLE_FORMAT_VERSION) return undefined;
  const length = file.readUInt32LE(8);
  if (12 + length > file.length) return undefined;
  let header: TableHeader;
  try {
    header = JSON.parse(file.toString('utf8', 12, 12 + length)) as TableHeader;
  } catch {
    return undefined;
  }
  if (header.fingerprint !== (fingerprint ?? contentFingerprint(content)) || !Number.isInteger(header.count) || !Array.isArray(header.names)) return undefined;
  const dataStart = Math.ceil((12 + length) / 4) * 4;
  if (file.length !== dataStart + 21 * header.count) return undefined;
  const words = new Uint32Array(5 * header.count);
  new Uint8Array(words.buffer).set(file.subarray(dataStart, dataStart + 20 * header.count));
  const condaSection = new Uint8Array(file.subarray(dataStart + 20 * header.count));
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) byteSwap(words);
  const spans = words.subarray(0, 4 * header.count);
  const nameIds = words.subarray(4 * header.count);
  for (let e = 0; e < header.count; e++) if (nameIds[e]! >= header.names.length) return undefined;
  return {
    info: header.info ?? {},
    repodataVersion: header.repodataVersion ?? undefined,
    removed: header.removed ?? [],
    names: header.names,
    spans,
    nameIds,
    condaSection,
    trackerNameIds: header.trackerNameIds ?? [],
  };
}

function byteSwap(words: Uint32Array): void {
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    words[k] = ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
  }
}
