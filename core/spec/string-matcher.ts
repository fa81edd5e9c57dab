// String matchers used by match specs for names, build strings, channels, licenses and the like.
//
// conda's rule: `^…$` is a regular expression, a string containing `*` is a glob (only `*` is
// special), anything else must match exactly. Some fields (names, licenses) compare case-insensitively.

import { SpecError } from './errors.ts';

export type StringMatcherKind = 'exact' | 'glob' | 'regex';

export interface StringMatcherOptions {
  /** Compare lower-cased text (the pattern is lower-cased too, except inside a regex). */
  caseInsensitive?: boolean;
  /** Treat `^…$` as a regex (conda does); false reads every pattern as exact or glob. */
  allowRegex?: boolean;
}

export class StringMatcher {
  readonly kind: StringMatcherKind;
  /** The pattern as it will be printed (lower-cased for case-insensitive matchers). */
  readonly pattern: string;
  private readonly regex: RegExp | undefined;
  private readonly caseInsensitive: boolean;

  private constructor(kind: StringMatcherKind, pattern: string, regex: RegExp | undefined, caseInsensitive: boolean) {
    this.kind = kind;
    this.pattern = pattern;
    this.regex = regex;
    this.caseInsensitive = caseInsensitive;
  }

  static parse(pattern: string, options: StringMatcherOptions = {}): StringMatcher {
    const ci = options.caseInsensitive === true;
    if (options.allowRegex !== false && pattern.length >= 2 && pattern.startsWith('^') && pattern.endsWith('$')) {
      try {
        return new StringMatcher('regex', pattern, new RegExp(pattern, ci ? 'i' : ''), ci);
      } catch (e) {
        throw new SpecError(`invalid regular expression '${pattern}': ${(e as Error).message}`, { input: pattern });
      }
    }
    const text = ci ? pattern.toLowerCase() : pattern;
    if (text.includes('*')) {
      return new StringMatcher('glob', text, globToRegExp(text), ci);
    }
    return new StringMatcher('exact', text, undefined, ci);
  }

  matches(value: string): boolean {
    const v = this.caseInsensitive ? value.toLowerCase() : value;
    if (this.kind === 'exact') return v === this.pattern;
    return this.regex!.test(v);
  }

  /** The value when the matcher accepts exactly one string, else undefined. */
  get exactValue(): string | undefined {
    return this.kind === 'exact' ? this.pattern : undefined;
  }

  /** True for the glob `*`, which accepts everything. */
  get matchesAll(): boolean {
    return this.kind === 'glob' && /^\*+$/.test(this.pattern);
  }

  /** The regex source equivalent to this matcher (anchored), for merging patterns. */
  get regexSource(): string {
    if (this.kind === 'regex') return this.pattern.slice(1, -1);
    if (this.kind === 'glob') return escapeRegExp(this.pattern).replaceAll('\\*', '.*');
    return escapeRegExp(this.pattern);
  }

  toString(): string {
    return this.pattern;
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp('^(?:' + escapeRegExp(glob).replaceAll('\\*', '.*') + ')$', 's');
}
