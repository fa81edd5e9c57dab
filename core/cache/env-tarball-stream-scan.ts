// What both extractors of an environment tarball share (env-tarball-extract.ts, in-process;
// env-tarball-extract-system.ts, zstd and GNU tar): the archive as a file or as bytes arriving, the
// options and result of an extraction, and the scan of what was extracted against the archive's own
// conda-meta records. Kept apart so the restore loads the in-process extractor (and npm `tar` with
// it) only on a machine without the programs.

import { compareFile, type ExpectedFile, type ScanDifference, type ScanResult } from './env-tarball-scan.ts';
import type { EnvTarballManifest } from './env-tarball-format.ts';

/** An archive's bytes as they arrive (a download streamed into the restore), with a name for messages. */
export interface ArchiveStream {
  name: string;
  /** The compressed bytes; a failure to get them is an error of this iterable (a 'corrupt' restore). */
  chunks: AsyncIterable<Buffer>;
  /** Stops the source at once when the restore ends before it does (a bad member: no waiting for the next chunk). */
  cancel?: () => void;
}

export interface ExtractEnvironmentOptions {
  /** The `.tar.zst` archive: a file, or its bytes as they arrive. */
  archive: string | ArchiveStream;
  /** An existing empty folder. */
  root: string;
  /** Check the listed files while extracting. */
  scan: boolean;
  signal?: AbortSignal;
}

export interface ExtractEnvironmentResult {
  manifest: EnvTarballManifest;
  files: number;
  bytes: number;
  /** The in-stream scan (undefined without `scan`): call `finishScan` for the missing paths. */
  scan: StreamScan | undefined;
  /** The system extractor's scan: the files its background worker hashed while tar ran (the rest are hashed after tar). */
  hashedInBackground?: number;
}

/** What the in-stream scan saw: the facts of every path that was checked. */
export class StreamScan {
  readonly expected: Map<string, ExpectedFile>;
  readonly seen = new Map<string, SeenFile>();
  bytes = 0;

  constructor(expected: Map<string, ExpectedFile>) {
    this.expected = expected;
  }

  /** The scan's result: the differences seen, and every listed path the archive did not have. */
  finish(): ScanResult {
    const differences: ScanDifference[] = [];
    for (const [path, want] of this.expected) {
      const actual = this.seen.get(path);
      const difference =
        actual === undefined
          ? { path, package: want.package, problem: 'missing' as const, expected: want.type === 'softlink' ? 'a symbolic link' : 'a file', actual: 'nothing' }
          : compareFile(path, want, actual);
      if (difference) differences.push(difference);
    }
    differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { ok: differences.length === 0, checked: this.expected.size, bytes: this.bytes, differences };
  }
}

export type SeenFile = { type: 'file' | 'softlink' | 'dir'; size?: number; sha256?: string };

/** The file, or the stream's name: what messages call the archive. */
export function archiveName(archive: string | ArchiveStream): string {
  return typeof archive === 'string' ? archive : archive.name;
}
