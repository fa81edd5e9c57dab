// The compiled core of the benchmark channel (linux-64): compiler runtimes and OpenMP mutexes, the C
// libraries everything links (each pinned the way its run-exports pin it), openssl 1.1.1 and 3, BLAS
// with openblas and mkl variants, MPI variants of hdf5/netcdf, Python 3.8–3.13 (3.13 also
// free-threaded) with python_abi, numpy 1.x/2.x, and the per-Python extension packages of the
// data-science stack.

import { type BuildCtx, mo, type OutputDef, type RecipeDef, satisfies, type Variant, vs, type World } from './model.ts';
import { cc, type Dep, hist, pyTable, registerNumpyPin, registerOpensslPin, type Simple, simple } from './recipes.ts';

const GLIBC = '__glibc >=2.17,<3.0.a0';
const MPI: readonly Variant[] = [
  { mpi: 'nompi', prefix: 'nompi_' },
  { mpi: 'openmpi', prefix: 'mpi_openmpi_' },
  { mpi: 'mpich', prefix: 'mpi_mpich_' },
];
/** conda-forge gives nompi builds +100 so they are preferred. */
const mpiBuildNumber = (c: BuildCtx): number => c.bn + (c.variant.mpi === 'nompi' ? 100 : 0);
const mpiDep = (c: BuildCtx): Dep => (c.variant.mpi !== 'nompi' ? c.pin(c.variant.mpi!) : undefined);
/** `hdf5 >=1.14.3,<1.14.4.0a0 nompi_*`: the pin plus the variant's build string. */
const withVariant = (c: BuildCtx, name: string): string => `${c.pin(name)} ${c.variant.prefix}*`;

function lib(name: string, versions: string, pin: RecipeDef['pin'], pinned: readonly string[] = [], extra: Partial<Simple> = {}): RecipeDef {
  return simple({ name, kind: 'lib', versions, pin, pinned, ...extra });
}

