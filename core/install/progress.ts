// The progress events fetchPackages reports while it works, for a face to render (see
// progress-reporter.ts for the command line's). Sizes are bytes; `fn` is the package file name.

export type InstallProgress =
  /** The plan, once the cache has been looked at: `downloadBytes` is the sum of the known sizes to download. */
  | { type: 'plan'; packages: number; cached: number; toDownload: number; downloadBytes: number }
  /** Another process holds the package's lock; this run waits for it. */
  | { type: 'waiting'; fn: string }
  | { type: 'download-start'; fn: string; total: number | undefined }
  /** Bytes of the package's archive present so far (resumed bytes included). */
  | { type: 'download-progress'; fn: string; bytes: number; total: number | undefined }
  | { type: 'download-retry'; fn: string; attempt: number; reason: string }
  | { type: 'download-done'; fn: string; bytes: number }
  | { type: 'extract-start'; fn: string }
  | { type: 'extract-done'; fn: string; files: number; bytes: number }
  /** The package is ready in the cache; `source` tells how it got there. */
  | { type: 'ready'; fn: string; source: PackageSource }
  | { type: 'finish'; packages: number; downloaded: number; downloadedBytes: number };

/** Where a package came from: its extracted folder was already there, its archive was, or it was downloaded. */
export type PackageSource = 'extracted-cache' | 'archive-cache' | 'download';
