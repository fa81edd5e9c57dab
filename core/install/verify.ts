// How a package archive is checked against its record, as conda's verification setting offers:
// `sha256` (the default: the record's sha256, or its md5 when it has no sha256), `md5` (the record's
// md5, or its sha256 when it has no md5) or `size` (the byte count only). The size is checked in
// every mode when the record has one. Hashes are computed while the bytes stream past (see
// download.ts); `hashFile` does the same for an archive already in the cache.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type VerifyMode = 'sha256' | 'md5' | 'size';
export type HashAlgorithm = 'sha256' | 'md5';

export const VERIFY_MODES: readonly VerifyMode[] = ['sha256', 'md5', 'size'];

/** What a record says about its archive. */
export interface ExpectedArchive {
  sha256?: string | undefined;
  md5?: string | undefined;
  size?: number | undefined;
}

/** The hash to check for `mode`, or undefined when only the size can be checked. */
export function checkedHash(mode: VerifyMode, expected: ExpectedArchive): HashAlgorithm | undefined {
  if (mode === 'size') return undefined;
  const sha = validHex(expected.sha256, 64);
  const md5 = validHex(expected.md5, 32);
  if (mode === 'sha256') return sha ? 'sha256' : md5 ? 'md5' : undefined;
  return md5 ? 'md5' : sha ? 'sha256' : undefined;
}

/**
 * The hashes to compute while downloading: the checked one, and both when the record has neither
 * (a URL-only record, e.g. from an explicit file: the cache records what arrived, as conda does).
 */
export function hashesToCompute(mode: VerifyMode, expected: ExpectedArchive): HashAlgorithm[] {
  const checked = checkedHash(mode, expected);
  if (checked) return [checked];
  if (mode !== 'size' && !validHex(expected.sha256, 64) && !validHex(expected.md5, 32)) return ['sha256', 'md5'];
  return [];
}

function validHex(value: string | undefined, length: number): string | undefined {
  return value !== undefined && value.length === length && /^[0-9a-fA-F]+$/.test(value) ? value.toLowerCase() : undefined;
}

/** Several hashes fed from one stream of chunks. */
export class MultiHash {
  readonly #hashes: Map<HashAlgorithm, Hash>;
  constructor(algorithms: readonly HashAlgorithm[]) {
    this.#hashes = new Map(algorithms.map((a) => [a, createHash(a)]));
  }
  update(chunk: Uint8Array): void {
    for (const h of this.#hashes.values()) h.update(chunk);
  }
  digest(): Partial<Record<HashAlgorithm, string>> {
    const out: Partial<Record<HashAlgorithm, string>> = {};
    for (const [a, h] of this.#hashes) out[a] = h.digest('hex');
    return out;
  }
}

export interface ArchiveFacts {
  size: number;
  sha256?: string | undefined;
  md5?: string | undefined;
}

export type VerifyProblem = { kind: 'size' | 'checksum'; algorithm?: HashAlgorithm; expected: string; actual: string };

/** The first way `actual` fails `expected` under `mode`, or undefined when it passes. */
export function verifyProblem(mode: VerifyMode, expected: ExpectedArchive, actual: ArchiveFacts): VerifyProblem | undefined {
  if (expected.size !== undefined && expected.size !== actual.size) return { kind: 'size', expected: `${expected.size} bytes`, actual: `${actual.size} bytes` };
  const algorithm = checkedHash(mode, expected);
  if (algorithm === undefined) return undefined;
  const want = expected[algorithm]!.toLowerCase();
  const got = actual[algorithm];
  if (got === undefined) throw new Error(`internal: the ${algorithm} of the archive was not computed`);
  return got === want ? undefined : { kind: 'checksum', algorithm, expected: want, actual: got };
}

/** Size and the given hashes of a file. */
export async function hashFile(path: string, algorithms: readonly HashAlgorithm[], signal?: AbortSignal): Promise<ArchiveFacts> {
  const hash = new MultiHash(algorithms);
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, ...hash.digest() };
}