export function buildNative(w: World): void {
  const b = (r: RecipeDef): void => w.build(r);

  // --- compiler runtimes and OpenMP ---------------------------------------------------------------
  b(simple({ name: '_libgcc_mutex', kind: 'lib', versions: '0.1@2019.10', cc: false, build: () => 'conda_forge', license: 'None', size: [2_000, 4_000] }));
  const gccSplit = (c: BuildCtx): boolean => c.at('>=13.3');
  const gcc: RecipeDef = {
    id: 'gcc', kind: 'lib', license: 'GPL-3.0-only WITH GCC-exception-3.1', licenseFamily: 'GPL',
    versions: vs('9.3.0@2019.10 10.3.0@2021.05 11.2.0@2021.10 12.2.0@2022.09 13.2.0@2023.10 13.3.0@2024.06 14.1.0@2024.06 14.2.0@2024.09'),
    rebuilds: ['2020.07', '2022.01', '2023.03', '2024.10', '2025.02'].map(mo),
    pin: 'min', pinNames: ['libgfortran5'],
    outputs: [
      { name: 'libgomp', depends: (c) => (gccSplit(c) ? [GLIBC] : ['_libgcc_mutex 0.1 conda_forge']) },
      { name: 'libgcc', when: gccSplit, depends: () => [GLIBC, '_openmp_mutex >=4.5'], constrains: (c) => [c.sib('libgomp'), `libgcc-ng ==${c.v}=*_${c.bn}`] },
      {
        name: 'libgcc-ng',
        depends: (c) => (gccSplit(c) ? [c.sib('libgcc')] : ['_libgcc_mutex 0.1 conda_forge', '_openmp_mutex >=4.5']),
        constrains: (c) => (gccSplit(c) ? [] : [c.sib('libgomp')]),
      },
      { name: 'libstdcxx', when: gccSplit, depends: (c) => [GLIBC, c.sib('libgcc')], constrains: (c) => [`libstdcxx-ng ==${c.v}=*_${c.bn}`] },
      { name: 'libstdcxx-ng', depends: (c) => (gccSplit(c) ? [c.sib('libstdcxx')] : [`libgcc-ng >=${c.v}`]) },
      { name: 'libgfortran5', depends: (c) => (gccSplit(c) ? [`libgcc >=${c.v}`] : [`libgcc-ng >=${c.v}`]) },
      { name: 'libgfortran', when: gccSplit, depends: (c) => [c.sib('libgfortran5')], constrains: (c) => [`libgfortran-ng ==${c.v}=*_${c.bn}`] },
      { name: 'libgfortran-ng', depends: (c) => (gccSplit(c) ? [c.sib('libgfortran')] : [c.sib('libgfortran5')]) },
    ],
  };
  b(gcc);
  b(lib('llvm-openmp', '8.0.1@2019.10 11.1.0@2021.02 14.0.6@2022.06 15.0.7@2023.01 16.0.6@2023.06 17.0.6@2023.12 18.1.8@2024.06 19.1.5@2024.12', 'min', [], {
    cc: false, deps: (c) => [c.m >= mo('2024.01') && GLIBC], cons: (c) => [`openmp ${c.v}|${c.v}.*`], license: 'Apache-2.0 WITH LLVM-exception',
  }));
  b({
    id: '_openmp_mutex', kind: 'lib', versions: vs('4.5@2019.10'), license: 'BSD-3-Clause',
    variants: () => [{ omp: 'gnu' }, { omp: 'llvm' }],
    outputs: [{
      name: '_openmp_mutex',
      build: (c) => (c.variant.omp === 'gnu' ? '2_gnu' : '1_kmp_llvm'),
      buildNumber: (c) => (c.variant.omp === 'gnu' ? 2 : 1),
      depends: (c) => (c.variant.omp === 'gnu' ? ['_libgcc_mutex 0.1 conda_forge', 'libgomp >=7.5.0'] : ['llvm-openmp >=9.0.1']),
      constrains: (c) => (c.variant.omp === 'gnu' ? ['openmp_impl 9999'] : []),
      size: [8_000, 30_000],
    }],
  });
  b(lib('ld_impl_linux-64', '2.33.1@2019.10 2.35.1@2020.11 2.36.1@2021.07 2.39@2022.09 2.40@2023.06 2.43@2024.09', 'min', [], {
    cc: false, deps: (c) => [c.m >= mo('2023.06') && GLIBC], cons: (c) => [`binutils_impl_linux-64 ${c.v}`], license: 'GPL-3.0-only',
  }));

  // --- base C libraries -----------------------------------------------------------------------------
  b(lib('ca-certificates', '2019.11.28@2019.11 2020.6.20@2020.06 2020.12.5@2020.12 2021.5.30@2021.06 2021.10.8@2021.10 2022.6.15@2022.06 2022.9.24@2022.09 2022.12.7@2022.12 2023.5.7@2023.05 2023.7.22@2023.07 2023.11.17@2023.11 2024.2.2@2024.02 2024.7.4@2024.07 2024.8.30@2024.08 2024.12.14@2024.12 2025.1.31@2025.01 2025.4.26@2025.04', 'none', [], { cc: false, license: 'ISC' }));
  const ssl111 = vs('1.1.1d@2019.10 1.1.1f@2020.04 1.1.1g@2020.05 1.1.1h@2020.09 1.1.1i@2020.12 1.1.1k@2021.03 1.1.1l@2021.08 1.1.1n@2022.03 1.1.1o@2022.05 1.1.1q@2022.07 1.1.1s@2022.11 1.1.1t@2023.02 1.1.1u@2023.05 1.1.1w@2023.09');
  const ssl3 = vs('3.0.0@2021.09 3.0.5@2022.07 3.0.7@2022.11 3.1.0@2023.03 3.1.4@2023.10 3.2.0@2023.11 3.2.1@2024.01 3.3.0@2024.04 3.3.1@2024.06 3.3.2@2024.09 3.4.0@2024.10 3.4.1@2025.02 3.5.0@2025.04');
  registerOpensslPin(w, ssl111, ssl3);
  b(simple({ id: 'openssl-1.1.1', name: 'openssl', kind: 'lib', versions: ssl111, deps: () => ['ca-certificates'], license: 'OpenSSL', until: '2024.01', size: [2_000_000, 3_000_000] }));
  b(simple({ id: 'openssl-3', name: 'openssl', kind: 'lib', versions: ssl3, deps: () => ['ca-certificates'], license: 'Apache-2.0', rebuilds: ['2024.11'], size: [2_500_000, 3_500_000] }));

  b(simple({
    id: 'zlib', name: 'libzlib', kind: 'lib', versions: '1.2.11@2019.10 1.2.12@2022.04 1.2.13@2022.10 1.3@2023.08 1.3.1@2024.01', pin: 'x', license: 'Zlib', licenseFamily: 'Other',
    rebuilds: ['2021.01'], cons: (c) => [`zlib ${c.v} *_${c.bn}`],
    more: [{ name: 'zlib', depends: (c) => [c.sib('libzlib'), ...cc(c)], license: 'Zlib' }],
  }));
  b(lib('bzip2', '1.0.8@2019.10', 'x', [], { rebuilds: ['2020.11', '2021.09', '2023.04', '2024.06'], license: 'bzip2-1.0.6' }));
  b(lib('xz', '5.2.4@2019.10 5.2.5@2020.04 5.2.6@2022.08 5.4.2@2023.03 5.4.6@2024.01', 'x', [], { until: '2024.05', license: 'LGPL-2.1 and GPL-2.0' }));
  b(lib('liblzma', '5.6.2@2024.05 5.6.3@2024.10 5.6.4@2025.02 5.8.1@2025.04', 'x', [], { license: '0BSD' }));
  b(lib('libffi', '3.2.1@2019.10 3.3@2020.02 3.4.2@2021.09 3.4.6@2024.03', 'x', [], { license: 'MIT' }));
  b(lib('ncurses', '6.1@2019.10 6.2@2020.03 6.3@2021.11 6.4@2023.01 6.4.20240210@2024.02 6.5@2024.05', 'x', [], { license: 'X11 AND BSD-3-Clause' }));
  b(lib('readline', '8.0@2019.10 8.1@2021.01 8.1.2@2022.06 8.2@2022.10', 'x', ['ncurses'], { license: 'GPL-3.0-only' }));
  b(lib('tk', '8.6.9@2019.10 8.6.10@2019.12 8.6.11@2021.01 8.6.12@2021.11 8.6.13@2023.03', 'x.x', ['libzlib'], { license: 'TCL' }));
  b(lib('libsqlite', '3.30.1@2019.10 3.35.5@2021.04 3.39.2@2022.08 3.40.0@2022.11 3.42.0@2023.05 3.45.2@2024.03 3.46.0@2024.06 3.47.0@2024.10 3.48.0@2025.01 3.49.1@2025.03', 'x', ['libzlib'], { license: 'Unlicense' }));
  b(lib('libuuid', '2.32.1@2019.10 2.38.1@2022.08', 'x', [], { license: 'BSD-3-Clause' }));
  b(lib('libnsl', '2.0.0@2020.06 2.0.1@2023.09', 'x.x', [], { license: 'LGPL-2.1-only' }));
  b(lib('libxcrypt', '4.4.28@2022.06 4.4.36@2023.09', 'min', [], { license: 'LGPL-2.1-or-later' }));
  b(lib('libexpat', '2.5.0@2023.03 2.6.2@2024.03 2.6.4@2024.11 2.7.0@2025.03', 'x', [], { license: 'MIT' }));
  b(lib('libmpdec', '4.0.0@2024.07', 'x', [], { license: 'BSD-2-Clause' }));
  b(simple({ name: 'tzdata', kind: 'noarch', noarch: 'generic', versions: '2019c@2019.10 2020a@2020.04 2020f@2020.12 2021a@2021.02 2021e@2021.10 2022a@2022.03 2022g@2022.11 2023c@2023.03 2024a@2024.02 2024b@2024.09 2025a@2025.01 2025b@2025.03', license: 'LicenseRef-Public-Domain' }));
  b(lib('zstd', '1.4.5@2019.10 1.4.9@2021.03 1.5.0@2021.05 1.5.2@2022.01 1.5.5@2023.04 1.5.6@2024.04 1.5.7@2025.02', 'x.x', ['libzlib'], { cc: { cxx: true }, license: 'BSD-3-Clause' }));
  b(lib('lz4-c', '1.9.2@2019.10 1.9.3@2020.11 1.9.4@2022.08 1.10.0@2024.12', 'x.x', [], { cc: { cxx: true } }));
  b(lib('snappy', '1.1.8@2019.10 1.1.9@2021.05 1.1.10@2023.03 1.2.1@2024.06', 'x.x', [], { cc: { cxx: true } }));
  b({
    id: 'brotli', kind: 'lib', versions: vs('1.0.7@2019.10 1.0.9@2020.09 1.1.0@2023.09'), license: 'MIT', pin: 'x.x',
    pinNames: ['libbrotlidec', 'libbrotlienc', 'libbrotlicommon'], rebuilds: ['2024.07'].map(mo),
    outputs: [
      { name: 'libbrotlicommon', depends: (c) => cc(c) },
      { name: 'libbrotlidec', depends: (c) => [c.sib('libbrotlicommon'), ...cc(c)] },
      { name: 'libbrotlienc', depends: (c) => [c.sib('libbrotlicommon'), ...cc(c)] },
      { name: 'brotli-bin', depends: (c) => [c.sib('libbrotlidec'), c.sib('libbrotlienc'), ...cc(c)] },
      { name: 'brotli', depends: (c) => [c.sib('brotli-bin'), c.sib('libbrotlidec'), c.sib('libbrotlienc'), ...cc(c)] },
    ],
  });
  b(lib('libpng', '1.6.37@2019.10 1.6.38@2022.09 1.6.39@2022.12 1.6.43@2024.03 1.6.44@2024.09 1.6.47@2025.02', 'x.x', ['libzlib'], { license: 'zlib-acknowledgement' }));
  b(lib('libjpeg-turbo', '2.0.3@2019.10 2.1.4@2022.08 2.1.5.1@2023.03 3.0.0@2023.08 3.1.0@2025.01', 'x', [], { license: 'IJG AND BSD-3-Clause AND Zlib' }));
  b(lib('libwebp-base', '1.0.2@2019.10 1.2.0@2021.01 1.2.4@2022.08 1.3.2@2023.09 1.4.0@2024.04 1.5.0@2024.12', 'x'));
  b(lib('libdeflate', '1.14@2022.09 1.17@2023.01 1.19@2023.08 1.20@2024.03 1.22@2024.09 1.23@2024.12', 'x.x', [], { license: 'MIT' }));
  b(lib('libtiff', '4.0.10@2019.10 4.1.0@2019.11 4.2.0@2021.01 4.4.0@2022.06 4.5.0@2023.01 4.6.0@2023.09 4.7.0@2024.09', 'x.x', ['libjpeg-turbo', 'libwebp-base', 'libzlib', 'zstd'], {
    cc: { cxx: true }, host: ['xz', 'liblzma', 'libdeflate'],
    deps: (c) => [c.pin(c.m >= mo('2024.05') ? 'liblzma' : 'xz'), c.m >= mo('2022.09') && c.pin('libdeflate')], license: 'HPND',
  }));
  b(lib('freetype', '2.10.2@2019.10 2.10.4@2020.10 2.12.1@2022.06 2.13.2@2023.09 2.13.3@2024.09', 'x', ['libpng', 'libzlib'], { license: 'GPL-2.0-only OR FTL' }));
  b(lib('lcms2', '2.9@2019.10 2.11@2020.06 2.12@2021.02 2.14@2022.11 2.15@2023.03 2.16@2023.12 2.17@2025.02', 'x', ['libjpeg-turbo', 'libtiff'], { license: 'MIT' }));
  b(lib('openjpeg', '2.3.1@2019.10 2.4.0@2021.01 2.5.0@2022.06 2.5.2@2024.03 2.5.3@2024.12', 'x', ['libpng', 'libtiff', 'libzlib'], { cc: { cxx: true }, license: 'BSD-2-Clause' }));
  b(lib('icu', '64.2@2019.10 68.1@2020.11 69.1@2021.06 70.1@2022.01 72.1@2022.12 73.2@2023.07 75.1@2024.06', 'x', [], { cc: { cxx: true }, license: 'MIT' }));
  b(lib('libiconv', '1.16@2019.10 1.17@2022.08 1.18@2025.01', 'x', [], { license: 'LGPL-2.1-only' }));
  b(lib('libxml2', '2.9.9@2019.10 2.9.10@2019.11 2.9.12@2021.06 2.9.14@2022.05 2.10.3@2022.11 2.11.5@2023.08 2.12.7@2024.05 2.13.5@2024.11', 'x.x', ['icu', 'libiconv', 'libzlib'], {
    host: ['xz', 'liblzma'], deps: (c) => [c.pin(c.m >= mo('2024.05') ? 'liblzma' : 'xz')], license: 'MIT',
  }));
  b(lib('libxslt', '1.1.33@2019.10 1.1.37@2022.11 1.1.39@2023.11', 'x', ['libxml2'], { license: 'MIT' }));
  b(lib('c-ares', '1.15.0@2019.10 1.16.1@2020.06 1.17.1@2020.12 1.18.1@2021.11 1.19.1@2023.05 1.28.1@2024.04 1.34.4@2024.12', 'x', [], { license: 'MIT' }));
  b(lib('libev', '4.27@2019.10 4.33@2020.03', 'x'));
  b(lib('libnghttp2', '1.39.2@2019.10 1.41.0@2020.06 1.43.0@2021.03 1.51.0@2023.01 1.58.0@2023.11 1.64.0@2024.10', 'x', ['c-ares', 'libev', 'libzlib', 'openssl'], { cc: { cxx: true }, license: 'MIT' }));
  b(lib('libssh2', '1.9.0@2019.10 1.10.0@2021.09 1.11.0@2023.06 1.11.1@2024.11', 'x', ['libzlib', 'openssl']));
  b(lib('krb5', '1.17.1@2019.10 1.19.3@2022.03 1.20.1@2022.11 1.21.3@2024.07', 'x.x', ['openssl'], { cc: { cxx: true }, license: 'MIT' }));
  b(lib('libcurl', '7.65.3@2019.10 7.71.1@2020.07 7.76.1@2021.04 7.86.0@2022.11 8.1.2@2023.06 8.5.0@2023.12 8.8.0@2024.06 8.11.1@2024.12 8.12.1@2025.02', 'x', ['krb5', 'libnghttp2', 'libssh2', 'libzlib', 'openssl', 'zstd'], { license: 'curl' }));
  b(lib('libaec', '1.0.4@2019.10 1.0.6@2021.09 1.1.2@2023.09 1.1.3@2024.03', 'x', [], { cc: { cxx: true }, license: 'BSD-2-Clause' }));
  b(lib('openmpi', '4.0.2@2019.10 4.0.5@2020.08 4.1.4@2022.06 4.1.6@2023.10 5.0.6@2024.12', 'x', ['libzlib'], { cc: { cxx: true, fortran: true } }));
  b(lib('mpich', '3.3.1@2019.10 3.3.2@2019.11 4.0.3@2022.11 4.2.3@2024.10', 'x', [], { cc: { cxx: true, fortran: true }, license: 'LicenseRef-MPICH' }));
  b(lib('hdf5', '1.10.5@2019.10 1.10.6@2020.06 1.12.1@2021.07 1.12.2@2022.08 1.14.0@2023.01 1.14.2@2023.08 1.14.3@2023.11 1.14.4@2024.05', 'x.x.x', ['libaec', 'libcurl', 'libzlib', 'openssl'], {
    cc: { cxx: true, fortran: true }, variants: () => MPI, buildNumber: mpiBuildNumber, host: ['openmpi', 'mpich'], deps: (c) => [mpiDep(c)],
  }));
  b(lib('libzip', '1.5.2@2019.10 1.7.3@2020.08 1.9.2@2022.07 1.10.1@2023.08 1.11.2@2024.11', 'x.x', ['bzip2', 'libzlib', 'openssl', 'zstd']));
  b(lib('libnetcdf', '4.7.3@2019.10 4.7.4@2020.06 4.8.1@2021.09 4.9.1@2023.01 4.9.2@2023.04', 'x.x.x', ['libcurl', 'libxml2', 'libzip', 'libzlib', 'zstd', 'bzip2'], {
    cc: { cxx: true }, variants: () => MPI, buildNumber: mpiBuildNumber, host: ['hdf5', 'openmpi', 'mpich'],
    deps: (c) => [withVariant(c, 'hdf5'), mpiDep(c)], license: 'MIT',
  }));
  b(lib('qhull', '2019.1@2019.10 2020.2@2020.09', 'x.x', [], { cc: { cxx: true }, license: 'LicenseRef-Qhull' }));
  b(lib('yaml', '0.1.7@2019.10 0.2.5@2020.06', 'x.x', [], { license: 'MIT' }));
  b(lib('libuv', '1.34.0@2019.12 1.40.0@2020.10 1.44.2@2022.08 1.48.0@2024.03 1.49.2@2024.10', 'x', [], { license: 'MIT' }));
  b(lib('libsodium', '1.0.17@2019.10 1.0.18@2020.06 1.0.20@2024.06', 'x.x.x', [], { license: 'ISC' }));
  b(lib('zeromq', '4.3.2@2019.10 4.3.4@2021.01 4.3.5@2023.10', 'x.x', ['libsodium'], { cc: { cxx: true }, license: 'MPL-2.0' }));
  b(lib('gmp', '6.1.2@2019.10 6.2.1@2020.11 6.3.0@2023.08', 'x', [], { cc: { cxx: true }, license: 'GPL-2.0-or-later AND LGPL-3.0-or-later' }));
  b(lib('mpfr', '4.0.2@2019.10 4.1.0@2020.07 4.2.1@2023.08', 'x', ['gmp'], { license: 'LGPL-3.0-only' }));
  b(lib('mpc', '1.1.0@2019.10 1.2.1@2020.11 1.3.1@2023.02', 'x', ['gmp', 'mpfr'], { license: 'LGPL-3.0-or-later' }));
  for (const [name, v] of [['libllvm10', '10.0.1@2019.10'], ['libllvm11', '11.1.0@2021.04'], ['libllvm14', '14.0.6@2022.06'], ['libllvm15', '15.0.7@2023.01']] as const) {
    b(lib(name, v, 'x.x', ['libzlib'], { cc: { cxx: true }, host: ['zstd'], deps: (c) => [c.at('>=14') && c.pin('zstd')], license: 'Apache-2.0 WITH LLVM-exception', size: [20_000_000, 40_000_000] }));
  }
  b(lib('gflags', '2.2.2@2019.10', 'x.x', [], { cc: { cxx: true } }));
  b(lib('glog', '0.4.0@2019.10 0.6.0@2022.04 0.7.1@2024.06', 'x.x', ['gflags'], { cc: { cxx: true } }));
  b(lib('libabseil', '20200225.2@2019.10 20210324.2@2021.06 20211102.0@2022.01 20220623.0@2022.08 20230125.3@2023.04 20230802.1@2023.10 20240116.2@2024.03 20240722.0@2024.09', 'x', [], {
    cc: { cxx: true }, build: (_c, h, bn) => `cxx17_h${h}_${bn}`, license: 'Apache-2.0',
  }));
  b(lib('libprotobuf', '3.11.4@2019.10 3.16.0@2021.06 3.20.3@2022.10 3.21.12@2023.01 4.23.4@2023.08 4.25.3@2024.03 5.27.5@2024.09 5.28.3@2024.12', 'x.x.x', ['libzlib', 'libabseil'], { cc: { cxx: true } }));
  b(lib('libthrift', '0.13.0@2019.10 0.15.0@2021.10 0.16.0@2022.03 0.18.1@2023.03 0.19.0@2023.08 0.20.0@2024.07 0.21.0@2024.12', 'x.x.x', ['libzlib', 'openssl'], { cc: { cxx: true }, license: 'Apache-2.0' }));
  b(lib('tbb', '2020.2@2019.10 2021.5.0@2021.12 2021.7.0@2022.10 2021.10.0@2023.08 2021.13.0@2024.07', 'x', [], { cc: { cxx: true }, license: 'Apache-2.0' }));
  b(lib('mkl', '2019.5@2019.10 2020.0@2019.12 2020.4@2020.11 2021.4.0@2021.11 2022.1.0@2022.06 2022.2.1@2022.12 2023.2.0@2023.08 2024.2.2@2024.10', 'x', [], {
    cc: { cxx: true }, license: 'LicenseRef-IntelSimplifiedSoftwareOct2022', licenseFamily: 'Proprietary', size: [100_000_000, 150_000_000],
    host: ['llvm-openmp'], deps: (c) => ['_openmp_mutex * *_llvm', '_openmp_mutex >=4.5', c.pin('llvm-openmp'), c.at('>=2021') && 'tbb 2021.*'],
  }));
  b(lib('libopenblas', '0.3.7@2019.10 0.3.10@2020.06 0.3.12@2020.10 0.3.15@2021.05 0.3.18@2021.10 0.3.20@2022.03 0.3.21@2022.08 0.3.23@2023.04 0.3.25@2023.11 0.3.27@2024.04 0.3.28@2024.08 0.3.29@2025.01', 'x.x.x', [], {
    cc: { fortran: true },
    variants: (m) => (m >= mo('2021.06') ? [{ thr: 'pthreads', prefix: 'pthreads_' }, { thr: 'openmp', prefix: 'openmp_' }] : [{ thr: 'pthreads', prefix: 'pthreads_' }]),
    deps: (c) => (c.variant.thr === 'openmp' ? ['_openmp_mutex * *_llvm', '_openmp_mutex >=4.5', c.pin('llvm-openmp')] : []),
    trackFeatures: (c) => (c.variant.thr === 'openmp' ? 'openblas_threading_openmp' : undefined),
    cons: (c) => [`openblas >=${c.v},<${c.v.split('.').slice(0, 2).join('.')}.${Number(c.v.split('.')[2]) + 1}.0a0`],
  }));
  b(blas());

  // --- Python ---------------------------------------------------------------------------------------
  const pythonVersions: Record<number, string> = {
    38: '3.8.0@2019.10 3.8.1@2019.12 3.8.2@2020.02 3.8.3@2020.05 3.8.5@2020.07 3.8.6@2020.09 3.8.8@2021.02 3.8.10@2021.05 3.8.12@2021.09 3.8.13@2022.03 3.8.15@2022.10 3.8.16@2022.12 3.8.17@2023.06 3.8.18@2023.08 3.8.19@2024.03 3.8.20@2024.09',
    39: '3.9.0@2020.10 3.9.1@2020.12 3.9.2@2021.02 3.9.4@2021.04 3.9.5@2021.05 3.9.6@2021.06 3.9.7@2021.08 3.9.9@2021.11 3.9.10@2022.01 3.9.12@2022.03 3.9.13@2022.05 3.9.15@2022.10 3.9.16@2022.12 3.9.17@2023.06 3.9.18@2023.08 3.9.19@2024.03 3.9.20@2024.09 3.9.21@2024.12',
    310: '3.10.0@2021.10 3.10.1@2021.12 3.10.2@2022.01 3.10.4@2022.03 3.10.5@2022.06 3.10.6@2022.08 3.10.8@2022.10 3.10.9@2022.12 3.10.10@2023.02 3.10.11@2023.04 3.10.12@2023.06 3.10.13@2023.08 3.10.14@2024.03 3.10.15@2024.09 3.10.16@2024.12',
    311: '3.11.0@2022.10 3.11.1@2022.12 3.11.2@2023.02 3.11.3@2023.04 3.11.4@2023.06 3.11.5@2023.08 3.11.6@2023.10 3.11.7@2023.12 3.11.8@2024.02 3.11.9@2024.04 3.11.10@2024.09 3.11.11@2024.12',
    312: '3.12.0@2023.10 3.12.1@2023.12 3.12.2@2024.02 3.12.3@2024.04 3.12.4@2024.06 3.12.5@2024.08 3.12.6@2024.09 3.12.7@2024.10 3.12.8@2024.12 3.12.9@2025.02 3.12.10@2025.04',
    313: '3.13.0@2024.10 3.13.1@2024.12 3.13.2@2025.02 3.13.3@2025.04',
  };
  for (const p of [38, 39, 310, 311, 312, 313]) {
    b(pythonAbi(p, pythonVersions[p]!.split(' ')[0]!.split('@')[1]!));
    b(python(p, pythonVersions[p]!));
  }

  // --- numpy and the compiled Python stack ----------------------------------------------------------
  b(numpy());
  registerNumpyPin(w);
  const ext = (name: string, versions: string | ReturnType<typeof vs>, opts: Partial<Simple> = {}): void => {
    b(simple({ name, kind: 'pyext', versions, ...opts }));
  };
  const NP = ['numpy'];
  const blasPins = ['libblas', 'libcblas', 'liblapack'];

  ext('scipy', '1.3.1@2019.10 1.4.1@2020.01 1.5.2@2020.08 1.5.3@2020.10 1.6.0@2021.01 1.6.3@2021.05 1.7.1@2021.08 1.7.3@2021.11 1.8.0@2022.02 1.8.1@2022.05 1.9.1@2022.09 1.9.2@2022.10 1.9.3@2022.10 1.10.0@2023.01 1.10.1@2023.02 1.11.1@2023.07 1.11.3@2023.10 1.11.4@2023.11 1.12.0@2024.01 1.13.0@2024.04 1.13.1@2024.05 1.14.0@2024.07 1.14.1@2024.08 1.15.0@2025.01 1.15.1@2025.01 1.15.2@2025.02', {
    cc: { cxx: true, fortran: true }, pinned: [...blasPins, ...NP],
    pythons: pyTable([['1.3', [38, 38]], ['1.4', [38, 38]], ['1.5', [38, 39]], ['1.6', [38, 39]], ['1.7', [38, 310]], ['1.8', [38, 310]], ['1.9', [38, 311]], ['1.10', [38, 311]], ['1.11', [39, 312]], ['1.12', [39, 312]], ['1.13', [39, 312]], ['1.14', [310, 313]], ['1.15', [310, 313]]]),
    deps: (c) => [
      c.at('1.11.*') && 'numpy >=1.21.6,<1.28', c.at('1.12.*') && 'numpy >=1.22.4,<1.29', c.at('1.13.*') && 'numpy >=1.22.4,<2.3',
      c.at('1.14.*') && 'numpy <2.3,>=1.23.5', c.at('1.15.*') && 'numpy <2.5,>=1.23.5',
    ],
  });
  ext('pandas', '0.25.2@2019.10 0.25.3@2019.11 1.0.1@2020.02 1.0.3@2020.03 1.0.5@2020.06 1.1.0@2020.07 1.1.3@2020.10 1.1.5@2020.12 1.2.0@2020.12 1.2.3@2021.03 1.2.5@2021.06 1.3.0@2021.07 1.3.3@2021.09 1.3.5@2021.12 1.4.0@2022.01 1.4.2@2022.04 1.4.4@2022.08 1.5.0@2022.09 1.5.2@2022.11 1.5.3@2023.01 2.0.0@2023.04 2.0.1@2023.04 2.0.2@2023.05 2.0.3@2023.06 2.1.0@2023.08 2.1.1@2023.09 2.1.3@2023.11 2.1.4@2023.12 2.2.0@2024.01 2.2.1@2024.02 2.2.2@2024.04 2.2.3@2024.09', {
    cc: { cxx: true }, pinned: NP,
    pythons: pyTable([['0.25', [38, 38]], ['1.0', [38, 38]], ['1.1', [38, 39]], ['1.2', [38, 39]], ['1.3', [38, 310]], ['1.4', [38, 310]], ['1.5', [38, 311]], ['2.0', [38, 311]], ['2.1', [39, 312]], ['2.2', [39, 313]]]),
    deps: (c) => [
      c.at('<1.1') ? 'python-dateutil >=2.6.1' : c.at('<2') ? 'python-dateutil >=2.7.3' : 'python-dateutil >=2.8.2',
      c.at('<1.2') ? 'pytz >=2017.2' : 'pytz >=2020.1',
      c.at('>=2') && 'python-tzdata >=2022.7', c.at('>=2.2') && 'numpy >=1.22.4',
    ],
    cons: (c) => (c.at('<2') ? [] : [
      'pyarrow >=10.0.1', 'sqlalchemy >=2.0.0', 'matplotlib-base >=3.6.3', 'scipy >=1.10.0', 'numba >=0.56.4', 'xarray >=2022.12.0',
      'lxml >=4.9.2', 'jinja2 >=3.1.2', 'beautifulsoup4 >=4.11.2', 'fsspec >=2022.11.0', 'pytables >=3.8.0',
    ]),
  });
  ext('scikit-learn', '0.21.3@2019.10 0.22@2019.12 0.22.1@2020.01 0.22.2@2020.03 0.23.1@2020.05 0.23.2@2020.08 0.24.0@2020.12 0.24.1@2021.01 0.24.2@2021.04 1.0@2021.09 1.0.1@2021.10 1.0.2@2021.12 1.1.1@2022.05 1.1.2@2022.08 1.1.3@2022.10 1.2.0@2022.12 1.2.1@2023.01 1.2.2@2023.03 1.3.0@2023.06 1.3.1@2023.09 1.3.2@2023.10 1.4.0@2024.01 1.4.1@2024.02 1.4.2@2024.04 1.5.0@2024.05 1.5.1@2024.07 1.5.2@2024.09 1.6.0@2024.12 1.6.1@2025.01', {
    cc: { cxx: true, openmp: true }, pinned: NP,
    pythons: pyTable([['0.21', [38, 38]], ['0.22', [38, 38]], ['0.23', [38, 38]], ['0.24', [38, 39]], ['1.0', [38, 310]], ['1.1', [38, 310]], ['1.2', [38, 311]], ['1.3', [38, 312]], ['1.4', [39, 312]], ['1.5', [39, 313]], ['1.6', [39, 313]]]),
    deps: (c) => [
      c.at('<0.24') ? 'scipy' : c.at('<1.3') ? 'scipy >=0.19.1' : c.at('<1.6') ? 'scipy >=1.5.0' : 'scipy >=1.6.0',
      c.at('<1.3') ? 'joblib >=0.11' : c.at('<1.5') ? 'joblib >=1.1.1' : 'joblib >=1.2.0',
      c.at('<1.5') ? 'threadpoolctl >=2.0.0' : 'threadpoolctl >=3.1.0',
      c.at('>=1.6') && 'numpy >=1.19.5',
    ],
  });
  ext('kiwisolver', '1.1.0@2019.10 1.2.0@2020.04 1.3.0@2020.11 1.3.1@2020.11 1.3.2@2021.08 1.4.0@2022.03 1.4.2@2022.03 1.4.4@2022.07 1.4.5@2023.08 1.4.7@2024.09 1.4.8@2024.12', { cc: { cxx: true } });
  ext('contourpy', '1.0.5@2022.09 1.0.6@2022.11 1.0.7@2023.01 1.1.0@2023.06 1.1.1@2023.09 1.2.0@2023.11 1.2.1@2024.04 1.3.0@2024.07 1.3.1@2024.11', {
    cc: { cxx: true }, pinned: NP, deps: (c) => [c.at('<1.1') ? 'numpy >=1.16' : c.at('<1.3') ? 'numpy >=1.20' : 'numpy >=1.23'],
  });
  ext('unicodedata2', '12.1.0@2019.10 13.0.0@2020.03 14.0.0@2021.09 15.0.0@2022.09 15.1.0@2023.09 16.0.0@2024.09', { license: 'Apache-2.0' });
  ext('fonttools', hist('4.10.2', '4.56.0', 40, '2020.05', '2025.02'), {
    deps: (c) => ['brotli', 'munkres', c.m >= mo('2021.10') ? 'unicodedata2 >=14.0.0' : 'unicodedata2 >=12.1.0'], license: 'MIT',
  });
  ext('pillow', '6.2.1@2019.10 7.0.0@2020.01 7.2.0@2020.07 8.0.1@2020.10 8.1.0@2021.01 8.2.0@2021.04 8.3.2@2021.09 8.4.0@2021.10 9.0.1@2022.02 9.1.1@2022.05 9.2.0@2022.07 9.4.0@2023.01 9.5.0@2023.04 10.0.1@2023.09 10.1.0@2023.10 10.2.0@2024.01 10.3.0@2024.04 10.4.0@2024.07 11.0.0@2024.10 11.1.0@2025.01', {
    pinned: ['freetype', 'lcms2', 'libjpeg-turbo', 'libtiff', 'libwebp-base', 'libzlib', 'openjpeg', 'tk'], license: 'HPND',
  });
  ext('matplotlib-base', '3.1.1@2019.10 3.1.2@2019.12 3.1.3@2020.02 3.2.1@2020.04 3.2.2@2020.06 3.3.1@2020.08 3.3.2@2020.09 3.3.3@2020.11 3.3.4@2021.01 3.4.1@2021.04 3.4.2@2021.05 3.4.3@2021.08 3.5.0@2021.11 3.5.1@2021.12 3.5.2@2022.05 3.5.3@2022.08 3.6.0@2022.09 3.6.2@2022.11 3.6.3@2023.01 3.7.0@2023.02 3.7.1@2023.03 3.7.2@2023.07 3.7.3@2023.09 3.8.0@2023.09 3.8.2@2023.11 3.8.3@2024.02 3.8.4@2024.04 3.9.0@2024.05 3.9.1@2024.07 3.9.2@2024.08 3.9.3@2024.12 3.9.4@2024.12 3.10.0@2024.12 3.10.1@2025.03', {
    cc: { cxx: true }, pinned: ['freetype', 'tk', ...NP], host: ['qhull'], license: 'PSF-2.0', licenseFamily: 'PSF',
    pythons: pyTable([['3.1', [38, 38]], ['3.2', [38, 38]], ['3.3', [38, 39]], ['3.4', [38, 39]], ['3.5', [38, 311]], ['3.6', [38, 311]], ['3.7', [38, 312]], ['3.8', [39, 312]], ['3.9', [39, 313]], ['3.10', [310, 313]]]),
    deps: (c) => [
      c.at('>=3.3,<3.6') && 'certifi >=2020.06.20', c.at('>=3.6') && 'contourpy >=1.0.1', 'cycler >=0.10', c.at('>=3.5') && 'fonttools >=4.22.0',
      c.at('<3.8') ? 'kiwisolver >=1.0.1' : 'kiwisolver >=1.3.1', c.at('>=3.9') ? 'numpy >=1.23' : c.at('>=3.6') && 'numpy >=1.21',
      c.at('>=3.5') && 'packaging >=20.0', c.at('<3.6') ? 'pillow >=6.2.0' : 'pillow >=8',
      c.at('<3.5') ? 'pyparsing >=2.0.3,!=2.0.4,!=2.1.2,!=2.1.6' : 'pyparsing >=2.3.1', 'python-dateutil >=2.7', c.at('>=3.4') && c.pin('qhull'),
    ],
  });
  const llvmliteFor = (v: string): string => (
    satisfies(v, '<0.37') ? 'libllvm10' : satisfies(v, '<0.39') ? 'libllvm11' : satisfies(v, '<0.43') ? 'libllvm14' : 'libllvm15'
  );
  ext('llvmlite', '0.30.0@2019.10 0.31.0@2020.01 0.32.1@2020.05 0.33.0@2020.06 0.34.0@2020.08 0.35.0@2020.12 0.36.0@2021.03 0.37.0@2021.08 0.38.0@2022.01 0.38.1@2022.05 0.39.1@2022.09 0.40.0@2023.05 0.40.1@2023.06 0.41.0@2023.09 0.41.1@2023.10 0.42.0@2024.01 0.43.0@2024.06 0.44.0@2025.01', {
    cc: { cxx: true }, pinned: ['libzlib'], host: ['libllvm10', 'libllvm11', 'libllvm14', 'libllvm15', 'zstd'], license: 'BSD-2-Clause',
    pythons: pyTable([['0.30', [38, 38]], ['0.31', [38, 38]], ['0.32', [38, 38]], ['0.33', [38, 38]], ['0.34', [38, 38]], ['0.35', [38, 39]], ['0.36', [38, 39]], ['0.37', [38, 39]], ['0.38', [38, 310]], ['0.39', [38, 310]], ['0.40', [38, 311]], ['0.41', [38, 312]], ['0.42', [39, 312]], ['0.43', [39, 312]], ['0.44', [310, 313]]]),
    deps: (c) => [c.pin(llvmliteFor(c.v)), c.at('>=0.39') && c.pin('zstd')],
  });
  const numbaLlvmlite: Record<string, string> = { '0.46': '0.30', '0.47': '0.31', '0.48': '0.31', '0.49': '0.32', '0.50': '0.33', '0.51': '0.34', '0.52': '0.35', '0.53': '0.36', '0.54': '0.37', '0.55': '0.38', '0.56': '0.39', '0.57': '0.40', '0.58': '0.41', '0.59': '0.42', '0.60': '0.43', '0.61': '0.44' };
  const numbaNumpy: Record<string, string> = { '0.53': 'numpy >=1.15,<1.21', '0.54': 'numpy >=1.17,<1.21', '0.55': 'numpy >=1.18,<1.22', '0.56': 'numpy >=1.18,<1.24', '0.57': 'numpy >=1.21,<1.25', '0.58': 'numpy >=1.22,<1.27', '0.59': 'numpy >=1.22,<1.27', '0.60': 'numpy >=1.22,<2.1', '0.61': 'numpy >=1.24,<2.2' };
  ext('numba', '0.46.0@2019.10 0.47.0@2020.01 0.48.0@2020.01 0.49.1@2020.05 0.50.1@2020.06 0.51.2@2020.09 0.52.0@2020.12 0.53.1@2021.04 0.54.1@2021.10 0.55.1@2022.01 0.55.2@2022.05 0.56.2@2022.09 0.56.4@2022.11 0.57.0@2023.05 0.57.1@2023.06 0.58.0@2023.09 0.58.1@2023.10 0.59.0@2024.02 0.59.1@2024.03 0.60.0@2024.06 0.61.0@2025.01 0.61.2@2025.04', {
    cc: { cxx: true, openmp: true }, pinned: NP, license: 'BSD-2-Clause',
    pythons: pyTable([['0.46', [38, 38]], ['0.47', [38, 38]], ['0.48', [38, 38]], ['0.49', [38, 38]], ['0.50', [38, 38]], ['0.51', [38, 38]], ['0.52', [38, 39]], ['0.53', [38, 39]], ['0.54', [38, 39]], ['0.55', [38, 310]], ['0.56', [38, 310]], ['0.57', [38, 311]], ['0.58', [38, 312]], ['0.59', [39, 312]], ['0.60', [39, 312]], ['0.61', [310, 313]]]),
    deps: (c) => {
      const mm = c.v.split('.').slice(0, 2).join('.');
      const l = numbaLlvmlite[mm]!;
      const next = `0.${Number(l.split('.')[1]) + 1}`;
      return [`llvmlite >=${l}.0,<${next}.0a0`, numbaNumpy[mm] ?? 'numpy >=1.15'];
    },
    cons: () => ['scipy >=1.0', 'tbb >=2021.6.0', 'cudatoolkit >=11.2', 'libopenblas !=0.3.6', 'cuda-version >=11.2'],
  });

  // arrow: the C++ libraries and pyarrow share versions
  const arrowVersions = vs('0.15.1@2019.10 0.16.0@2020.02 0.17.1@2020.05 1.0.1@2020.08 2.0.0@2020.10 3.0.0@2021.01 4.0.1@2021.05 5.0.0@2021.07 6.0.1@2021.11 7.0.0@2022.02 8.0.1@2022.05 9.0.0@2022.08 10.0.1@2022.11 11.0.0@2023.01 12.0.1@2023.06 13.0.0@2023.08 14.0.2@2023.12 15.0.2@2024.03 16.1.0@2024.05 17.0.0@2024.07 18.1.0@2024.11 19.0.1@2025.02');
  const arrowPinned = ['libabseil', 'libprotobuf', 'zstd', 'lz4-c', 'snappy', 'bzip2', 'libbrotlidec', 'libbrotlienc', 'libzlib', 'libcurl', 'glog'];
  const cpu = (_c: BuildCtx, h: string, bn: number): string => `h${h}_${bn}_cpu`;
  b({
    id: 'arrow-cpp', kind: 'lib', versions: arrowVersions, license: 'Apache-2.0', licenseFamily: 'APACHE',
    host: [...arrowPinned, 'libthrift', 'openssl'], size: [5_000_000, 9_000_000],
    outputs: [
      {
        name: 'libarrow', build: cpu,
        depends: (c) => [...cc(c, { cxx: true }), ...arrowPinned.map((n) => c.pin(n)), 'libabseil * cxx17*'],
        constrains: () => ['arrow-cpp <0.0a0', 'parquet-cpp <0.0a0', 'apache-arrow-proc =*=cpu'],
      },
      { name: 'libparquet', build: cpu, depends: (c) => [...cc(c, { cxx: true }), c.sib('libarrow'), c.pin('libthrift'), c.pin('openssl')] },
    ],
  });
  ext('pyarrow', arrowVersions, {
    cc: { cxx: true }, pinned: NP, license: 'Apache-2.0', licenseFamily: 'APACHE',
    pythons: pyTable([['0.15', [38, 38]], ['0.16', [38, 38]], ['0.17', [38, 38]], ['1.0', [38, 38]], ['2.0', [38, 39]], ['3.0', [38, 39]], ['4.0', [38, 39]], ['5.0', [38, 39]], ['6.0', [38, 310]], ['7.0', [38, 310]], ['8.0', [38, 310]], ['9.0', [38, 310]], ['10.0', [38, 311]], ['11.0', [38, 311]], ['12.0', [38, 311]], ['13.0', [38, 312]], ['14.0', [38, 312]], ['15.0', [38, 312]], ['16.1', [38, 312]], ['17.0', [39, 313]], ['18.1', [39, 313]], ['19.0', [39, 313]]]),
    deps: (c) => [`libarrow ${c.v}.* *cpu`, `libparquet ${c.v}.* *cpu`],
    cons: () => ['apache-arrow-proc * cpu'],
  });
  const polars = hist('0.12.0', '1.20.0', 45, '2022.01', '2025.01');
  ext('polars', polars, {
    cc: { cxx: true }, license: 'MIT',
    deps: (c) => ['packaging', 'typing_extensions >=4.0.1', c.vi >= polars.length - 3 && '__glibc >=2.28,<3.0.a0'],
    cons: () => ['numpy >=1.16.0', 'pyarrow >=7.0.0', 'pandas', 'fsspec'],
  });
  ext('greenlet', '0.4.15@2019.10 0.4.17@2020.10 1.0.0@2021.01 1.1.0@2021.05 1.1.2@2021.10 1.1.3@2022.08 2.0.1@2022.11 2.0.2@2023.01 3.0.0@2023.10 3.0.1@2023.11 3.0.3@2023.12 3.1.0@2024.09 3.1.1@2024.09', { cc: { cxx: true }, license: 'MIT' });
  ext('sqlalchemy', [...hist('1.3.10', '1.3.24', 15, '2019.10', '2021.02'), ...hist('1.4.0', '1.4.54', 55, '2021.03', '2024.09')], {
    id: 'sqlalchemy-1', until: '2024.10', license: 'MIT', deps: (c) => [c.at('>=1.4') && 'greenlet !=0.4.17', c.at('>=1.4') && 'typing-extensions >=3.7.4.3'],
  });
  ext('sqlalchemy', hist('2.0.0', '2.0.38', 39, '2023.01', '2025.02'), {
    id: 'sqlalchemy-2', license: 'MIT', deps: (c) => ['greenlet !=0.4.17', c.at('<2.0.20') ? 'typing-extensions >=4.2.0' : 'typing-extensions >=4.6.0'],
  });
  ext('pydantic', '1.1@2019.10 1.4@2020.01 1.5.1@2020.04 1.6.1@2020.07 1.7.3@2020.11 1.8.2@2021.05 1.9.0@2021.12 1.9.1@2022.05 1.9.2@2022.08 1.10.2@2022.09 1.10.4@2023.01 1.10.7@2023.03 1.10.9@2023.06 1.10.12@2023.07 1.10.13@2023.09 1.10.14@2024.01 1.10.17@2024.06', {
    id: 'pydantic-1', until: '2024.08', license: 'MIT',
    deps: (c) => [c.at('<1.9') ? 'typing-extensions >=3.7.4.3' : c.at('<1.10') ? 'typing-extensions >=3.7.4.3' : 'typing-extensions >=4.2.0'],
  });
  ext('pydantic-core', '2.0.1@2023.06 2.3.0@2023.07 2.4.0@2023.07 2.6.3@2023.08 2.10.1@2023.09 2.14.6@2023.12 2.16.3@2024.03 2.18.4@2024.06 2.20.1@2024.07 2.23.4@2024.09 2.27.2@2024.12', {
    license: 'MIT', deps: () => ['typing-extensions >=4.6.0,!=4.7.0'],
  });
  ext('mypy', '0.740@2019.10 0.750@2019.11 0.761@2019.12 0.770@2020.03 0.780@2020.06 0.782@2020.07 0.790@2020.10 0.800@2021.01 0.812@2021.02 0.902@2021.06 0.910@2021.06 0.920@2021.12 0.931@2022.01 0.942@2022.03 0.950@2022.04 0.961@2022.06 0.971@2022.07 0.981@2022.09 0.991@2022.11 1.0.0@2023.02 1.1.1@2023.03 1.2.0@2023.04 1.3.0@2023.05 1.4.1@2023.06 1.5.1@2023.08 1.6.1@2023.10 1.7.1@2023.11 1.8.0@2023.12 1.9.0@2024.03 1.10.0@2024.04 1.10.1@2024.06 1.11.2@2024.08 1.12.1@2024.10 1.13.0@2024.10 1.14.1@2024.12 1.15.0@2025.02', {
    license: 'MIT',
    deps: (c) => (c.at('<0.990') ? [
      'mypy_extensions >=0.4.3,<0.5.0', 'typing_extensions >=3.7.4', c.at('<0.920') ? 'toml' : 'tomli >=1.1.0',
    ] : [
      'mypy_extensions >=1.0.0', c.at('<1.11') ? 'typing_extensions >=4.1.0' : 'typing_extensions >=4.6.0', 'tomli >=1.1.0', 'psutil >=4.0',
    ]),
  });
  ext('regex', [...hist('2019.11.1', '2019.12.20', 2, '2019.11', '2019.12'), ...hist('2020.1.8', '2020.11.13', 5, '2020.01', '2020.11'), ...hist('2021.3.17', '2024.11.6', 20, '2021.03', '2024.11')], { license: 'Apache-2.0' });
  ext('pyrsistent', '0.15.5@2019.10 0.17.3@2020.09 0.18.1@2022.01 0.19.3@2022.12 0.20.0@2023.10', { license: 'MIT' });
  ext('rpds-py', '0.7.1@2023.06 0.10.6@2023.10 0.18.0@2024.02 0.20.0@2024.08 0.22.3@2024.12', { license: 'MIT' });
  ext('h5py', '2.10.0@2019.10 3.1.0@2020.11 3.2.1@2021.03 3.3.0@2021.06 3.4.0@2021.09 3.6.0@2021.11 3.7.0@2022.05 3.8.0@2023.01 3.9.0@2023.06 3.10.0@2023.10 3.11.0@2024.04 3.12.1@2024.10 3.13.0@2025.02', {
    pinned: NP, host: ['hdf5', 'openmpi', 'mpich'], variants: () => MPI, buildNumber: mpiBuildNumber,
    deps: (c) => [withVariant(c, 'hdf5'), 'cached-property', c.at('<3') && 'six', mpiDep(c)],
  });
  ext('cftime', '1.0.4@2019.10 1.2.1@2020.07 1.4.1@2021.02 1.5.1@2021.09 1.6.2@2022.09 1.6.3@2023.11 1.6.4@2024.06', { pinned: NP, license: 'MIT' });
  ext('netcdf4', '1.5.3@2019.10 1.5.4@2020.07 1.5.6@2021.02 1.5.7@2021.06 1.5.8@2021.10 1.6.0@2022.06 1.6.2@2022.11 1.6.3@2023.03 1.6.4@2023.06 1.6.5@2023.10 1.7.1@2024.06 1.7.2@2024.10', {
    pinned: ['libzlib', ...NP], host: ['hdf5', 'libnetcdf', 'openmpi', 'mpich'], variants: () => MPI, buildNumber: mpiBuildNumber, license: 'MIT',
    deps: (c) => [withVariant(c, 'hdf5'), withVariant(c, 'libnetcdf'), 'cftime', 'certifi', c.at('>=1.6.3') && 'packaging', mpiDep(c)],
  });
  ext('cffi', '1.13.2@2019.10 1.14.0@2020.02 1.14.6@2021.07 1.15.1@2022.07 1.16.0@2023.09 1.17.1@2024.09', { pinned: ['libffi'], deps: () => ['pycparser'], license: 'MIT' });
  ext('cryptography', '2.8@2019.10 3.0@2020.07 3.2.1@2020.10 3.3.2@2021.02 3.4.7@2021.04 35.0.0@2021.09 36.0.2@2022.03 37.0.4@2022.07 38.0.4@2022.11 39.0.2@2023.03 40.0.2@2023.04 41.0.7@2023.11 42.0.5@2024.02 42.0.8@2024.06 43.0.1@2024.09 43.0.3@2024.10 44.0.0@2024.11 44.0.1@2025.02', {
    pinned: ['openssl'], license: 'Apache-2.0 AND BSD-3-Clause AND PSF-2.0 AND MIT',
    deps: (c) => ['cffi >=1.12', c.at('<35') && 'six >=1.4.1'], cons: (c) => [c.at('>=42') && '__glibc >=2.17'],
  });
  ext('lxml', '4.4.1@2019.10 4.5.2@2020.07 4.6.3@2021.03 4.7.1@2021.12 4.8.0@2022.02 4.9.1@2022.07 4.9.2@2022.12 4.9.3@2023.07 5.1.0@2024.01 5.2.2@2024.05 5.3.0@2024.08 5.3.1@2025.02', {
    pinned: ['libxml2', 'libxslt', 'libzlib'], license: 'BSD-3-Clause AND MIT-CMU',
  });
  ext('pyyaml', '5.1.2@2019.10 5.3.1@2020.03 5.4.1@2021.01 6.0@2021.10 6.0.1@2023.07 6.0.2@2024.08', { pinned: ['yaml'], license: 'MIT' });
  ext('markupsafe', '1.1.1@2019.10 2.0.1@2021.05 2.1.1@2022.03 2.1.3@2023.06 2.1.5@2024.02 3.0.1@2024.10 3.0.2@2024.10', { cons: (c) => [c.at('>=2') && 'jinja2 >=3.0.0'] });
  ext('psutil', hist('5.6.3', '7.0.0', 15, '2019.10', '2025.02'));
  ext('tornado', '6.0.3@2019.10 6.0.4@2020.03 6.1@2020.10 6.2@2022.07 6.3.2@2023.05 6.3.3@2023.08 6.4@2023.11 6.4.1@2024.06 6.4.2@2024.11', { license: 'Apache-2.0' });
  ext('msgpack-python', '0.6.2@2019.10 1.0.0@2020.02 1.0.2@2020.12 1.0.3@2021.12 1.0.4@2022.06 1.0.5@2023.03 1.0.7@2023.09 1.0.8@2024.03 1.1.0@2024.09', { cc: { cxx: true }, license: 'Apache-2.0' });
  ext('cytoolz', '0.10.1@2019.10 0.11.0@2020.09 0.11.2@2021.11 0.12.0@2022.07 0.12.2@2023.07 0.12.3@2024.01 1.0.0@2024.10 1.0.1@2024.12', { deps: () => ['toolz >=0.10.0'] });
  ext('lz4', '2.2.1@2019.10 3.1.0@2020.06 3.1.3@2021.01 4.0.2@2022.07 4.3.2@2023.01 4.3.3@2024.01', { pinned: ['lz4-c'] });
  ext('brotli-python', '1.0.9@2020.09 1.1.0@2023.09', { cc: { cxx: true }, license: 'MIT' });
  ext('pyzmq', '18.1.0@2019.10 19.0.2@2020.08 20.0.0@2020.11 22.3.0@2021.09 24.0.1@2022.09 25.1.1@2023.08 25.1.2@2023.12 26.0.3@2024.05 26.2.0@2024.08 26.2.1@2025.01', {
    cc: { cxx: true }, pinned: ['libsodium', 'zeromq'],
  });
  ext('debugpy', '1.0.0@2020.10 1.4.1@2021.07 1.5.1@2021.10 1.6.3@2022.08 1.6.7@2023.04 1.8.0@2023.09 1.8.5@2024.08 1.8.12@2025.01', { cc: { cxx: true }, license: 'MIT' });
  ext('gmpy2', '2.0.8@2019.10 2.1.0@2021.05 2.1.2@2021.11 2.1.5@2024.04', { pinned: ['gmp', 'mpfr', 'mpc'], license: 'LGPL-3.0-or-later' });
  ext('argon2-cffi-bindings', '21.2.0@2021.12', { deps: () => ['cffi >=1.0.1'], license: 'MIT' });
  ext('httptools', '0.1.1@2020.01 0.2.0@2021.04 0.3.0@2021.08 0.4.0@2022.03 0.5.0@2022.08 0.6.0@2023.07 0.6.1@2023.10 0.6.4@2024.10', { license: 'MIT' });
  ext('uvloop', '0.14.0@2019.12 0.15.2@2021.02 0.16.0@2021.08 0.17.0@2022.09 0.19.0@2023.10 0.21.0@2024.10', { pinned: ['libuv'], license: 'MIT OR Apache-2.0' });
  ext('watchfiles', '0.13@2021.04 0.18.1@2022.11 0.21.0@2023.10 0.22.0@2024.05 0.24.0@2024.08 1.0.4@2025.01', { deps: () => ['anyio >=3.0.0'], license: 'MIT' });
  ext('websockets', '8.1@2019.11 9.1@2021.05 10.4@2022.10 11.0.3@2023.05 12.0@2023.10 13.1@2024.09 14.2@2025.01');
  ext('statsmodels', '0.10.1@2019.10 0.11.1@2020.02 0.12.1@2020.10 0.12.2@2021.02 0.13.0@2021.10 0.13.2@2022.02 0.13.5@2022.11 0.14.0@2023.05 0.14.1@2023.12 0.14.2@2024.04 0.14.4@2024.10', {
    pinned: NP,
    pythons: pyTable([['0.10', [38, 38]], ['0.11', [38, 38]], ['0.12', [38, 39]], ['0.13', [38, 311]], ['0.14', [38, 313]]]),
    deps: (c) => [
      c.at('<0.12') ? 'numpy >=1.15' : c.at('<0.14.2') ? 'numpy >=1.18' : 'numpy <3,>=1.22.3',
      c.at('<0.12') ? 'pandas >=0.21' : c.at('<0.14.1') ? 'pandas >=1.0' : 'pandas !=2.1.0,>=1.4',
      c.at('<0.14.2') ? 'patsy >=0.5.2' : 'patsy >=0.5.6',
      c.at('<0.12') ? 'scipy >=1.2' : c.at('<0.14.1') ? 'scipy >=1.3' : 'scipy !=1.9.2,>=1.8',
      c.at('>=0.13.3') && 'packaging >=21.3',
    ],
  });
  // a Rust tool with a long release history, built once per version (no Python part)
  b(simple({
    name: 'ruff', kind: 'lib', versions: hist('0.0.254', '0.9.6', 110, '2023.03', '2025.02'), license: 'MIT',
    deps: () => ['python'], cons: () => ['__glibc >=2.17'], size: [6_000_000, 12_000_000],
  }));
}

