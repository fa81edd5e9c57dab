// Conda version specs (`>=1.2,<2|1.1.*`, `=1.2`, `1.2.*`, `~=1.2`, `^1\.2.*$`, …) as conda reads them.
//
// `,` (and) binds tighter than `|` (or); parentheses group. A leaf is `*`, an operator and a version,
// a prefix (`1.2.*` / `1.2*` / `=1.2`), a glob with an inner `*` (`1.*.1`), a regex `^…$`, or a bare
// version (exact, `1.2 == 1.2.0`). Lenient mode (the default) accepts what conda accepts; strict mode
// also rejects the ambiguous spellings rattler's strict parser refuses (`>=1.2.*`, `2023.*.*`, bare `1.2`).

import { SpecError } from './errors.ts';
import { Version } from './version.ts';

export type VersionOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=' | '!=startswith' | '~=';

export type VersionSpecNode =
  | { readonly kind: 'any' }
  | { readonly kind: 'operator'; readonly operator: VersionOperator; readonly version: Version; readonly text: string }
  | { readonly kind: 'regex'; readonly regex: RegExp; readonly text: string }
  | { readonly kind: 'exact-string'; readonly text: string }
  | { readonly kind: 'and' | 'or'; readonly children: readonly VersionSpecNode[] };

export interface VersionSpecOptions {
  /** Reject ambiguous spellings (bare versions, operators with `.*`, repeated `.*`). Default false. */
  strict?: boolean;
}

const RELATION = /^(==|!=|<=|>=|~=|=|<|>)(?![=<>!~])(\S+)$/;
const NEEDS_TREE = /[()|,^$]/;
const OPERATOR_START = new Set(['=', '<', '>', '!', '~']);

export class VersionSpec {
  readonly root: VersionSpecNode;
  private readonly text: string;

  private constructor(root: VersionSpecNode, text: string) {
    this.root = root;
    this.text = text;
  }

  static parse(text: string, options: VersionSpecOptions = {}): VersionSpec {
    const strict = options.strict === true;
    const trimmed = text.trim();
    if (trimmed === '') throw invalid(text, 'empty version spec');
    const root = NEEDS_TREE.test(trimmed) ? parseTree(trimmed, text, strict) : parseLeaf(trimmed, text, strict);
    return new VersionSpec(root, render(root, false));
  }

  /** The spec matching every version. */
  static readonly ANY: VersionSpec = new VersionSpec({ kind: 'any' }, '*');

  /** Does the version (a Version or its text) satisfy the spec? Unparsable versions match only regex and exact-string leaves. */
  matches(version: Version | string): boolean {
    return matchNode(this.root, version);
  }

  /** True when the spec names exactly one version (`==1.2` or bare `1.2`). */
  get isExact(): boolean {
    return this.root.kind === 'operator' && this.root.operator === '==' || this.root.kind === 'exact-string';
  }

  /** The version string of an exact spec, else undefined. */
  get exactValue(): string | undefined {
    if (this.root.kind === 'exact-string') return this.root.text;
    if (this.root.kind === 'operator' && this.root.operator === '==') return this.root.version.source;
    return undefined;
  }

  get isAny(): boolean {
    return this.root.kind === 'any';
  }

  /** Conda's canonical spelling, which parses back to the same spec. */
  toString(): string {
    return this.text;
  }

  /** Same meaning, written differently or not: compares the normalized trees. */
  equals(other: VersionSpec): boolean {
    return normalizedKey(this.root) === normalizedKey(other.root);
  }

  /** A string that is equal for specs written differently with the same tree (`1.2` vs `==1.2`, `1.2*` vs `=1.2`). */
  get key(): string {
    return normalizedKey(this.root);
  }
}

function invalid(text: string, why: string): SpecError {
  return new SpecError(`invalid version spec '${text}': ${why}`, { input: text });
}

// ---- parsing ---------------------------------------------------------------------------------

type Token = string;

function tokenize(spec: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < spec.length) {
    const c = spec[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === '|' || c === ',') {
      tokens.push(c);
      i++;
    } else if (c === '^' && spec.indexOf('$', i) > 0) {
      const end = spec.indexOf('$', i);
      tokens.push(spec.slice(i, end + 1));
      i = end + 1;
    } else {
      let j = i;
      while (j < spec.length && !'()|,'.includes(spec[j]!)) j++;
      tokens.push(spec.slice(i, j).trim());
      i = j;
    }
  }
  return tokens;
}

