// A generated "scientific stack" channel for the installer benchmark (bench/install.ts): a few dozen
// conda packages shaped like conda-forge's python / numpy / scipy / pandas / matplotlib /
// scikit-learn / MKL environment — many small files (a python stdlib-like tree, site-packages
// trees, terminfo, tcl/tk, zoneinfo, headers), a few large binaries (MKL, LLVM, OpenBLAS,
// libstdc++), text files with the prefix placeholder (scripts with shebangs, pkg-config and
// sysconfig files) and binaries with it (the python executable, libcrypto, tcl/tk, ncurses,
// sqlite), symbolic links, and noarch: python packages with entry points.
//
//   const stack = writeStack(dir, { megabytes: 1024 });
//   // dir/channel/{linux-64,noarch}/{repodata.json,*.conda}, dir/payloads/<dist>/{pkg,info}.tar.zst
//
// Sizes and file counts scale with `megabytes` (of file content, as installed). Content is
// deterministic per seed and cheap to make: files are slices of a text pool and a random pool
// (larger than zstd's window at the level used, so slices do not compress away against each other)
// with a unique first line, so a gigabyte is generated in seconds rather than minutes. Each package
// is built and written on its own, so memory stays at about the largest package.

import { createCipheriv, createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, zstdCompressSync } from 'node:zlib';
import { buildTar, buildZip, type TarEntrySpec } from '../test/support/package-builder.ts';
import { rng } from './seeded-random.ts';

/** conda-forge's placeholder shape: a build folder padded to 255 bytes. */
export function placeholderFor(name: string): string {
  const head = `/home/conda/feedstock_root/build_artifacts/${name}_1700000000000/_h_env_`;
  return (head + 'placehold_'.repeat(30)).slice(0, 255);
}

const WORDS = (
  'def class return import from self value None True False for in if else elif while with as try except raise yield lambda ' +
  'data result index name path config module error args kwargs array dtype shape axis numpy scipy matrix sparse frame series ' +
  'plot figure estimator transform fit predict _private __init__ assert isinstance len range dict list tuple str int float'
)
  .split(' ')
  .map((w) => Buffer.from(w));

/** `size` bytes of source-like text (indented lines of words). */
function makeText(random: () => number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let i = 0;
  while (i < size) {
    const indent = Math.floor(random() * 3) * 4;
    for (let k = 0; k < indent && i < size; k++) out[i++] = 0x20;
    const words = 3 + Math.floor(random() * 8);
    for (let w = 0; w < words && i < size; w++) {
      const word = WORDS[Math.floor(random() * WORDS.length)]!;
      i += word.copy(out, i, 0, Math.min(word.length, size - i));
      if (i < size) out[i++] = w === words - 1 ? 0x0a : 0x20;
    }
  }
  return out;
}

/** Deterministic incompressible bytes (AES-CTR keystream). */
function makeRandom(seed: number, size: number): Buffer {
  const key = createHash('sha256').update(`key${seed}`).digest();
  const iv = createHash('md5').update(`iv${seed}`).digest();
  return createCipheriv('aes-256-ctr', key, iv).update(Buffer.alloc(size));
}

const POOL = 48 * 1024 * 1024;
let pools: { text: Buffer; random: Buffer } | undefined;
function getPools(): { text: Buffer; random: Buffer } {
  pools ??= { text: makeText(rng(7), POOL), random: makeRandom(7, POOL) };
  return pools;
}

/** A text file of `size` bytes: a unique first line, then a slice of the text pool. */
function textFile(random: () => number, size: number, first: string): Buffer {
  const { text } = getPools();
  const head = Buffer.from(first + '\n');
  if (head.length >= size) return head;
  const n = size - head.length;
  const at = Math.floor(random() * (text.length - n));
  return Buffer.concat([head, text.subarray(at, at + n)]);
}

/**
 * A binary of `size` bytes, like a shared library: 4 kB blocks of machine-code-like random bytes,
 * zeros / short repeated patterns, and string tables (text) — about 2.5:1 under zstd. With a
 * `placeholder`, C strings `<placeholder>/lib…\0` are written in a few places (binary prefix mode).
 */