function python(p: number, versions: string): RecipeDef {
  const dot = `${String(p)[0]}.${String(p).slice(1)}`;
  const gil = p >= 313;
  const deps = (c: BuildCtx): Dep[] => {
    const abiInDeps = p >= 313 || c.m >= mo('2024.03');
    return [
      c.m >= mo('2024.01') && '__glibc >=2.17,<3.0.a0',
      c.pin('bzip2'), c.pin('ld_impl_linux-64'), c.m >= mo('2023.06') && c.pin('libexpat'), c.pin('libffi'),
      ...cc(c).filter((d) => typeof d === 'string' && d.startsWith('libgcc')),
      c.pin(c.m >= mo('2024.05') ? 'liblzma' : 'xz'), p <= 312 && c.m >= mo('2020.06') && c.pin('libnsl'),
      c.pin('libsqlite'), c.pin('libuuid'), c.m >= mo('2022.06') && c.pin('libxcrypt'), c.pin('libzlib'), p >= 313 && c.pin('libmpdec'),
      c.pin('ncurses'), c.pin('openssl'), c.pin('readline'), c.pin('tk'), c.m >= mo('2023.06') && 'tzdata',
      abiInDeps && `python_abi ${dot}.* *_cp${p}${c.variant.ft ?? ''}`,
    ];
  };
  return {
    id: `python-${dot}`, kind: 'lib', versions: vs(versions), license: 'Python-2.0', size: [20_000_000, 40_000_000],
    until: p === 38 ? mo('2024.10') : undefined,
    host: ['bzip2', 'libexpat', 'libffi', 'xz', 'liblzma', p <= 312 ? 'libnsl' : 'libmpdec', 'libsqlite', 'libuuid', 'libzlib', 'ncurses', 'openssl', 'readline', 'tk'],
    variants: () => (gil ? [{ ft: '' }, { ft: 't' }] : [{}]),
    outputs: [{
      name: 'python',
      buildNumber: (c) => (gil && c.variant.ft !== 't' ? c.bn + 100 : c.bn),
      build: (c, h, bn) => (gil ? `h${h}_${bn}_cp${p}${c.variant.ft ?? ''}` : `h${h}_${bn}_cpython`),
      trackFeatures: (c) => (c.variant.ft === 't' ? 'py_freethreading' : undefined),
      depends: deps,
      constrains: (c) => [!(p >= 313 || c.m >= mo('2024.03')) && `python_abi ${dot}.* *_cp${p}`],
    }],
  };
}

