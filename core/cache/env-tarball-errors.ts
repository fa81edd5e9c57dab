// Errors of the environment tarball: each says what went wrong with which archive or prefix and what
// to do, and has a kind the caller acts on — 'corrupt', 'format' and 'unsafe-path' mean the archive
// cannot be used (discard it, install from the spec file), 'relocate' that this archive cannot be
// moved to the asked prefix (install from the spec file), 'prefix' that the target is not something
// a restore may replace (the user's decision), 'io' a file-system failure.

export type EnvTarballErrorKind = 'corrupt' | 'format' | 'unsafe-path' | 'relocate' | 'prefix' | 'io';

export class EnvTarballError extends Error {
  readonly kind: EnvTarballErrorKind;
  /** The archive member or prefix-relative path involved, when there is one. */
  readonly file: string | undefined;

  constructor(kind: EnvTarballErrorKind, message: string, details: { file?: string | undefined; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EnvTarballError';
    this.kind = kind;
    this.file = details.file;
  }

  /** Whether installing from the spec file instead is the right response (everything but 'prefix'). */
  get fallBack(): boolean {
    return this.kind !== 'prefix';
  }
}

/** An archive that cannot be used because of what it holds ('corrupt'), naming the member when there is one. */
export function damagedTarball(archive: string, entry: string | undefined, problem: string): EnvTarballError {
  return new EnvTarballError('corrupt', `the environment tarball ${archive} is damaged: ${entry === undefined ? '' : `entry ${entry} `}${problem}; it will not be used`, { file: entry });
}

/** An archive whose bytes stopped coming (a download that broke off): 'corrupt', as it cannot be used. */
export function unreadableTarball(archive: string, cause: Error): EnvTarballError {
  return new EnvTarballError('corrupt', `the environment tarball ${archive} could not be read to its end (${cause.message}); it will not be used`, { cause });
}

/** An archive file that cannot be opened ('io'). */
export function unopenableTarball(archive: string, error: NodeJS.ErrnoException): EnvTarballError {
  return new EnvTarballError('io', error.code === 'ENOENT' ? `the environment tarball ${archive} does not exist` : `cannot restore ${archive}: ${error.message}`, { cause: error });
}
