// Spec files hold package URLs without credentials. To install one from a channel that needs a
// token or a password, the credentials come back from the channel configuration of the run that
// installs it: a URL under a resolved channel's base URL (compared without credentials) gets that
// channel's base URL, token and all. URLs under no configured channel are returned unchanged.

import type { ResolvedChannel } from '../channel/resolve.ts';
import { stripCredentials } from '../spec/url-credentials.ts';

/** The URL to fetch a spec file's package from, with the credentials of the channel it is under. */
export function withChannelCredentials(url: string, channels: readonly Pick<ResolvedChannel, 'baseUrl'>[]): string {
  for (const c of channels) {
    const clean = stripCredentials(c.baseUrl).replace(/\/+$/, '');
    if (clean !== c.baseUrl && url.startsWith(`${clean}/`)) return `${c.baseUrl.replace(/\/+$/, '')}${url.slice(clean.length)}`;
  }
  return url;
}