type Tree = string | { op: '|' | ','; items: Tree[] };

/** conda's treeify: shunting-yard over `(`, `)`, `|`, `,`, fusing runs of the same operator. */
function treeify(spec: string, original: string): Tree {
  const tokens = tokenize(spec);
  const output: Tree[] = [];
  const stack: string[] = ['('];
  const apply = (stop: string) => {
    while (stack.length > 0 && !stop.includes(stack[stack.length - 1]!)) {
      if (output.length < 2) throw invalid(original, 'an operator is missing an operand');
      const op = stack.pop() as '|' | ',';
      const right = output.pop()!;
      const left = output.pop()!;
      const items: Tree[] = [];
      for (const side of [left, right]) {
        if (typeof side !== 'string' && side.op === op) items.push(...side.items);
        else items.push(side);
      }
      output.push({ op, items });
    }
  };
  for (const tok of [...tokens, ')']) {
    if (tok === '|') {
      apply('(');
      stack.push('|');
    } else if (tok === ',') {
      apply('|(');
      stack.push(',');
    } else if (tok === '(') {
      stack.push('(');
    } else if (tok === ')') {
      apply('(');
      if (stack.length === 0 || stack[stack.length - 1] !== '(') throw invalid(original, "unbalanced ')'");
      stack.pop();
    } else {
      if (tok === '') throw invalid(original, 'empty expression');
      output.push(tok);
    }
  }
  if (stack.length > 0) throw invalid(original, "unbalanced '('");
  if (output.length !== 1) throw invalid(original, 'unable to read the expression');
  return output[0]!;
}

function parseTree(spec: string, original: string, strict: boolean): VersionSpecNode {
  const build = (t: Tree): VersionSpecNode => {
    if (typeof t === 'string') return parseLeaf(t, original, strict);
    return { kind: t.op === '|' ? 'or' : 'and', children: t.items.map(build) };
  };
  return build(treeify(spec, original));
}

function parseLeaf(leaf: string, original: string, strict: boolean): VersionSpecNode {
  const text = leaf.trim();
  if (text === '') throw invalid(original, 'empty expression');
  if (text[0] === '^' || text[text.length - 1] === '$') {
    if (text[0] !== '^' || text[text.length - 1] !== '$') throw invalid(original, "regex specs must start with '^' and end with '$'");
    let regex: RegExp;
    try {
      regex = new RegExp(text);
    } catch (e) {
      throw invalid(original, `bad regular expression: ${(e as Error).message}`);
    }
    return { kind: 'regex', regex, text };
  }
  if (OPERATOR_START.has(text[0]!)) {
    // mamba accepts `>= 1.7`; the space carries no meaning
    const m = RELATION.exec(text.replace(/^([=<>!~]+)\s+/, '$1'));
    if (m === null) throw invalid(original, `invalid operator in '${text}'`);
    let operator = m[1] as VersionOperator;
    let versionText = m[2]!;
    if (versionText === '*' || versionText === '*.*') {
      // rattler's reading: `>=*`, `==*`, `=*`, `~=*`, `<=*` are "any"; the others name nothing
      if (strict) throw invalid(original, `'${text}': '*' cannot follow an operator; write '*'`);
      if (operator === '>' || operator === '<' || operator === '!=') throw invalid(original, `'${text}' matches no version`);
      return { kind: 'any' };
    }
    if (versionText.endsWith('.*')) {
      if (strict && operator !== '!=') throw invalid(original, `'${operator}' with '.*' is ambiguous; write '${operator}${versionText.slice(0, -2)}' or '${versionText}'`);
      if (operator === '~=') throw invalid(original, "'~=' cannot be combined with '.*'");
      if (operator === '!=') operator = '!=startswith';
      versionText = versionText.slice(0, -2);
    } else if (versionText.endsWith('*')) {
      if (strict) throw invalid(original, `'${text}': '*' cannot follow an operator`);
      if (operator === '=') versionText = versionText.replace(/\*+$/, '').replace(/\.$/, '');
    }
    if (strict && versionText.includes('*')) throw invalid(original, `'${text}': '*' cannot follow an operator`);
    const version = parseVersion(versionText, original);
    const shown = operator === '!=startswith' ? `!=${versionText}.*` : operator === '=' && text.endsWith('*') ? `=${versionText}.*` : text;
    return { kind: 'operator', operator, version, text: shown };
  }
  if (text === '*') return { kind: 'any' };
  if (strict && /^\*(\.\*)+$/.test(text)) throw invalid(original, `'${text}' is ambiguous in strict mode; write '*'`);
  const body = text.replace(/\*+$/, '');
  if (body.includes('*')) {
    if (strict) throw invalid(original, `'${text}': '*' may only end a version pattern`);
    const rx = '^(?:' + text.replace(/[.+]/g, (c) => '\\' + c).replaceAll('*', '.*') + ')$';
    return { kind: 'regex', regex: new RegExp(rx), text };
  }
  if (text.endsWith('*')) {
    let prefix = body.endsWith('.') ? body.slice(0, -1) : body;
    if (strict && (body.endsWith('*') || /\.\*\.?$/.test(text.slice(0, -1)))) throw invalid(original, `'${text}' repeats '.*'`);
    if (prefix === '') return { kind: 'any' };
    return { kind: 'operator', operator: '=', version: parseVersion(prefix, original), text: prefix + '.*' };
  }
  if (text.includes('@')) return { kind: 'exact-string', text };
  if (strict) throw invalid(original, `a bare version is ambiguous in strict mode; write '==${text}' or '${text}.*'`);
  return { kind: 'operator', operator: '==', version: parseVersion(text, original), text };
}

