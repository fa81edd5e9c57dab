// InstallError: why a package could not be downloaded, verified, cached or extracted. Every message
// names the package file (`zlib-1.2.11-h7b6447c_3.conda`) and, where there is one, the entry inside the
// archive or the URL (redacted: never a token or password).
//
// Exit codes the CLI maps these to (see README "Exit codes"):
//   bad-record    → 2  bad input: a record without a usable URL or file name
//   cache         → 2  bad input: the package cache folder cannot be created or written
//   http          → 1  the server answered with an error status (404, 403, …) for the package
//   unreachable   → 1  connection failed or timed out after every retry
//   offline-miss  → 1  offline, and the package is not in the cache
//   checksum      → 1  the download does not have the sha256/md5 of its record (after one fresh retry)
//   size          → 1  the download does not have the size of its record (after one fresh retry)
//   truncated     → 1  the archive ends early
//   corrupt       → 1  the archive is not a valid .conda / .tar.bz2 (bad zip, zstd, bzip2 or tar data,
//                       missing parts, a symbolic link without a target, …)
//   cache-changed → 1  a file of a cached package changed after the package was checked (found while
//                       linking it; the transaction was rolled back, and installPackages checks the
//                       package in full and tries once more)
//   unsafe-path   → 1  an entry would land outside the package folder (absolute path, `..`, a link
//                       escaping the folder, writing through a link) or is a device file
//   too-large     → 1  the archive unpacks to more than the limits allow (a zip bomb)
//   lock-timeout  → 1  another process held the package's (or the prefix's) lock for too long
//   prefix        → 2  bad input: the target prefix cannot be used (a file, a non-empty folder that is
//                       not a conda environment, not writable)
//   link          → 1  a file could not be placed in the prefix (the transaction was rolled back)
//   placeholder-too-long
//                 → 1  a binary file's prefix placeholder is shorter than the new prefix
//   script        → 1  a post-link script failed (the transaction was rolled back)
//   interrupted   → 1  the transaction was interrupted (SIGINT/SIGTERM) and rolled back
//   not-installed → 1  a package to remove is not installed in the prefix
//   unsupported   → 1  installing on this operating system is not supported yet (Windows)

export type InstallErrorKind =
  | 'bad-record'
  | 'cache'
  | 'http'
  | 'unreachable'
  | 'offline-miss'
  | 'checksum'
  | 'size'
  | 'truncated'
  | 'corrupt'
  | 'cache-changed'
  | 'unsafe-path'
  | 'too-large'
  | 'lock-timeout'
  | 'prefix'
  | 'link'
  | 'placeholder-too-long'
  | 'script'
  | 'interrupted'
  | 'not-installed'
  | 'unsupported';

export interface InstallErrorDetails {
  /** The package file name, e.g. `numpy-1.26.4-py312h0_0.conda`. */
  package?: string;
  /** The entry inside the archive (`lib/libz.so.1`), or a file of the cache, when one is involved. */
  file?: string;
  /** Redacted URL of the download. */
  url?: string;
  /** HTTP status, when the server answered. */
  status?: number;
  /** For checksum and size errors: what the record says and what arrived. */
  expected?: string;
  actual?: string;
  cause?: unknown;
}

export class InstallError extends Error {
  readonly kind: InstallErrorKind;
  readonly package: string | undefined;
  readonly file: string | undefined;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;

  constructor(kind: InstallErrorKind, message: string, details: InstallErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'InstallError';
    this.kind = kind;
    this.package = details.package;
    this.file = details.file;
    this.url = details.url;
    this.status = details.status;
    this.expected = details.expected;
    this.actual = details.actual;
  }

  /** The CLI's exit code: 2 for bad input (a bad record, an unusable cache folder or prefix), 1 otherwise. */
  get exitCode(): 1 | 2 {
    return this.kind === 'bad-record' || this.kind === 'cache' || this.kind === 'prefix' ? 2 : 1;
  }
}