function pythonAbi(p: number, released: string): RecipeDef {
  const dot = `${String(p)[0]}.${String(p).slice(1)}`;
  return {
    id: `python_abi-${dot}`, kind: 'lib', versions: vs(`${dot}@${released}`), license: 'BSD-3-Clause', size: [6_000, 7_000],
    rebuilds: ['2023.01', '2024.03', '2025.03'].map(mo),
    variants: () => (p >= 313 ? [{ ft: '' }, { ft: 't' }] : [{}]),
    outputs: [{
      name: 'python_abi',
      buildNumber: (c) => c.bn + 4,
      build: (c, _h, bn) => `${bn}_cp${p}${c.variant.ft ?? ''}`,
      depends: () => [],
      constrains: (c) => [p >= 313 ? `python ${dot}.* *_cp${p}${c.variant.ft ?? ''}` : `python ${dot}.* *_cpython`],
    }],
  };
}

function numpy(): RecipeDef {
  return simple({
    name: 'numpy', kind: 'pyext', cc: { cxx: true }, pinned: ['libblas', 'libcblas', 'liblapack'],
    versions: '1.17.3@2019.10 1.17.5@2020.01 1.18.1@2020.02 1.18.5@2020.06 1.19.1@2020.08 1.19.2@2020.09 1.19.4@2020.11 1.19.5@2021.01 1.20.1@2021.02 1.20.3@2021.05 1.21.0@2021.06 1.21.2@2021.08 1.21.4@2021.11 1.21.5@2021.12 1.22.0@2022.01 1.22.3@2022.03 1.22.4@2022.05 1.23.0@2022.06 1.23.1@2022.07 1.23.3@2022.09 1.23.4@2022.10 1.23.5@2022.11 1.24.0@2022.12 1.24.1@2023.01 1.24.2@2023.02 1.24.3@2023.04 1.24.4@2023.06 1.25.0@2023.06 1.25.1@2023.07 1.25.2@2023.08 1.26.0@2023.09 1.26.2@2023.11 1.26.3@2024.01 1.26.4@2024.02 2.0.0@2024.06 2.0.1@2024.07 2.0.2@2024.08 2.1.0@2024.08 2.1.1@2024.09 2.1.2@2024.10 2.1.3@2024.11 2.2.0@2024.12 2.2.1@2024.12 2.2.2@2025.01 2.2.3@2025.02 2.2.4@2025.03 2.2.5@2025.04 2.2.6@2025.05',
    pythons: pyTable([['1.17', [38, 38]], ['1.18', [38, 38]], ['1.19', [38, 39]], ['1.20', [38, 39]], ['1.21', [38, 310]], ['1.22', [38, 310]], ['1.23', [38, 311]], ['1.24', [38, 311]], ['1.25', [39, 311]], ['1.26', [39, 312]], ['2.0', [39, 312]], ['2.1', [310, 313]], ['2.2', [310, 313]]]),
    cons: () => ['numpy-base <0a0'],
  });
}

