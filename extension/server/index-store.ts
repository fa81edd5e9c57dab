// The channel indexes the server has loaded, shared by every open file that uses the same channels
// and platform: each is loaded once, in the background (requests never wait for it), through
// core's repodata cache (so it works offline on cached repodata), with progress reported while it
// loads, and comes with a sorted name list for completion and "did you mean".

import { ChannelError } from '../../core/channel/errors.ts';
import type { FetchProgress } from '../../core/channel/repodata-source.ts';
import { NameSearch } from '../../core/index/name-search.ts';
import { SpecError } from '../../core/spec/errors.ts';
import { type LoadedIndex, loadIndex } from '../../core/solve/loaded-index.ts';

export interface IndexRequest {
  /** Channels in priority order, as the file or the settings give them. */
  channels: readonly string[];
  /** Use only these channels (settings override the file and .condarc). */
  overrideChannels: boolean;
  platform: string;
  offline: boolean;
  cacheDir: string | undefined;
}

export interface ReadyIndex {
  /** The request it was loaded for, and its key in the store (the solver thread loads its own copy by them). */
  request: IndexRequest;
  key: string;
  loaded: LoadedIndex;
  /** Every package name of the channels (virtual packages included). */
  names: NameSearch;
  /** Milliseconds the load took. */
  ms: number;
}

export type IndexState =
  | { state: 'loading'; promise: Promise<ReadyIndex | undefined> }
  | { state: 'ready'; ready: ReadyIndex }
  | { state: 'failed'; message: string };

/** Reports one load's progress (the server turns it into `$/progress`). */
export interface LoadProgress {
  report(message: string): void;
  done(): void;
}

export class IndexStore {
  readonly #states = new Map<string, IndexState>();
  readonly #startProgress: (title: string) => LoadProgress;
  readonly #onSettled: () => void;
  readonly #env: NodeJS.ProcessEnv;

  /** `onSettled` runs after each load ends (ready or failed), so documents waiting on it are checked again. */
  constructor(options: { startProgress: (title: string) => LoadProgress; onSettled: () => void; env?: NodeJS.ProcessEnv }) {
    this.#startProgress = options.startProgress;
    this.#onSettled = options.onSettled;
    this.#env = options.env ?? process.env;
  }

  /** The index for a request: ready, loading (started now if it was not), or failed with a message. */
  get(request: IndexRequest): IndexState {
    const key = JSON.stringify(request);
    let state = this.#states.get(key);
    if (state === undefined) {
      state = { state: 'loading', promise: this.#load(key, request) };
      this.#states.set(key, state);
    }
    return state;
  }

  /** Drops every index (settings changed): the next `get` loads again (from the repodata cache). */
  clear(): void {
    this.#states.clear();
  }

  async #load(key: string, request: IndexRequest): Promise<ReadyIndex | undefined> {
    const started = performance.now();
    const progress = this.#startProgress(`Loading conda channels for ${request.platform}`);
    try {
      const loaded = await loadIndex({
        channels: request.channels,
        overrideChannels: request.overrideChannels,
        platform: request.platform,
        offline: request.offline,
        cacheDir: request.cacheDir,
        env: this.#env,
        onProgress: (p) => progress.report(progressMessage(p)),
      });
      progress.report('indexing package names');
      const names = new NameSearch(loaded.index.allNames());
      const ready: ReadyIndex = { request, key, loaded, names, ms: performance.now() - started };
      if (this.#states.get(key)?.state === 'loading') this.#states.set(key, { state: 'ready', ready });
      return ready;
    } catch (error) {
      const message = error instanceof ChannelError || error instanceof SpecError ? error.message : `cannot load the channels: ${error instanceof Error ? error.message : String(error)}`;
      if (this.#states.get(key)?.state === 'loading') this.#states.set(key, { state: 'failed', message });
      return undefined;
    } finally {
      progress.done();
      this.#onSettled();
    }
  }
}

function progressMessage(p: FetchProgress): string {
  const where = `${p.channel}/${p.subdir}`;
  const mb = (n: number | undefined) => (n === undefined ? '' : `${(n / 1e6).toFixed(1)} MB`);
  switch (p.phase) {
    case 'start':
      return `${where}: fetching`;
    case 'cached':
      return `${where}: from the cache`;
    case 'downloading':
      return `${where}: ${mb(p.bytes)}${p.total ? ` of ${mb(p.total)}` : ''}`;
    case 'done':
      return `${where}: done`;
  }
}
