// Channel resolution as conda does it: the channel list (explicit channels first, then CONDA_CHANNELS
// and .condarc's `channels`, or `defaults` when none is configured; `--override-channels` or
// `nodefaults` keep only the explicit ones; channels named in specs come last), each channel turned
// into its URL, canonical name, subdir URLs (target platform, then noarch) and priority (0 = first).

import { redactUrl, stripCredentials } from '../spec/url-credentials.ts';
import { SpecError } from '../spec/errors.ts';
import { loadChannelConfig, type ChannelConfig, type ChannelConfigOptions } from './channel-config.ts';
import { locateChannel, type ChannelLocation } from './channel-url.ts';
import type { ChannelPriority } from './condarc.ts';
import type { NetworkSettings } from './network.ts';

export interface SubdirUrl {
  subdir: string;
  /** The subdir folder's URL, ending in `/`; holds credentials — for fetching only. */
  url: string;
  /** The same URL with tokens and passwords redacted, for messages and logs. */
  displayUrl: string;
}

export interface ResolvedChannel {
  /** Canonical name (`conda-forge`, `defaults`, or a URL), never with credentials. */
  name: string;
  /** Base URL without trailing slash; holds tokens/passwords — for fetching only. */
  baseUrl: string;
  /** `baseUrl` redacted (`/t/<TOKEN>/`, no password). */
  displayUrl: string;
  /** The platform subdir first, then `noarch`. */
  subdirUrls: SubdirUrl[];
  /** Position in the channel list: 0 is the highest priority (conda's order; defaults' members count one each). */
  priority: number;
}

export interface ResolveChannelsOptions extends ChannelConfigOptions {
  /** Channels given explicitly (`-c`, an environment file's `channels:`); they come first. `nodefaults` among them acts as overrideChannels. */
  channels?: readonly string[];
  /** Use only `channels`, not CONDA_CHANNELS/.condarc/defaults (conda's `--override-channels`). */
  overrideChannels?: boolean;
  /** Channels named by match specs (`conda-forge::numpy`); added after the others, like conda. */
  specChannels?: readonly string[];
}

export interface ResolvedChannels {
  channels: ResolvedChannel[];
  channelPriority: ChannelPriority;
  /** TLS and proxy settings for fetching (pass to fetchRepodata). */
  network: NetworkSettings;
  /** The configuration used; pass it to resolveChannel for channels met later. */
  config: ChannelConfig;
}

/** The channel list conda would use, before expansion. */
export function channelList(config: ChannelConfig, options: Pick<ResolveChannelsOptions, 'channels' | 'overrideChannels' | 'specChannels'>): string[] {
  const explicit = (options.channels ?? []).map((c) => c.trim()).filter((c) => c !== '');
  const noDefaults = explicit.includes('nodefaults');
  const given = explicit.filter((c) => c !== 'nodefaults');
  let list: string[];
  if (options.overrideChannels || noDefaults) {
    if (given.length === 0 && (options.specChannels ?? []).length === 0) {
      throw new SpecError(
        options.overrideChannels ? 'override-channels needs at least one channel (-c <channel>)' : '"nodefaults" needs at least one other channel, e.g. conda-forge',
      );
    }
    list = given;
  } else {
    list = [...given, ...(config.configuredChannels ?? ['defaults'])];
  }
  return [...new Set([...list, ...(options.specChannels ?? [])])];
}

/** Subdir URLs and display forms of one located channel. */
function toResolved(loc: ChannelLocation, platform: string, priority: number): ResolvedChannel {
  const own = loc.platform ?? platform;
  const subdirs = own === 'noarch' ? ['noarch'] : [own, 'noarch'];
  return {
    name: loc.name,
    baseUrl: loc.baseUrl,
    displayUrl: redactUrl(loc.baseUrl),
    subdirUrls: subdirs.map((subdir) => {
      const url = `${loc.baseUrl}/${subdir}/`;
      return { subdir, url, displayUrl: redactUrl(url) };
    }),
    priority,
  };
}

/**
 * One channel as written (a name, `defaults`, a URL or a path) under a configuration, e.g. the
 * channel of a match spec. `defaults` gives several channels; their priorities count up from `priority`.
 */
export function resolveChannel(text: string, config: ChannelConfig, priority = 0): ResolvedChannel[] {
  return locateChannel(text, config).map((loc, i) => toResolved(loc, config.platform, priority + i));
}

/** Reads the configuration (condarc, env) and resolves the whole channel list. Throws SpecError on bad configuration. */
export function resolveChannels(options: ResolveChannelsOptions): ResolvedChannels {
  const config = loadChannelConfig(options);
  const seen = new Set<string>();
  const channels: ResolvedChannel[] = [];
  for (const text of channelList(config, options)) {
    for (const loc of locateChannel(text, config)) {
      const key = `${stripCredentials(loc.baseUrl)}|${loc.platform ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      channels.push(toResolved(loc, config.platform, channels.length));
    }
  }
  return { channels, channelPriority: config.channelPriority, network: config.network, config };
}
