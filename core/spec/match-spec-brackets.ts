// The `[key=value, key='quoted value', key=[a, b]]` section of a match spec.
//
// Values may be bare (ending at `,`, space or `]`; nested `[…]` kept whole), quoted with ' or "
// (a quote closes the value only when `,`, `]` or the end follows, so quotes may nest as conda
// allows in `when='python[version='>=3']'`), or lists `[a, 'b']`.

import { SpecError } from './errors.ts';

export type BracketValue = { kind: 'scalar'; text: string } | { kind: 'list'; items: string[] };

function fail(input: string, why: string): SpecError {
  return new SpecError(`invalid match spec '${input}': ${why}`, { input });
}

/** Parse the bracket section starting at `open` (the index of `[`); returns the pairs and the index after `]`. */
export function parseBracketList(s: string, open: number, input: string): { pairs: Map<string, BracketValue>; end: number } {
  const pairs = new Map<string, BracketValue>();
  let i = open + 1;
  const skipSpace = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= s.length) throw fail(input, "missing ']' after the bracket section");
    if (s[i] === ']') return { pairs, end: i + 1 };
    const keyStart = i;
    while (i < s.length && /[A-Za-z0-9_-]/.test(s[i]!)) i++;
    const key = s.slice(keyStart, i);
    skipSpace();
    // conda's v3 parser accepts `version<2` for `version='<2'`
    const glued = key === 'version' || key === 'build_number' ? /^(?:[<>]=?|!=|~=|==)/.exec(s.slice(i)) : null;
    if (glued !== null) {
      const start = i;
      while (i < s.length && s[i] !== ',' && s[i] !== ']' && s[i] !== ' ') i++;
      if (pairs.has(key)) throw fail(input, `'${key}' is given twice in brackets`);
      pairs.set(key, { kind: 'scalar', text: s.slice(start, i) });
      skipSpace();
      if (s[i] === ',') i++;
      continue;
    }
    if (key === '' || s[i] !== '=') {
      const word = s.slice(keyStart).split(/[,\]]/)[0]!.trim();
      throw fail(input, `expected key=value in brackets, found '${word}'${word && !word.includes('=') ? ` (for extras write extras=[${word}])` : ''}`);
    }
    i++;
    skipSpace();
    let value: BracketValue;
    const c = s[i];
    if (c === '"' || c === "'") {
      const close = findClosingQuote(s, i, c);
      if (close < 0) throw fail(input, `unterminated quote in the value of '${key}'`);
      const text = s.slice(i + 1, close);
      i = close + 1;
      value = text.startsWith('[') && text.endsWith(']') && (key === 'extras' || key === 'flags') ? { kind: 'list', items: splitList(text.slice(1, -1), input, key) } : { kind: 'scalar', text };
    } else if (c === '[') {
      const close = findClosingBracket(s, i);
      if (close < 0) throw fail(input, `unbalanced '[' in the value of '${key}'`);
      value = { kind: 'list', items: splitList(s.slice(i + 1, close), input, key) };
      i = close + 1;
    } else {
      const start = i;
      let depth = 0;
      while (i < s.length) {
        const ch = s[i]!;
        if (ch === '[') depth++;
        else if (ch === ']') {
          if (depth === 0) break;
          depth--;
        } else if ((ch === ',' || ch === ' ') && depth === 0) break;
        else if ((ch === '"' || ch === "'") && depth > 0) {
          const close = s.indexOf(ch, i + 1);
          if (close > 0) i = close;
        }
        i++;
      }
      value = { kind: 'scalar', text: s.slice(start, i) };
    }
    if (value.kind === 'scalar' && value.text.trim() === '' && key !== 'when') throw fail(input, `'${key}' has an empty value`);
    if (value.kind === 'scalar' && value.text.trim() === '' && key === 'when') throw fail(input, "'when' needs a condition");
    if (pairs.has(key)) throw fail(input, `'${key}' is given twice in brackets`);
    pairs.set(key, value);
    skipSpace();
    if (s[i] === ',') i++;
    else if (s[i] !== ']' && i < s.length && !/[A-Za-z]/.test(s[i]!)) throw fail(input, `unexpected '${s[i]}' in brackets`);
  }
}

/** The quote that ends a quoted value: outside any `[`/`(` opened inside it, and followed by `,`, `]`, the end, or a space and the next key. */
function findClosingQuote(s: string, open: number, q: string): number {
  let depth = 0;
  for (let j = open + 1; j < s.length; j++) {
    const ch = s[j]!;
    if (ch === '\\') {
      j++;
      continue;
    }
    if (ch === '[' || ch === '(') depth++;
    else if ((ch === ']' || ch === ')') && depth > 0) depth--;
    if (ch !== q || depth > 0) continue;
    let k = j + 1;
    while (k < s.length && s[k] === ' ') k++;
    if (k >= s.length || s[k] === ',' || s[k] === ']') return j;
    if (k > j + 1 && /^[A-Za-z0-9_-]+=/.test(s.slice(k))) return j;
  }
  return -1;
}

function findClosingBracket(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < s.length; j++) {
    const ch = s[j]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  return -1;
}

function splitList(body: string, input: string, key: string): string[] {
  const raw = body.split(',').map((x) => x.trim());
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop(); // conda accepts a trailing comma
  if (raw.length === 0) throw fail(input, `'${key}' has an empty list`);
  return raw.map((x) => {
    if (x === '') throw fail(input, `'${key}' has an empty item`);
    const m = /^(['"])(.*)\1$/.exec(x);
    return m ? m[2]! : x;
  });
}
