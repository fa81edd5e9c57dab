// ChannelError: why repodata of a channel could not be had (not found, refused, unreachable, not in
// the offline cache, unreadable). Every message names the channel by its redacted URL, never a token.
//
// Exit codes the CLI maps these to (see README "Exit codes"):
//   not-found     → 2  bad input: the channel or its platform subdir does not exist (a misspelt name,
//                       a channel without packages for the platform)
//   unauthorized  → 2  bad input: the server refuses the credentials (missing or wrong token/password)
//   unreachable   → 1  the request cannot be met now: connection failed, timed out or the server kept
//                       answering 5xx after every retry
//   offline-miss  → 1  offline, and the repodata is not in the cache
//   malformed     → 1  the server (or the cache) holds repodata that is not valid JSON repodata
// Problems in the configuration itself (a broken .condarc, a missing CA file) are SpecErrors (exit 2).

export type ChannelErrorKind = 'not-found' | 'unauthorized' | 'unreachable' | 'offline-miss' | 'malformed';

export class ChannelError extends Error {
  readonly kind: ChannelErrorKind;
  /** Redacted URL of what was asked for (a subdir's repodata, a channel). */
  readonly url: string | undefined;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The cache file involved, when there is one. */
  readonly cachePath: string | undefined;

  constructor(
    kind: ChannelErrorKind,
    message: string,
    options: { url?: string; status?: number; cachePath?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChannelError';
    this.kind = kind;
    this.url = options.url;
    this.status = options.status;
    this.cachePath = options.cachePath;
  }

  /** The CLI's exit code for this error: 2 for bad input (unknown channel, refused credentials), 1 otherwise. */
  get exitCode(): 1 | 2 {
    return this.kind === 'not-found' || this.kind === 'unauthorized' ? 2 : 1;
  }
}