function binaryFile(random: () => number, size: number, placeholder?: string): Buffer {
  const { text, random: noise } = getPools();
  const out = Buffer.allocUnsafe(size);
  const BLOCK = 4096;
  for (let at = 0; at < size; at += BLOCK) {
    const n = Math.min(BLOCK, size - at);
    const r = random();
    if (r < 0.45) {
      const from = Math.floor(random() * (noise.length - n));
      noise.copy(out, at, from, from + n);
    } else if (r < 0.7) {
      const pattern = Math.floor(random() * 4);
      if (pattern === 0) out.fill(0, at, at + n);
      else out.fill(noise.subarray(at % 1024, (at % 1024) + 4 * pattern), at, at + n);
    } else {
      const from = Math.floor(random() * (text.length - n));
      text.copy(out, at, from, from + n);
    }
  }
  out.write('\x7fELF', 0, 'latin1');
  if (placeholder !== undefined) {
    const strings = Buffer.from(`${placeholder}/lib\0${placeholder}/share/terminfo:${placeholder}/etc\0`, 'latin1');
    const places = Math.max(1, Math.min(8, Math.floor(size / (256 * 1024))));
    for (let k = 0; k < places; k++) {
      const at = Math.floor(((k + 0.5) / places) * (size - strings.length - 1));
      if (at > 16) strings.copy(out, at);
    }
  }
  return out;
}

/** A text file holding the placeholder (pkg-config, sysconfig, cmake, a shebang script). */
function placeholderText(random: () => number, size: number, placeholder: string, kind: 'script' | 'config', first: string): Buffer {
  const head =
    kind === 'script'
      ? `#!${placeholder}/bin/python3.12\n# ${first}\nimport sys\n`
      : `# ${first}\nprefix=${placeholder}\nexec_prefix=\${prefix}\nlibdir=${placeholder}/lib\nincludedir=${placeholder}/include\n`;
  const body = textFile(random, Math.max(64, size - head.length), `# ${placeholder}/share`);
  return Buffer.concat([Buffer.from(head), body]);
}

interface Tree {
  /** Folder in the package. */
  root: string;
  files: number;
  /** Mean file size in kB. */
  kb: number;
  /** File name extension. */
  ext: string;
  /** Every n-th file holds the text placeholder. */
  placeholderEvery?: number;
  /** 'text' (default) or small binaries (fonts, compiled message catalogs, zoneinfo). */
  kind?: 'text' | 'binary';
}

interface Large {
  path: string;
  mb: number;
  placeholder?: boolean;
}

interface PackageDef {
  name: string;
  version: string;
  build: string;
  subdir?: 'linux-64' | 'noarch';
  noarch?: 'python' | 'generic';
  depends?: string[];
  trees?: Tree[];
  large?: Large[];
  /** Small shebang scripts in bin/ with the text placeholder. */
  scripts?: string[];
  /** [path, target] symbolic links. */
  links?: [string, string][];
  /** noarch: python entry points (`cmd = module:func`). */
  entryPoints?: string[];
}

const SP = 'lib/python3.12/site-packages';