function parseVersion(text: string, original: string): Version {
  try {
    return Version.parse(text);
  } catch (e) {
    throw invalid(original, (e as Error).message);
  }
}

// ---- matching --------------------------------------------------------------------------------

function matchNode(node: VersionSpecNode, version: Version | string): boolean {
  switch (node.kind) {
    case 'any':
      // any *version*: text that is not a conda version matches no version relation, `=*` included
      // (a spec of just `*` is no constraint at all, and MatchSpec does not ask it)
      return typeof version !== 'string' || Version.tryParse(version) !== undefined;
    case 'regex':
      return node.regex.test(typeof version === 'string' ? version : version.source);
    case 'exact-string':
      return (typeof version === 'string' ? version : version.source) === node.text;
    case 'and':
      for (const c of node.children) if (!matchNode(c, version)) return false;
      return true;
    case 'or':
      for (const c of node.children) if (matchNode(c, version)) return true;
      return false;
    case 'operator': {
      const v = typeof version === 'string' ? Version.tryParse(version) : version;
      if (v === undefined) return false;
      return applyOperator(node.operator, v, node.version);
    }
  }
}

function applyOperator(op: VersionOperator, v: Version, target: Version): boolean {
  switch (op) {
    case '==':
      return v.compare(target) === 0;
    case '!=':
      return v.compare(target) !== 0;
    case '<':
      return v.compare(target) < 0;
    case '<=':
      return v.compare(target) <= 0;
    case '>':
      return v.compare(target) > 0;
    case '>=':
      return v.compare(target) >= 0;
    case '=':
      return v.startsWith(target);
    case '!=startswith':
      return !v.startsWith(target);
    case '~=':
      if (v.compare(target) < 0) return false;
      const prefix = compatiblePrefix(target);
      return prefix === null || v.startsWith(prefix);
  }
}

const prefixCache = new WeakMap<Version, Version | null>();

/** `~=1.2.3` means `>=1.2.3` and `1.2.*`: drop the last dotted segment of the written version. */
function compatiblePrefix(target: Version): Version | null {
  let p = prefixCache.get(target);
  if (p === undefined) {
    const parts = target.normalized.split('.');
    p = parts.length > 1 ? Version.parse(parts.slice(0, -1).join('.')) : null;
    prefixCache.set(target, p);
  }
  return p;
}

// ---- printing --------------------------------------------------------------------------------

function render(node: VersionSpecNode, inAnd: boolean): string {
  switch (node.kind) {
    case 'any':
      return '*';
    case 'operator':
    case 'regex':
    case 'exact-string':
      return node.text;
    case 'or': {
      const s = node.children.map((c) => render(c, false)).join('|');
      return inAnd ? `(${s})` : s;
    }
    case 'and':
      return node.children.map((c) => render(c, true)).join(',');
  }
}

function normalizedKey(node: VersionSpecNode): string {
  switch (node.kind) {
    case 'any':
      return '*';
    case 'operator': {
      const op = node.operator === '=' ? '=' : node.operator;
      return `${op}${node.version.normalized}`;
    }
    case 'regex':
      return `re:${node.regex.source}`;
    case 'exact-string':
      return `s:${node.text}`;
    case 'and':
    case 'or':
      return `${node.kind}(${node.children.map(normalizedKey).join(';')})`;
  }
}