/** libblas/libcblas/liblapack/liblapacke and the `blas` metapackage, in openblas and mkl flavours. */
function blas(): RecipeDef {
  const impl = (c: BuildCtx): string => c.variant.impl!;
  const build = (c: BuildCtx, h: string, bn: number): string => `${bn}_h${h}_${impl(c)}`;
  const mkl = (c: BuildCtx): string | undefined => (impl(c) === 'mkl' ? 'blas_mkl' : undefined);
  const siblings = (c: BuildCtx, names: readonly string[]): string[] => names.map((n) => `${n} ${c.v} ${c.bn}*_${impl(c)}`);
  const implDep = (c: BuildCtx): string => (impl(c) === 'openblas' ? c.pin('libopenblas') : c.pin('mkl'));
  const outputs: OutputDef[] = [
    { name: 'libblas', build, trackFeatures: mkl, depends: (c) => [implDep(c)], constrains: (c) => [...siblings(c, ['libcblas', 'liblapack', 'liblapacke']), `blas * ${impl(c)}`] },
    { name: 'libcblas', build, trackFeatures: mkl, depends: (c) => [c.sib('libblas')], constrains: (c) => [...siblings(c, ['liblapack', 'liblapacke']), `blas * ${impl(c)}`] },
    { name: 'liblapack', build, trackFeatures: mkl, depends: (c) => [c.sib('libblas')], constrains: (c) => [...siblings(c, ['libcblas', 'liblapacke']), `blas * ${impl(c)}`] },
    { name: 'liblapacke', build, trackFeatures: mkl, depends: (c) => [c.sib('libblas'), c.sib('libcblas'), c.sib('liblapack')], constrains: (c) => [`blas * ${impl(c)}`] },
    {
      name: 'blas', version: (c) => `2.${(c.vi === 0 ? 0 : 100) + c.bn}`, build: (c) => impl(c), trackFeatures: mkl,
      depends: (c) => [c.sib('libblas'), c.sib('libcblas'), c.sib('liblapack'), c.sib('liblapacke'), implDep(c)],
    },
  ];
  const rebuilds: number[] = [];
  for (let m = mo('2020.12'); m < mo('2025.06'); m += 3) rebuilds.push(m);
  return {
    id: 'blas', kind: 'lib', versions: vs('3.8.0@2019.10 3.9.0@2020.11'), license: 'BSD-3-Clause', size: [15_000, 20_000],
    pin: 'x', pinNames: ['libblas', 'libcblas', 'liblapack', 'liblapacke'], host: ['libopenblas', 'mkl'], rebuilds,
    variants: () => [{ impl: 'openblas' }, { impl: 'mkl' }],
    outputs,
  };
}
