// One channel as written (`conda-forge`, `defaults`, `pkgs/main`, `conda-forge/label/dev`,
// `https://host/t/<token>/channel`, `file:///srv/channel`, `./local-channel`, `~/channel`,
// `conda-forge/linux-64`) → its base URL (credentials kept, for fetching) and canonical name
// (credentials dropped), following conda's Channel model: custom_channels first (longest name
// prefix; default_channels' own names such as `pkgs/main` count as custom channels), then
// channel_alias for bare names.

import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import { DEFAULT_CHANNEL_ALIAS } from '../spec/channel-name.ts';
import { stripCredentials } from '../spec/url-credentials.ts';
import { SpecError } from '../spec/errors.ts';
import { isKnownSubdir } from '../spec/platform.ts';

export interface ChannelNaming {
  /** conda's channel_alias, maybe with a token (`https://host/t/<token>`). */
  channelAlias: string;
  /** URLs that `defaults` stands for. */
  defaultChannels: readonly string[];
  /** conda's custom_channels: channel name → the URL it lives under (the channel is `<url>/<name>`). */
  customChannels: Readonly<Record<string, string>>;
  /** Folder that relative paths are read from. */
  cwd: string;
  /** Home folder for `~`. */
  home: string;
}

export interface ChannelLocation {
  /** Canonical name: `conda-forge`, `defaults`, `conda-forge/label/dev`, or a URL without credentials. */
  name: string;
  /** The channel's URL without a trailing slash and without subdir; keeps tokens and passwords. */
  baseUrl: string;
  /** The subdir named in the channel itself (`conda-forge/linux-64`), when there is one. */
  platform: string | undefined;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export function hasScheme(text: string): boolean {
  return SCHEME.test(text);
}

/** conda's test for a channel given as a path rather than a name or URL. */
export function isPathLike(text: string): boolean {
  return (
    text === '.' ||
    text === '..' ||
    /^\.{1,2}[/\\]/.test(text) ||
    text.startsWith('/') ||
    text.startsWith('~') ||
    text.startsWith('\\\\') ||
    /^[a-z]:[/\\]/i.test(text)
  );
}

/** A local folder as a `file://` URL (`~` is the home folder; relative paths start at cwd). */
export function pathToChannelUrl(path: string, cwd: string, home: string): string {
  if (/^[a-z]:[/\\]/i.test(path)) return 'file:///' + path.replaceAll('\\', '/').split('/').map(encodeURIComponent).join('/').replace(/%3A/i, ':');
  const expanded = path === '~' || path.startsWith('~/') || path.startsWith('~\\') ? home + path.slice(1) : path;
  return pathToFileURL(resolvePath(cwd, expanded)).href;
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Custom-channel table: condarc's custom_channels plus each default channel under its own path name (`pkgs/main`). */
function customTable(naming: ChannelNaming): Array<{ name: string; location: string }> {
  const table: Array<{ name: string; location: string }> = [];
  for (const url of naming.defaultChannels) {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]+)\/(.+)$/i.exec(trimSlashes(url));
    if (m) table.push({ name: m[2]!, location: m[1]! });
  }
  for (const [name, location] of Object.entries(naming.customChannels)) table.push({ name: trimSlashes(name), location: trimSlashes(location) });
  // Longest name first, so `conda-forge/label/dev` beats `conda-forge`; condarc entries win over defaults of equal length.
  return table.reverse().sort((a, b) => b.name.length - a.name.length);
}

function startsWithSegments(text: string, prefix: string): boolean {
  return text === prefix || text.startsWith(prefix + '/');
}

/** Canonical name of a channel URL (without subdir). */
export function canonicalNameOf(url: string, naming: ChannelNaming): string {
  const clean = trimSlashes(stripCredentials(url));
  if (naming.defaultChannels.some((d) => trimSlashes(stripCredentials(d)) === clean)) return 'defaults';
  for (const { name, location } of customTable(naming)) {
    const loc = trimSlashes(stripCredentials(location));
    if (startsWithSegments(clean, `${loc}/${name}`)) return clean.slice(loc.length + 1);
  }
  for (const alias of [naming.channelAlias, DEFAULT_CHANNEL_ALIAS]) {
    const a = trimSlashes(stripCredentials(alias));
    if (clean.startsWith(a + '/') && clean.length > a.length + 1) return clean.slice(a.length + 1);
  }
  return clean;
}

/**
 * Where a channel as written lives. `defaults` gives one location per default channel. Throws
 * SpecError for `local`, an empty name or a URL scheme other than http, https and file.
 */
export function locateChannel(text: string, naming: ChannelNaming): ChannelLocation[] {
  const written = text.trim();
  if (written === '') throw new SpecError('a channel name is empty');
  if (written === 'defaults') {
    return naming.defaultChannels.flatMap((d) => {
      if (d.trim() === 'defaults') throw new SpecError('default_channels cannot contain "defaults" itself; list URLs such as https://repo.anaconda.com/pkgs/main');
      return locateChannel(d, naming).map((loc) => ({ ...loc, name: 'defaults' }));
    });
  }
  if (written === 'local') {
    throw new SpecError('the "local" channel (conda-build\'s output folder) is not supported; give the folder as a path or file:// URL instead', { input: written });
  }
  let url: string;
  const scheme = SCHEME.exec(written)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'file') {
      throw new SpecError(`the channel ${stripCredentials(written)} uses the ${scheme}:// scheme; env-setup reads channels over http, https and file`, { input: stripCredentials(written) });
    }
    url = written;
  } else if (isPathLike(written)) {
    url = pathToChannelUrl(written, naming.cwd, naming.home);
  } else {
    const name = trimSlashes(written);
    const custom = customTable(naming).find((c) => startsWithSegments(name, c.name));
    url = `${trimSlashes(custom ? custom.location : naming.channelAlias)}/${name}`;
  }
  url = trimSlashes(url);
  let platform: string | undefined;
  const slash = url.lastIndexOf('/');
  const last = url.slice(slash + 1);
  if (slash > url.indexOf('://') + 2 && isKnownSubdir(last)) {
    platform = last;
    url = url.slice(0, slash);
  }
  return [{ name: canonicalNameOf(url, naming), baseUrl: url, platform }];
}
