// Combining two glob patterns the way conda merges build strings and channels of two match specs.

import { escapeRegExp } from './string-matcher.ts';

/** The pattern matching what both match, or undefined when they cannot both hold. */
export function mergeGlobPatterns(a: string, b: string): string | undefined {
  if (a === b) return a;
  let self = a;
  let other = b;
  const isPattern = (p: string) => p.includes('*') || (p.startsWith('^') && p.endsWith('$'));
  if (!isPattern(self) && isPattern(other)) [self, other] = [other, self];
  if (!other.includes('*') && !(other.startsWith('^') && other.endsWith('$'))) {
    return toRegExp(self).test(other) ? other : undefined;
  }
  const oneStar = (p: string) => p.split('*').length === 2;
  if (oneStar(self) && oneStar(other) && ((self[0] === '*' && other[0] === '*') || (self.endsWith('*') && other.endsWith('*')))) {
    const s = self.replaceAll('*', '');
    const o = other.replaceAll('*', '');
    if (o.includes(s)) return other;
    if (s.includes(o)) return self;
    return undefined;
  }
  const parts = [self, other].map((p) => (p.startsWith('^') && p.endsWith('$') ? p.slice(1, -1) : p.includes('*') ? escapeRegExp(p).replaceAll('\\*', '.*') : p));
  return `^(?=${parts[0]})(?:${parts[1]})$`;
}

function toRegExp(p: string): RegExp {
  if (p.startsWith('^') && p.endsWith('$')) return new RegExp(p);
  return new RegExp('^(?:' + escapeRegExp(p).replaceAll('\\*', '.*') + ')$');
}
