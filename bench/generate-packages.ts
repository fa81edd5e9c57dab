// Deterministic conda packages for the install benchmarks: `small-files` (thousands of small text
// files in a site-packages-like tree, as a Python library), `large-files` (a few big, partly
// compressible binaries, as a native library) — each as a .conda (zstd level 9: decompression speed
// hardly depends on the level, and 19 would make generation slow). Same seed, same bytes.

import { buildConda, buildTar, indexJson, type TarEntrySpec } from '../test/support/package-builder.ts';
import { rng } from './seeded-random.ts';

export interface GeneratedPackage {
  dist: string;
  /** The .conda file's bytes. */
  conda: Buffer;
  /** The uncompressed pkg tar (for the floor measurement and .tar.bz2 variants). */
  pkgTar: Buffer;
  /** The uncompressed info tar. */
  infoTar: Buffer;
  files: number;
  /** Bytes of file content. */
  bytes: number;
}

const WORDS = 'def class return import from self value None True False for in if else elif while with as try except raise yield lambda data result index name path config module error args kwargs'.split(' ');

function text(random: () => number, size: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const line = `${'    '.repeat(Math.floor(random() * 3))}${Array.from({ length: 3 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')}\n`;
    parts.push(line);
    length += line.length;
  }
  return Buffer.from(parts.join('').slice(0, size));
}

function binary(random: () => number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let i = 0;
  while (i < size) {
    const run = 1 + Math.floor(random() * 64);
    if (random() < 0.5) out.fill(Math.floor(random() * 256), i, Math.min(size, i + run));
    else for (let j = i; j < Math.min(size, i + run); j++) out[j] = Math.floor(random() * 256);
    i += run;
  }
  return out;
}

function finish(dist: string, entries: TarEntrySpec[]): GeneratedPackage {
  const paths = entries.filter((e) => (e.type ?? 'file') === 'file').map((e) => ({ _path: e.name, path_type: 'hardlink', size_in_bytes: Buffer.byteLength(e.data ?? '') }));
  const infoEntries: TarEntrySpec[] = [
    { name: 'info/index.json', data: indexJson(dist) },
    { name: 'info/paths.json', data: JSON.stringify({ paths_version: 1, paths }) },
  ];
  const pkgTar = buildTar(entries);
  const infoTar = buildTar(infoEntries);
  const conda = buildConda(dist, { info: infoEntries, pkgTar, level: 9 });
  const bytes = entries.reduce((s, e) => s + Buffer.byteLength(e.data ?? ''), 0);
  return { dist, conda, pkgTar, infoTar, files: paths.length + infoEntries.length, bytes: bytes + infoEntries.reduce((s, e) => s + Buffer.byteLength(e.data ?? ''), 0) };
}

/** Many small text files: `files` of 256 B – 16 kB in nested folders. */
export function smallFilesPackage(name = 'small-files', files = 8000, seed = 1): GeneratedPackage {
  const random = rng(seed);
  const entries: TarEntrySpec[] = [];
  for (let i = 0; i < files; i++) {
    const size = Math.floor(256 + random() * random() * 16_000);
    entries.push({ name: `lib/python3.12/site-packages/${name}/sub${i % 40}/mod${i}.py`, data: text(random, size), mode: i % 10 === 0 ? 0o755 : 0o644 });
  }
  return finish(`${name}-1.0-0`, entries);
}

/** A few large binaries: `count` files of `size` bytes. */
export function largeFilesPackage(name = 'large-files', count = 6, size = 16 * 1024 * 1024, seed = 2): GeneratedPackage {
  const random = rng(seed);
  const entries: TarEntrySpec[] = [];
  for (let i = 0; i < count; i++) entries.push({ name: `lib/lib${name}${i}.so`, data: binary(random, size), mode: 0o755 });
  return finish(`${name}-1.0-0`, entries);
}