/** The stack at its nominal size (about 1 GB); writeStack scales it. Dependencies come first. */
export const STACK: PackageDef[] = [
  { name: '_libgcc_mutex', version: '0.1', build: 'conda_forge', trees: [] },
  { name: 'libgcc-ng', version: '13.2.0', build: 'h77fa898_7', large: [{ path: 'lib/libgcc_s.so.1', mb: 0.5 }, { path: 'lib/libgomp.so.1.0.0', mb: 1.2 }], links: [['lib/libgomp.so.1', 'libgomp.so.1.0.0']], trees: [{ root: 'share/licenses/gcc-libs', files: 4, kb: 12, ext: '.txt' }] },
  { name: 'libstdcxx-ng', version: '13.2.0', build: 'hc0a3c3a_7', depends: ['libgcc-ng'], large: [{ path: 'lib/libstdc++.so.6.0.32', mb: 19 }], links: [['lib/libstdc++.so.6', 'libstdc++.so.6.0.32']], trees: [{ root: 'share/gcc-13.2.0/python/libstdcxx', files: 24, kb: 20, ext: '.py' }] },
  { name: 'libzlib', version: '1.2.13', build: 'h4ab18f5_6', large: [{ path: 'lib/libz.so.1.2.13', mb: 0.1 }], links: [['lib/libz.so.1', 'libz.so.1.2.13'], ['lib/libz.so', 'libz.so.1.2.13']], trees: [{ root: 'include', files: 2, kb: 40, ext: '.h' }, { root: 'lib/pkgconfig', files: 1, kb: 1, ext: '.pc', placeholderEvery: 1 }] },
  { name: 'xz', version: '5.2.6', build: 'h166bdaf_0', large: [{ path: 'lib/liblzma.so.5.2.6', mb: 0.2 }, { path: 'bin/xz', mb: 0.1 }], links: [['lib/liblzma.so.5', 'liblzma.so.5.2.6']], trees: [{ root: 'include/lzma', files: 12, kb: 15, ext: '.h' }, { root: 'share/man/man1', files: 30, kb: 8, ext: '.1' }, { root: 'share/locale', files: 36, kb: 20, ext: '.mo', kind: 'binary' }, { root: 'lib/pkgconfig', files: 1, kb: 1, ext: '.pc', placeholderEvery: 1 }] },
  { name: 'bzip2', version: '1.0.8', build: 'hd590300_5', large: [{ path: 'lib/libbz2.so.1.0.8', mb: 0.1 }, { path: 'bin/bzip2', mb: 0.05 }], trees: [{ root: 'include', files: 1, kb: 6, ext: '.h' }, { root: 'man/man1', files: 4, kb: 6, ext: '.1' }] },
  { name: 'libffi', version: '3.4.2', build: 'h7f98852_5', large: [{ path: 'lib/libffi.so.8.1.0', mb: 0.1 }], trees: [{ root: 'include', files: 2, kb: 10, ext: '.h' }, { root: 'lib/pkgconfig', files: 1, kb: 1, ext: '.pc', placeholderEvery: 1 }] },
  { name: 'libuuid', version: '2.38.1', build: 'h0b41bf4_0', large: [{ path: 'lib/libuuid.so.1.3.0', mb: 0.05 }], trees: [{ root: 'include/uuid', files: 1, kb: 4, ext: '.h' }] },
  {
    name: 'ncurses',
    version: '6.4',
    build: 'h59595ed_2',
    large: [{ path: 'lib/libncursesw.so.6.4', mb: 0.5, placeholder: true }, { path: 'lib/libtinfow.so.6.4', mb: 0.3, placeholder: true }, { path: 'bin/tic', mb: 0.1, placeholder: true }],
    links: [['lib/libncursesw.so.6', 'libncursesw.so.6.4'], ['lib/libtinfow.so.6', 'libtinfow.so.6.4'], ['bin/infotocap', 'tic']],
    trees: [
      { root: 'share/terminfo', files: 3000, kb: 1.6, ext: '', kind: 'binary' },
      { root: 'include/ncursesw', files: 20, kb: 20, ext: '.h' },
      { root: 'lib/pkgconfig', files: 6, kb: 1, ext: '.pc', placeholderEvery: 1 },
    ],
  },
  { name: 'readline', version: '8.2', build: 'h8228510_1', depends: ['ncurses'], large: [{ path: 'lib/libreadline.so.8.2', mb: 0.3 }], trees: [{ root: 'include/readline', files: 8, kb: 10, ext: '.h' }, { root: 'share/info', files: 4, kb: 60, ext: '.info' }] },
  {
    name: 'openssl',
    version: '3.3.1',
    build: 'h4ab18f5_0',
    large: [{ path: 'lib/libcrypto.so.3', mb: 5, placeholder: true }, { path: 'lib/libssl.so.3', mb: 1 }, { path: 'bin/openssl', mb: 1, placeholder: true }],
    links: [['lib/libcrypto.so', 'libcrypto.so.3'], ['lib/libssl.so', 'libssl.so.3']],
    scripts: ['bin/c_rehash'],
    trees: [
      { root: 'include/openssl', files: 140, kb: 14, ext: '.h' },
      { root: 'lib/engines-3', files: 3, kb: 60, ext: '.so', kind: 'binary' },
      { root: 'ssl/misc', files: 4, kb: 8, ext: '', placeholderEvery: 1 },
      { root: 'lib/pkgconfig', files: 3, kb: 1, ext: '.pc', placeholderEvery: 1 },
    ],
  },
  { name: 'libsqlite', version: '3.46.0', build: 'hde9e2c9_0', large: [{ path: 'lib/libsqlite3.so.0.8.6', mb: 1.5, placeholder: true }, { path: 'bin/sqlite3', mb: 1.6 }], links: [['lib/libsqlite3.so', 'libsqlite3.so.0.8.6']], trees: [{ root: 'include', files: 2, kb: 300, ext: '.h' }] },
  {
    name: 'tk',
    version: '8.6.13',
    build: 'noxft_h4845f30_101',
    large: [{ path: 'lib/libtk8.6.so', mb: 1.5, placeholder: true }, { path: 'lib/libtcl8.6.so', mb: 1.8, placeholder: true }],
    trees: [
      { root: 'lib/tcl8.6', files: 560, kb: 8, ext: '.tcl', placeholderEvery: 200 },
      { root: 'lib/tk8.6', files: 360, kb: 9, ext: '.tcl' },
      { root: 'include', files: 50, kb: 25, ext: '.h' },
    ],
  },
  { name: 'tzdata', version: '2024a', build: 'h0c530f3_0', subdir: 'noarch', noarch: 'generic', trees: [{ root: 'share/zoneinfo', files: 600, kb: 2, ext: '', kind: 'binary' }] },
  { name: 'ca-certificates', version: '2024.6.2', build: 'hbcca054_0', large: [{ path: 'ssl/cacert.pem', mb: 0.2 }], links: [['ssl/cert.pem', 'cacert.pem']] },
  {
    name: 'python',
    version: '3.12.4',
    build: 'h194c7f8_0_cpython',
    depends: ['libffi', 'openssl', 'libsqlite', 'tk', 'ncurses', 'readline', 'xz', 'bzip2', 'libzlib', 'tzdata', 'ca-certificates'],
    large: [{ path: 'bin/python3.12', mb: 25, placeholder: true }, { path: 'lib/libpython3.12.so.1.0', mb: 0.02 }],
    links: [
      ['bin/python', 'python3.12'],
      ['bin/python3', 'python3.12'],
      ['bin/pydoc', 'pydoc3.12'],
      ['bin/pydoc3', 'pydoc3.12'],
      ['bin/idle3', 'idle3.12'],
      ['lib/libpython3.so', 'libpython3.12.so.1.0'],
    ],
    scripts: ['bin/2to3-3.12', 'bin/idle3.12', 'bin/pydoc3.12', 'bin/python3.12-config'],
    trees: [
      { root: 'lib/python3.12', files: 4300, kb: 9, ext: '.py', placeholderEvery: 900 },
      { root: 'lib/python3.12/test', files: 1900, kb: 8, ext: '.py' },
      { root: 'lib/python3.12/__pycache__', files: 4300, kb: 7, ext: '.cpython-312.pyc', kind: 'binary' },
      { root: 'lib/python3.12/lib-dynload', files: 70, kb: 300, ext: '.cpython-312-x86_64-linux-gnu.so', kind: 'binary' },
      { root: 'lib/python3.12/config-3.12-x86_64-linux-gnu', files: 12, kb: 20, ext: '', placeholderEvery: 2 },
      { root: 'include/python3.12', files: 200, kb: 10, ext: '.h' },
      { root: 'lib/pkgconfig', files: 4, kb: 1, ext: '.pc', placeholderEvery: 1 },
      { root: 'share/man/man1', files: 2, kb: 10, ext: '.1' },
    ],
  },
  {
    name: 'libopenblas',
    version: '0.3.27',
    build: 'pthreads_h413a1c8_0',
    depends: ['libgcc-ng'],
    large: [{ path: 'lib/libopenblasp-r0.3.27.so', mb: 38 }],
    links: [['lib/libopenblas.so', 'libopenblasp-r0.3.27.so'], ['lib/libopenblas.so.0', 'libopenblasp-r0.3.27.so']],
    trees: [{ root: 'include', files: 6, kb: 30, ext: '.h' }, { root: 'lib/cmake/openblas', files: 2, kb: 3, ext: '.cmake', placeholderEvery: 1 }, { root: 'lib/pkgconfig', files: 1, kb: 1, ext: '.pc', placeholderEvery: 1 }],
  },
  { name: 'libblas', version: '3.9.0', build: '22_linux64_openblas', depends: ['libopenblas'], links: [['lib/libblas.so.3', 'libopenblasp-r0.3.27.so'], ['lib/libblas.so', 'libblas.so.3']] },
  { name: 'libcblas', version: '3.9.0', build: '22_linux64_openblas', depends: ['libblas'], links: [['lib/libcblas.so.3', 'libblas.so.3'], ['lib/libcblas.so', 'libcblas.so.3']] },
  { name: 'liblapack', version: '3.9.0', build: '22_linux64_openblas', depends: ['libblas'], links: [['lib/liblapack.so.3', 'libblas.so.3'], ['lib/liblapack.so', 'liblapack.so.3']] },
  {
    name: 'mkl',
    version: '2023.2.0',
    build: 'h84fe81f_50496',
    large: [
      { path: 'lib/libmkl_core.so.2', mb: 70 },
      { path: 'lib/libmkl_intel_thread.so.2', mb: 62 },
      { path: 'lib/libmkl_avx512.so.2', mb: 55 },
      { path: 'lib/libmkl_avx2.so.2', mb: 45 },
      { path: 'lib/libmkl_def.so.2', mb: 42 },
      { path: 'lib/libmkl_mc3.so.2', mb: 40 },
      { path: 'lib/libmkl_vml_avx512.so.2', mb: 15 },
      { path: 'lib/libmkl_sequential.so.2', mb: 30 },
    ],
    trees: [{ root: 'lib', files: 12, kb: 2500, ext: '.so.2', kind: 'binary' }],
  },
  { name: 'libllvm14', version: '14.0.6', build: 'hcd5def8_4', large: [{ path: 'lib/libLLVM-14.so', mb: 92 }], links: [['lib/libLLVM-14.0.6.so', 'libLLVM-14.so']] },
  {
    name: 'numpy',
    version: '1.26.4',
    build: 'py312heda63a1_0',
    depends: ['python', 'libblas', 'libcblas', 'liblapack'],
    large: [{ path: `${SP}/numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so`, mb: 9 }],
    scripts: ['bin/f2py'],
    trees: [
      { root: `${SP}/numpy`, files: 1100, kb: 7, ext: '.py' },
      { root: `${SP}/numpy/__pycache__`, files: 1100, kb: 6, ext: '.cpython-312.pyc', kind: 'binary' },
      { root: `${SP}/numpy/linalg`, files: 14, kb: 900, ext: '.cpython-312-x86_64-linux-gnu.so', kind: 'binary' },
      { root: `${SP}/numpy/core/include/numpy`, files: 60, kb: 12, ext: '.h' },
    ],
  },
  {
    name: 'scipy',
    version: '1.13.1',
    build: 'py312hc2bc53b_0',
    depends: ['python', 'numpy', 'libblas', 'liblapack', 'libstdcxx-ng'],
    large: [{ path: `${SP}/scipy/sparse/_sparsetools.cpython-312-x86_64-linux-gnu.so`, mb: 6 }, { path: `${SP}/scipy/special/_ufuncs.cpython-312-x86_64-linux-gnu.so`, mb: 4.5 }],
    trees: [
      { root: `${SP}/scipy`, files: 2800, kb: 7, ext: '.py' },
      { root: `${SP}/scipy/__pycache__`, files: 2800, kb: 6, ext: '.cpython-312.pyc', kind: 'binary' },
      { root: `${SP}/scipy/_lib`, files: 110, kb: 550, ext: '.cpython-312-x86_64-linux-gnu.so', kind: 'binary' },
    ],
  },
  { name: 'python-tzdata', version: '2024.1', build: 'pyhd8ed1ab_0', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages/tzdata', files: 600, kb: 2, ext: '', kind: 'binary' }] },
  { name: 'six', version: '1.16.0', build: 'pyh6c4a22f_0', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages/six', files: 3, kb: 12, ext: '.py' }] },
  { name: 'python-dateutil', version: '2.9.0', build: 'pyhd8ed1ab_0', subdir: 'noarch', noarch: 'python', depends: ['python', 'six'], trees: [{ root: 'site-packages/dateutil', files: 30, kb: 14, ext: '.py' }] },
  { name: 'pytz', version: '2024.1', build: 'pyhd8ed1ab_0', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages/pytz', files: 620, kb: 2, ext: '', kind: 'binary' }] },
  {
    name: 'pandas',
    version: '2.2.2',
    build: 'py312h1d6d2e6_1',
    depends: ['python', 'numpy', 'python-dateutil', 'pytz', 'python-tzdata'],
    trees: [
      { root: `${SP}/pandas`, files: 2400, kb: 8, ext: '.py' },
      { root: `${SP}/pandas/__pycache__`, files: 2400, kb: 7, ext: '.cpython-312.pyc', kind: 'binary' },
      { root: `${SP}/pandas/_libs`, files: 45, kb: 1000, ext: '.cpython-312-x86_64-linux-gnu.so', kind: 'binary' },
    ],
  },
  {
    name: 'matplotlib-base',
    version: '3.8.4',
    build: 'py312h20ab3a6_2',
    depends: ['python', 'numpy', 'python-dateutil', 'libstdcxx-ng'],
    trees: [
      { root: `${SP}/matplotlib`, files: 900, kb: 10, ext: '.py' },
      { root: `${SP}/matplotlib/__pycache__`, files: 900, kb: 8, ext: '.cpython-312.pyc', kind: 'binary' },
      { root: `${SP}/matplotlib/mpl-data/fonts`, files: 120, kb: 160, ext: '.ttf', kind: 'binary' },
      { root: `${SP}/matplotlib/mpl-data/images`, files: 560, kb: 4, ext: '.png', kind: 'binary' },
      { root: `${SP}/matplotlib/mpl-data/stylelib`, files: 30, kb: 1, ext: '.mplstyle' },
      { root: `${SP}/matplotlib/_backends`, files: 12, kb: 900, ext: '.cpython-312-x86_64-linux-gnu.so', kind: 'binary' },
    ],
  },
  { name: 'joblib', version: '1.4.2', build: 'pyhd8ed1ab_0', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages/joblib', files: 110, kb: 12, ext: '.py' }] },
  { name: 'threadpoolctl', version: '3.5.0', build: 'pyhc1e730c_0', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages', files: 2, kb: 30, ext: '.py' }] },
  {
    name: 'scikit-learn',
    version: '1.5.0',
    build: 'py312h775a589_1',
    depends: ['python', 'numpy', 'scipy', 'joblib', 'threadpoolctl', 'libstdcxx-ng'],
    trees: [
      { root: `${SP}/sklearn`, files: 1300, kb: 7, ext: '.py' },
      { root: `${SP}/sklearn/__pycache__`, files: 1300, kb: 6, ext: '.cpython-312.pyc', kind: 'binary' },
      { root: `${SP}/sklearn/_libs`, files: 70, kb: 700, ext: '.cpython-312-x86_64-linux-gnu.so', kind: 'binary' },
    ],
  },
  {
    name: 'numba',
    version: '0.59.1',
    build: 'py312hacefee8_0',
    depends: ['python', 'numpy', 'libllvm14'],
    scripts: ['bin/numba'],
    trees: [
      { root: `${SP}/numba`, files: 900, kb: 8, ext: '.py' },
      { root: `${SP}/numba/__pycache__`, files: 900, kb: 7, ext: '.cpython-312.pyc', kind: 'binary' },
      { root: `${SP}/numba/core`, files: 25, kb: 500, ext: '.cpython-312-x86_64-linux-gnu.so', kind: 'binary' },
    ],
  },
  { name: 'setuptools', version: '70.0.0', build: 'pyhd8ed1ab_0', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages/setuptools', files: 550, kb: 6, ext: '.py' }] },
  { name: 'wheel', version: '0.43.0', build: 'pyhd8ed1ab_1', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages/wheel', files: 30, kb: 6, ext: '.py' }], entryPoints: ['wheel = wheel.cli:main'] },
  { name: 'pip', version: '24.0', build: 'pyhd8ed1ab_0', subdir: 'noarch', noarch: 'python', depends: ['python', 'setuptools', 'wheel'], trees: [{ root: 'site-packages/pip', files: 800, kb: 6, ext: '.py' }], entryPoints: ['pip = pip._internal.cli.main:main', 'pip3 = pip._internal.cli.main:main'] },
  { name: 'mpmath', version: '1.3.0', build: 'pyhd8ed1ab_0', subdir: 'noarch', noarch: 'python', depends: ['python'], trees: [{ root: 'site-packages/mpmath', files: 90, kb: 20, ext: '.py' }] },
  { name: 'sympy', version: '1.12.1', build: 'pypyh2585a3b_103', subdir: 'noarch', noarch: 'python', depends: ['python', 'mpmath'], trees: [{ root: 'site-packages/sympy', files: 1500, kb: 12, ext: '.py' }], entryPoints: ['isympy = isympy:main'] },
];

export interface StackPackage {
  fn: string;
  subdir: string;
  dist: string;
  name: string;
  /** Files (as installed: regular files and links) and bytes of their content. */
  files: number;
  bytes: number;
  /** The .conda size. */
  size: number;
  /** Files with a prefix placeholder (text, binary). */
  placeholders: { text: number; binary: number };
}

export interface Stack {
  packages: StackPackage[];
  /** Regular files and links, and bytes of file content, over all packages (info/ included). */
  files: number;
  bytes: number;
  /** Bytes of all .conda files. */
  archiveBytes: number;
  channel: string;
  payloads: string;
}

export interface StackOptions {
  /** Installed megabytes to aim at (default 1024). */
  megabytes?: number;
  /** zstd level of the .conda parts (default 3, zstd's own default; decompression speed hardly depends on it). */
  level?: number;
  seed?: number;
}

function nominalBytes(def: PackageDef): number {
  const trees = (def.trees ?? []).reduce((s, t) => s + t.files * t.kb * 1024, 0);
  const large = (def.large ?? []).reduce((s, l) => s + l.mb * 1024 * 1024, 0);
  return trees + large;
}

/** Folder of the i-th of `count` files of a tree: a few levels, about 25 files a folder. */
function folderOf(root: string, i: number, count: number): string {
  const folders = Math.max(1, Math.ceil(count / 25));
  const f = i % folders;
  if (f === 0) return root;
  return `${root}/pkg${Math.floor(f / 8)}/sub${f}`;
}

/**
 * Writes the stack's channel (`<dir>/channel/<subdir>/*.conda` and `repodata.json` with sha256, md5
 * and size) and each package's payload tarballs (`<dir>/payloads/<dist>/pkg.tar.zst` and
 * `info.tar.zst`, the same bytes as inside the .conda) for the floor measurement.
 */
export function writeStack(dir: string, options: StackOptions = {}): Stack {
  const megabytes = options.megabytes ?? 1024;
  const level = options.level ?? 3;
  const nominal = STACK.reduce((s, d) => s + nominalBytes(d), 0);
  const scale = (megabytes * 1024 * 1024) / nominal;
  const channel = join(dir, 'channel');
  const payloads = join(dir, 'payloads');
  const repodata: Record<string, Record<string, unknown>> = { 'linux-64': {}, noarch: {} };
  for (const subdir of Object.keys(repodata)) mkdirSync(join(channel, subdir), { recursive: true });
  const zstd = (b: Buffer): Buffer => zstdCompressSync(b, { params: { [zlibConstants.ZSTD_c_compressionLevel]: level } });
  const out: StackPackage[] = [];
  const random = rng(options.seed ?? 1);

  for (const def of STACK) {
    const subdir = def.subdir ?? 'linux-64';
    const dist = `${def.name}-${def.version}-${def.build}`;
    const placeholder = placeholderFor(def.name);
    const tag = def.name.replace(/[^a-z0-9]/g, '');
    const entries: TarEntrySpec[] = [];
    const paths: Record<string, unknown>[] = [];
    const placeholders = { text: 0, binary: 0 };
    const addFile = (path: string, data: Buffer, mode: number, prefix?: 'text' | 'binary'): void => {
      entries.push({ name: path, data, mode });
      const p: Record<string, unknown> = { _path: path, path_type: 'hardlink', sha256: createHash('sha256').update(data).digest('hex'), size_in_bytes: data.length };
      if (prefix) {
        p.prefix_placeholder = placeholder;
        p.file_mode = prefix;
        placeholders[prefix]++;
      }
      paths.push(p);
    };
    for (const tree of def.trees ?? []) {
      const count = Math.max(1, Math.round(tree.files * scale));
      for (let i = 0; i < count; i++) {
        const size = Math.max(32, Math.floor(tree.kb * 1024 * (0.2 + 3.2 * random() * random())));
        const path = `${folderOf(tree.root, i, count)}/${tag}${i}${tree.ext}`;
        const withPrefix = tree.placeholderEvery !== undefined && i % tree.placeholderEvery === 0;
        if (withPrefix) addFile(path, placeholderText(random, size, placeholder, 'config', path), 0o644, 'text');
        else if (tree.kind === 'binary') addFile(path, binaryFile(random, size), 0o644);
        else addFile(path, textFile(random, size, `# ${dist} ${path}`), i % 50 === 0 ? 0o755 : 0o644);
      }
    }
    for (const l of def.large ?? []) {
      const size = Math.max(1024, Math.floor(l.mb * 1024 * 1024 * scale));
      addFile(l.path, binaryFile(random, size, l.placeholder ? placeholder : undefined), 0o755, l.placeholder ? 'binary' : undefined);
    }
    for (const s of def.scripts ?? []) addFile(s, placeholderText(random, 2048, placeholder, 'script', s), 0o755, 'text');
    for (const [path, target] of def.links ?? []) {
      entries.push({ name: path, type: 'symlink', linkname: target });
      paths.push({ _path: path, path_type: 'softlink', sha256: createHash('sha256').update(target).digest('hex'), size_in_bytes: target.length });
    }

    const index: Record<string, unknown> = {
      name: def.name,
      version: def.version,
      build: def.build,
      build_number: Number(/_(\d+)$/.exec(def.build)?.[1] ?? 0),
      depends: def.depends ?? [],
      subdir,
      license: 'BSD-3-Clause',
      timestamp: 1700000000000,
      ...(def.noarch ? { noarch: def.noarch } : {}),
    };
    const info: TarEntrySpec[] = [
      { name: 'info/index.json', data: JSON.stringify(index, null, 2) },
      { name: 'info/paths.json', data: JSON.stringify({ paths: paths.sort((a, b) => (a._path! < b._path! ? -1 : 1)), paths_version: 1 }, null, 2) },
      { name: 'info/about.json', data: JSON.stringify({ home: `https://example.org/${def.name}`, license: 'BSD-3-Clause', summary: `${def.name} (generated for the install benchmark)` }, null, 2) },
      { name: 'info/files', data: paths.map((p) => p._path).join('\n') + '\n' },
    ];
    if (placeholders.text + placeholders.binary > 0) {
      const lines = paths.filter((p) => p.prefix_placeholder).map((p) => `${placeholder} ${String(p.file_mode)} ${String(p._path)}`);
      info.push({ name: 'info/has_prefix', data: lines.join('\n') + '\n' });
    }
    if (def.noarch === 'python') info.push({ name: 'info/link.json', data: JSON.stringify({ noarch: { type: 'python', entry_points: def.entryPoints ?? [] }, package_metadata_version: 1 }, null, 2) });

    const pkgZst = zstd(buildTar(entries));
    const infoZst = zstd(buildTar(info));
    const conda = buildZip([
      { name: 'metadata.json', data: Buffer.from('{"conda_pkg_format_version": 2}') },
      { name: `pkg-${dist}.tar.zst`, data: pkgZst },
      { name: `info-${dist}.tar.zst`, data: infoZst },
    ]);
    const fn = `${dist}.conda`;
    writeFileSync(join(channel, subdir, fn), conda);
    mkdirSync(join(payloads, dist), { recursive: true });
    writeFileSync(join(payloads, dist, 'pkg.tar.zst'), pkgZst);
    writeFileSync(join(payloads, dist, 'info.tar.zst'), infoZst);
    repodata[subdir]![fn] = {
      ...index,
      md5: createHash('md5').update(conda).digest('hex'),
      sha256: createHash('sha256').update(conda).digest('hex'),
      size: conda.length,
    };
    const infoBytes = info.reduce((s, e) => s + Buffer.byteLength(e.data ?? ''), 0);
    const fileBytes = entries.reduce((s, e) => s + (e.data === undefined ? 0 : Buffer.byteLength(e.data)), 0);
    out.push({ fn, subdir, dist, name: def.name, files: entries.length + info.length, bytes: fileBytes + infoBytes, size: conda.length, placeholders });
  }
  for (const [subdir, packages] of Object.entries(repodata)) {
    writeFileSync(join(channel, subdir, 'repodata.json'), JSON.stringify({ info: { subdir }, packages: {}, 'packages.conda': packages, repodata_version: 1 }));
  }
  return {
    packages: out,
    files: out.reduce((s, p) => s + p.files, 0),
    bytes: out.reduce((s, p) => s + p.bytes, 0),
    archiveBytes: out.reduce((s, p) => s + p.size, 0),
    channel,
    payloads,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/generate-stack.ts <dir> [megabytes]');
    process.exit(2);
  }
  const t0 = performance.now();
  const stack = writeStack(dir, { megabytes: Number(process.argv[3] ?? 1024) });
  console.log(`${stack.packages.length} packages, ${stack.files} files, ${(stack.bytes / 2 ** 20).toFixed(0)} MB installed, ${(stack.archiveBytes / 2 ** 20).toFixed(0)} MB of .conda, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
