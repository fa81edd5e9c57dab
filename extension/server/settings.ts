// The server's settings (`envSetup.*` in VS Code; initializationOptions or
// workspace/didChangeConfiguration elsewhere), read leniently: a missing or mistyped value keeps
// its default.

export interface ServerSettings {
  /** Channels to use instead of the file's (and .condarc's); empty: the file's channels, as conda reads them. */
  channels: string[];
  /** Platforms to check; empty: the file's `platforms:`, else this machine's. The first one is solved for hints. */
  platforms: string[];
  /** Use cached repodata only. */
  offline: boolean;
  /** Where repodata is cached (default: env-setup's cache dir). */
  cacheDir: string | undefined;
  /** Quiet time after an edit before the environment is solved again. */
  solveDebounceMs: number;
  /** Show the solved version after each unpinned dependency. */
  inlayHints: boolean;
  /** A dependency with at least this many candidate records gets a pin hint with its measured effect. */
  pinHintMinCandidates: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  channels: [],
  platforms: [],
  offline: false,
  cacheDir: undefined,
  solveDebounceMs: 300,
  inlayHints: true,
  pinHintMinCandidates: 50,
};

/** Settings from `{ envSetup: {...} }` or the section itself, over `base`. */
export function readSettings(raw: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  const outer = isObject(raw) ? raw : {};
  const s = isObject(outer.envSetup) ? outer.envSetup : outer;
  const strings = (v: unknown, d: string[]) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : d);
  const number = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    channels: strings(s.channels, base.channels),
    platforms: strings(s.platforms, base.platforms),
    offline: typeof s.offline === 'boolean' ? s.offline : base.offline,
    cacheDir: typeof s.cacheDir === 'string' ? s.cacheDir.trim() || undefined : base.cacheDir,
    solveDebounceMs: number(s.solveDebounceMs, base.solveDebounceMs),
    inlayHints: typeof s.inlayHints === 'boolean' ? s.inlayHints : base.inlayHints,
    pinHintMinCandidates: number(s.pinHintMinCandidates, base.pinHintMinCandidates),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
