// Inputs auth-token / auth-host: the token is masked in the log (core.setSecret) and put into every
// channel URL on that host the conda way (`https://host/t/<token>/channel`). Tokens in channel URLs
// never reach keys or files: core strips them (core/spec/url-credentials.ts).

/** `url` with the token inserted when it is an http(s) URL on `host` without a token yet. */
export function withChannelToken(channel: string, host: string, token: string): string {
  let url: URL;
  try {
    url = new URL(channel);
  } catch {
    return channel; // a channel name, not a URL
  }
  if (!/^https?:$/.test(url.protocol) || (url.host !== host && url.hostname !== host) || url.pathname.startsWith('/t/')) return channel;
  return `${url.origin}/t/${encodeURIComponent(token)}${url.pathname}${url.search}`.replace(/\/$/, '');
}
