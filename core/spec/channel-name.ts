// The channel part of a match spec or record, reduced to conda's canonical name without any
// configuration: `pkgs/main` → `defaults`, `https://conda.anaconda.org/conda-forge/linux-64` →
// `conda-forge` + subdir `linux-64`, other URLs kept as base URLs. Tokens and passwords are dropped.
// Full channel resolution (.condarc, aliases, mirrors) lives in core/channel and builds on this.

import { isKnownSubdir } from './platform.ts';
import { stripCredentials } from './url-credentials.ts';

export const DEFAULT_CHANNEL_ALIAS = 'https://conda.anaconda.org';
/** conda's `default_channels` on Linux and macOS; `defaults` stands for them. */
export const DEFAULT_CHANNELS: readonly string[] = ['https://repo.anaconda.com/pkgs/main', 'https://repo.anaconda.com/pkgs/r'];

export interface ChannelParts {
  /** `conda-forge`, `defaults`, `pkgs/free`, or a base URL such as `https://example.com/channel`. */
  name: string;
  subdir: string | undefined;
}


export function splitChannel(text: string): ChannelParts {
  let s = stripCredentials(text.trim()).replace(/\/+$/, '');
  let subdir: string | undefined;
  const slash = s.lastIndexOf('/');
  if (slash > 0 && isKnownSubdir(s.slice(slash + 1))) {
    subdir = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  return { name: canonicalChannelName(s), subdir };
}

/** Canonical name of a channel given as a name or base URL (without subdir). */
export function canonicalChannelName(channel: string): string {
  const c = channel.replace(/\/+$/, '');
  if (c === 'pkgs/main' || c === 'pkgs/r' || c === 'pkgs/msys2') return 'defaults';
  const alias = DEFAULT_CHANNEL_ALIAS + '/';
  if (c.startsWith(alias)) return c.slice(alias.length);
  return c;
}

/** Canonical name of the channel a package URL came from (`…/conda-forge/linux-64/x.conda` → `conda-forge`). */
export function channelOfPackageUrl(url: string): ChannelParts | undefined {
  const clean = stripCredentials(url);
  const parts = clean.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts.length < 3) return undefined;
  const subdir = parts[parts.length - 2]!;
  if (!isKnownSubdir(subdir)) return undefined;
  const base = parts.slice(0, -2).join('/');
  if (DEFAULT_CHANNELS.includes(base)) return { name: 'defaults', subdir };
  return { name: canonicalChannelName(base), subdir };
}

/** Does a spec's channel name accept a record's channel (a name or URL)? `defaults` accepts pkgs/main and pkgs/r. */
export function channelNameMatches(specName: string, recordChannel: string): boolean {
  const rec = splitChannel(recordChannel).name;
  if (rec === specName) return true;
  if (specName === 'defaults') return DEFAULT_CHANNELS.some((d) => rec === d) || rec === 'defaults';
  return false;
}
