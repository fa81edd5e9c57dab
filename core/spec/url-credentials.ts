// Secrets in channel and package URLs: a conda token path segment (`/t/<token>/`) and basic-auth
// user:password. One parser for both uses: `redactUrl` for what may be shown (logs, messages),
// `stripCredentials` for identity (channel names, cache keys, spec files). Text that is not a URL
// with a scheme is returned unchanged.

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const TOKEN = /\/t\/[^/?#]+(?=[/?#]|$)/g;

interface UrlParts {
  scheme: string;
  user: string | undefined;
  hasPassword: boolean;
  host: string;
  rest: string;
}

function split(url: string): UrlParts | undefined {
  const scheme = SCHEME.exec(url);
  if (!scheme) return undefined;
  const start = scheme[0].length;
  const end = (() => {
    const i = url.slice(start).search(/[/?#]/);
    return i === -1 ? url.length : start + i;
  })();
  const authority = url.slice(start, end);
  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? undefined : authority.slice(0, at);
  const colon = userInfo?.indexOf(':') ?? -1;
  return {
    scheme: scheme[0],
    user: userInfo === undefined ? undefined : colon === -1 ? userInfo : userInfo.slice(0, colon),
    hasPassword: colon !== -1,
    host: at === -1 ? authority : authority.slice(at + 1),
    rest: url.slice(end),
  };
}

/**
 * A URL safe to show in logs and messages: a channel token `/t/<token>/` becomes `/t/<TOKEN>/`
 * and a basic-auth password is removed (`https://user:secret@host` → `https://user@host`).
 */
export function redactUrl(url: string): string {
  const p = split(url);
  if (p === undefined) return url;
  return `${p.scheme}${p.user !== undefined ? `${p.user}@` : ''}${p.host}${p.rest.replace(TOKEN, '/t/<TOKEN>')}`;
}

/** The URL without any credentials: token segments and user:password removed (for names and keys). */
export function stripCredentials(url: string): string {
  const p = split(url);
  if (p === undefined) return url;
  return `${p.scheme}${p.host}${p.rest.replace(TOKEN, '')}`;
}

/** URLs inside free text (a pip line, a spec): a scheme, `://`, then up to whitespace, a quote, a comma or `]`. */
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s'",\]]+/g;

/** `text` with every URL in it stripped of credentials (stripCredentials). */
export function stripCredentialsInText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => stripCredentials(url));
}

/** `text` with every URL in it redacted for showing (redactUrl). */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}
