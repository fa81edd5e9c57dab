// Repodata of one subdir of a file:// channel, read straight from disk (no cache, works offline):
// `<subdir>/repodata.json`, else `<subdir>/repodata.json.zst`; a missing file makes the subdir missing.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelError } from './errors.ts';
import { decompressZstd } from './zstd.ts';
import { traceSubdirLoad, type FetchContext } from './fetch-context.ts';
import { parseRepodata } from './repodata-parse.ts';
import { emptyRepodata, type RepodataSource, type SubdirRepodata } from './repodata-source.ts';
import type { ResolvedChannel, SubdirUrl } from './resolve.ts';

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

export class LocalRepodataSource implements RepodataSource {
  readonly channel: ResolvedChannel;
  readonly subdir: SubdirUrl;
  readonly #ctx: FetchContext;

  constructor(channel: ResolvedChannel, subdir: SubdirUrl, ctx: FetchContext) {
    this.channel = channel;
    this.subdir = subdir;
    this.#ctx = ctx;
  }

  load(): Promise<SubdirRepodata> {
    return traceSubdirLoad(this.#ctx, this.channel, this.subdir, () => this.#load());
  }

  async #load(): Promise<SubdirRepodata> {
    const dir = fileURLToPath(this.subdir.url);
    const base = { channel: this.channel, subdir: this.subdir.subdir, url: this.subdir.displayUrl };
    const jsonPath = join(dir, 'repodata.json');
    let content = await readIfExists(jsonPath);
    let file = jsonPath;
    let zst = false;
    if (content === undefined) {
      const compressed = await readIfExists(join(dir, 'repodata.json.zst'));
      if (compressed !== undefined) {
        file = join(dir, 'repodata.json.zst');
        zst = true;
        try {
          content = await decompressZstd(compressed);
        } catch (error) {
          throw new ChannelError('malformed', `${file} is not valid zstd data (${(error as Error).message})`, { url: this.subdir.displayUrl, cause: error });
        }
      }
    }
    if (content === undefined) {
      const channelDir = fileURLToPath(this.channel.baseUrl);
      const exists = await stat(channelDir).then((s) => s.isDirectory(), () => false);
      if (!exists) {
        throw new ChannelError('not-found', `channel ${this.channel.name}: the folder ${channelDir} does not exist; check the path`, { url: this.channel.displayUrl });
      }
      return { ...base, ...emptyRepodata(), origin: { kind: 'missing', zst: false, downloadedBytes: 0, size: 0, status: 404 } };
    }
    const data = content;
    const parsed = this.#ctx.tracer.span('repodata.scan', () => parseRepodata(data, { url: file, fromCache: false }), { size: data.length });
    return { ...base, ...parsed, origin: { kind: 'local', zst, downloadedBytes: 0, size: data.length } };
  }
}
