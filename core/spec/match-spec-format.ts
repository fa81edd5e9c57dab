// conda's canonical string for a match spec (`str(MatchSpec)`): exact versions and builds outside the
// brackets (`numpy==1.2=py3_0`), prefixes as `=1.2`, everything else as `[key=value]`. Where conda's
// form would lose information (an unknown subdir, a glob version, a file name that is not the URL's)
// the field is written in brackets so the string always parses back to an equal spec.

import type { MatchSpec } from './match-spec.ts';
import { isKnownSubdir } from './platform.ts';

// ---- printing --------------------------------------------------------------------------------

/** The file name when it says more than the URL's last segment (conda prints only the url then). */
export function fnUnlessDerived(fn: string | undefined, url: string | undefined): string | undefined {
  if (fn === undefined || url === undefined) return fn;
  const base = url.slice(url.lastIndexOf('/') + 1);
  let decoded = base;
  try {
    decoded = decodeURIComponent(base);
  } catch {
    // keep the raw segment
  }
  return fn === base || fn === decoded ? undefined : fn;
}

function quoteIfNeeded(key: string, value: string): string {
  return /[, =]/.test(value) ? `${key}='${value}'` : `${key}=${value}`;
}

function pyList(items: readonly string[]): string {
  return '[' + [...items].sort().map((x) => `'${x}'`).join(', ') + ']';
}

export function renderCanonical(m: MatchSpec): string {
  const builder: string[] = [];
  const brackets: string[] = [];
  const channelExact = m.channel !== undefined && !m.channel.includes('*');
  if (channelExact) builder.push(m.channel!);
  else if (m.channel !== undefined && m.channel !== '*') brackets.push(quoteIfNeeded('channel', m.channel));
  if (m.subdir !== undefined) {
    // an unknown subdir after the channel would read back as part of the channel name
    if (channelExact && isKnownSubdir(m.subdir)) builder.push(`/${m.subdir}`);
    else brackets.push(quoteIfNeeded('subdir', m.subdir));
  }
  const ns = m.namespace !== undefined && m.namespace !== '' ? m.namespace : '';
  builder.push(builder.length > 0 ? `:${ns}:${m.name}` : ns !== '' ? `${ns}:${m.name}` : m.name);

  let versionExact = false;
  if (m.version !== undefined && !m.version.isAny) {
    const v = m.version.toString();
    if (/[><$^|,]/.test(v)) brackets.push(`version='${v}'`);
    else if (v.startsWith('!=') || v.startsWith('~=')) {
      if (m.build !== undefined) brackets.push(`version='${v}'`);
      else builder.push(v);
    } else if (m.version.root.kind !== 'operator') {
      // a glob such as `1.*.3` or `0.15*.*` is a pattern, not a prefix: `=` would change its meaning
      brackets.push(`version='${v}'`);
    } else if (v.endsWith('.*')) builder.push('=' + v.slice(0, -2));
    else if (v.endsWith('*')) builder.push('=' + v.slice(0, -1));
    else if (v.startsWith('==')) {
      builder.push(v);
      versionExact = true;
    } else if (v.startsWith('=')) {
      builder.push(v);
    } else {
      builder.push('==' + v);
      versionExact = true;
    }
  }
  if (m.build !== undefined) {
    const b = m.build.toString();
    if (/[><$^|,]/.test(b)) brackets.push(`build='${b}'`);
    else if (b.includes('*')) brackets.push(`build=${b}`);
    else if (versionExact) builder.push('=' + b);
    else brackets.push(`build=${b}`);
  }
  if (m.buildNumber !== undefined) brackets.push(quoteIfNeeded('build_number', m.buildNumber.toString()));
  if (m.trackFeatures !== undefined) brackets.push(quoteIfNeeded('track_features', [...m.trackFeatures].sort().join(' ')));
  if (m.features !== undefined) brackets.push(quoteIfNeeded('features', [...m.features].sort().join(' ')));
  // conda leaves the url out when channel/subdir::name==version=build already name the file
  const namesFile = m.channel !== undefined && m.subdir !== undefined && m.exactValue('version') !== undefined && m.exactValue('build') !== undefined;
  if (m.url !== undefined && !namesFile) brackets.push(quoteIfNeeded('url', m.url));
  if (m.md5 !== undefined) brackets.push(quoteIfNeeded('md5', m.md5));
  if (m.sha256 !== undefined) brackets.push(quoteIfNeeded('sha256', m.sha256));
  if (m.license !== undefined) brackets.push(quoteIfNeeded('license', m.license.toString()));
  if (m.licenseFamily !== undefined) brackets.push(quoteIfNeeded('license_family', m.licenseFamily.toString()));
  const fn = fnUnlessDerived(m.fn, m.url);
  if (fn !== undefined) brackets.push(quoteIfNeeded('fn', fn));
  if (m.when !== undefined) brackets.push(quoteIfNeeded('when', m.when));
  if (m.extras !== undefined) brackets.push(`extras=${pyList(m.extras)}`);
  if (m.flags !== undefined) brackets.push(`flags=${pyList(m.flags)}`);
  if (brackets.length > 0) builder.push(`[${brackets.join(',')}]`);
  let out = builder.join('');
  if (m.optional || m.target !== undefined) {
    const opts = [m.target !== undefined ? `target=${m.target}` : undefined, m.optional ? 'optional' : undefined].filter((x) => x !== undefined);
    out += `(${opts.join(',')})`;
  }
  return out;
}
