import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/channel/errors.ts
var ChannelError = class extends Error {
  kind;
  /** Redacted URL of what was asked for (a subdir's repodata, a channel). */
  url;
  /** The HTTP status, when the server answered. */
  status;
  /** The cache file involved, when there is one. */
  cachePath;
  constructor(kind, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "ChannelError";
    this.kind = kind;
    this.url = options.url;
    this.status = options.status;
    this.cachePath = options.cachePath;
  }
  /** The CLI's exit code for this error: 2 for bad input (unknown channel, refused credentials), 1 otherwise. */
  get exitCode() {
    return this.kind === "not-found" || this.kind === "unauthorized" ? 2 : 1;
  }
};

// core/channel/cache-dir.ts
import { homedir } from "node:os";
import { join } from "node:path";
function defaultCacheDir(options = {}) {
  const env = options.env ?? process.env;
  if (env.ENV_SETUP_CACHE_DIR) return env.ENV_SETUP_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "env-setup");
  if ((options.hostPlatform ?? process.platform) === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "env-setup");
  return join(options.home ?? homedir(), ".cache", "env-setup");
}

export {
  ChannelError,
  defaultCacheDir
};
