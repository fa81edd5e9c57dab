// Reader for conda environment files with source positions: environment.yml (CEP 24), and the
// entry point parseEnvironmentFile, which also recognises explicit and plain spec files (CEP 23).
// Every value keeps the line and column it came from, so the editor can point at it; every
// problem is a SpecError naming the file, line and column.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseExplicitFile, hasExplicitMarker, type ExplicitFile } from './explicit-file.ts';
import { KNOWN_SUBDIRS } from './platform.ts';
import { parseDependency, parsePlainSpecFile, type DependencyEntry, type PlainSpecFile } from './plain-spec-file.ts';
import { SpecError } from './errors.ts';
import { errorAt, quote, stripBom, type Located, type Position, type Range } from './source-text.ts';

export type { Position, Range, Located } from './source-text.ts';
export type { DependencyEntry, PlainSpecFile } from './plain-spec-file.ts';
export type { ExplicitFile, ExplicitPackage } from './explicit-file.ts';
export { parseExplicitFile } from './explicit-file.ts';
export { redactUrl, stripCredentials } from './url-credentials.ts';
export { parsePlainSpecFile } from './plain-spec-file.ts';

/** A pip requirement from the `pip:` subsection of `dependencies`, kept as written. */
export interface PipEntry {
  text: string;
  range: Range;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
  /** From the start of the name to the end of the value. */
  range: Range;
}

export interface EnvironmentWarning {
  message: string;
  range: Range;
}

export interface EnvironmentYml {
  kind: 'environment-yml';
  fileName: string;
  name?: Located<string>;
  prefix?: Located<string>;
  channels: Located<string>[];
  /** The conda dependencies, in file order. */
  dependencies: DependencyEntry[];
  /** The requirements of the `pip:` subsection, in file order. */
  pip: PipEntry[];
  /** The range of the `pip` key of the `pip:` subsection, when there is one. */
  pipRange?: Range;
  variables: EnvironmentVariable[];
  /** CEP 24 optional extension: the subdirs to solve for (conda-lock). */
  platforms?: Located<string>[];
  /** CEP 24 optional extension: a free-form label for the dependencies (conda-lock). */
  category?: Located<string>;
  /** Things conda ignores or tolerates but a reader should see (unknown keys, empty sections, …). */
  warnings: EnvironmentWarning[];
}

export type EnvironmentFile = EnvironmentYml | ExplicitFile | PlainSpecFile;

/** Top-level keys of CEP 24 (the five core keys and the two optional extensions). */
const KNOWN_KEYS = ['name', 'channels', 'dependencies', 'variables', 'prefix', 'platforms', 'category'] as const;

/** Subdirs accepted in `platforms` (`noarch` is not a platform to solve for). */
const KNOWN_PLATFORMS: ReadonlySet<string> = new Set([...KNOWN_SUBDIRS].filter((subdir) => subdir !== 'noarch'));

/** The variables micromamba accepts in dictionary selectors (`- sel(win): pywin32`). */
const DICT_SELECTORS = new Set(['unix', 'linux', 'osx', 'win']);

/**
 * Reads any conda environment file, choosing the format by content: a file with an `@EXPLICIT`
 * line is an explicit spec file; a `.yml`/`.yaml` file, or one whose content is a YAML mapping, is
 * an environment.yml; anything else is a plain spec file (one match spec per line).
 */
export function parseEnvironmentFile(text: string, fileName: string): EnvironmentFile {
  if (hasExplicitMarker(text)) return parseExplicitFile(text, fileName);
  if (/\.ya?ml$/i.test(fileName) || looksLikeYamlMapping(text)) return parseEnvironmentYml(text, fileName);
  return parsePlainSpecFile(text, fileName);
}

function looksLikeYamlMapping(text: string): boolean {
  const doc = parseDocument(stripBom(text), { prettyErrors: false });
  return doc.errors.length === 0 && isMap(doc.contents);
}

interface Context {
  readonly text: string;
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly result: EnvironmentYml;
  /** Tolerant reading (editors): problems collected here instead of thrown. */
  readonly errors: SpecError[] | undefined;
}

export interface EnvironmentYmlOptions {
  /**
   * Read on past problems, as an editor needs: each YAML syntax error, each top-level key and each
   * dependency entry that cannot be read becomes a SpecError in this list (in file order) and the
   * rest of the file is still read. Without it the first problem is thrown.
   */
  errors?: SpecError[];
}

/** Runs one step of reading; in tolerant mode a SpecError it throws is collected and reading goes on. */
function tolerate(ctx: Context, step: () => void): void {
  if (ctx.errors === undefined) return step();
  try {
    step();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    ctx.errors.push(error);
  }
}

/** Reads an environment.yml file (CEP 24). */
export function parseEnvironmentYml(text: string, fileName: string, options: EnvironmentYmlOptions = {}): EnvironmentYml {
  const source = stripBom(text);
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const result: EnvironmentYml = {
    kind: 'environment-yml',
    fileName,
    channels: [],
    dependencies: [],
    pip: [],
    variables: [],
    warnings: [],
  };
  const ctx: Context = { text: source, file: fileName, doc, lines, result, errors: options.errors };

  const syntaxError = doc.errors[0];
  if (syntaxError && ctx.errors !== undefined) {
    // every syntax error, and nothing read from a document YAML could not make sense of
    for (const e of doc.errors) ctx.errors.push(errorAt(`YAML syntax error: ${yamlMessage(e.code, e.message)}`, fileName, positionAt(ctx, e.pos[0]), { cause: e }));
    return result;
  }
  if (syntaxError) {
    throw errorAt(`YAML syntax error: ${yamlMessage(syntaxError.code, syntaxError.message)}`, fileName, positionAt(ctx, syntaxError.pos[0]), {
      cause: syntaxError,
    });
  }
  for (const warning of doc.warnings) {
    result.warnings.push({ message: `YAML: ${warning.message}`, range: rangeOf(ctx, warning.pos[0], warning.pos[1]) });
  }

  const contents = resolve(ctx, doc.contents);
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    throw errorAt(
      'empty environment file: it has no content; add at least a "dependencies:" list of packages',
      fileName,
      { line: 1, column: 1 },
    );
  }
  if (!isMap(contents)) {
    throw errorAt(
      `an environment file must be a YAML mapping with keys such as "name", "channels" and "dependencies", but this one is ${describe(contents)}`,
      fileName,
      nodeStart(ctx, contents),
    );
  }

  const keys = new Map<string, Pair>();
  for (const pair of contents.items) keys.set(keyName(ctx, pair), pair);
  rejectLockFile(ctx, keys, nodeStart(ctx, contents));

  for (const [key, pair] of keys) tolerate(ctx, () => readTopLevel(ctx, key, pair));

  if (!keys.has('dependencies')) {
    result.warnings.push({
      message: 'there is no "dependencies" list, so the environment will be empty; add a "dependencies:" list of packages',
      range: rangeOf(ctx, 0, 0),
    });
  }
  if (result.pip.length > 0 && result.pipRange && !result.dependencies.some((dep) => dep.spec.name === 'pip')) {
    result.warnings.push({
      message:
        'there are pip requirements but "pip" is not among the conda dependencies, so the pip packages may be installed with the wrong pip or not at all; add "- pip" to the dependencies',
      range: result.pipRange,
    });
  }
  return result;
}

/** One top-level key of the file. */
function readTopLevel(ctx: Context, key: string, pair: Pair): void {
  const result = ctx.result;
  const keyRange = nodeRange(ctx, pair.key as Node);
  const value = resolve(ctx, pair.value);
  const known = (KNOWN_KEYS as readonly string[]).includes(key);
  if (!known) {
    result.warnings.push({ message: unknownKeyMessage(key), range: keyRange });
    return;
  }
  if (isNull(value)) {
    result.warnings.push({
      message: `"${key}" has no value and is ignored; give it a value or remove the key`,
      range: keyRange,
    });
    return;
  }
  switch (key) {
    case 'name':
      result.name = readString(ctx, key, value, 'the environment name');
      checkEnvironmentName(ctx, result.name);
      break;
    case 'prefix':
      result.prefix = readString(ctx, key, value, 'the environment path');
      break;
    case 'category':
      result.category = readString(ctx, key, value, 'a label such as "dev"');
      break;
    case 'channels':
      result.channels = readStringList(ctx, key, value, 'channel', 'conda-forge');
      break;
    case 'platforms':
      result.platforms = readStringList(ctx, key, value, 'platform', 'linux-64');
      for (const platform of result.platforms) checkPlatform(ctx, platform);
      break;
    case 'dependencies':
      readDependencies(ctx, value);
      break;
    case 'variables':
      readVariables(ctx, value);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Top-level values

function readString(ctx: Context, key: string, node: Node, what: string): Located<string> {
  if (!isScalar(node)) {
    throw errorAt(`"${key}" must be ${what} written as a single string, but it is ${describe(node)}`, ctx.file, nodeStart(ctx, node));
  }
  const value = scalarText(ctx, node).trim();
  if (value === '') {
    throw errorAt(`"${key}" is empty; write ${what} or remove the key`, ctx.file, nodeStart(ctx, node));
  }
  return { value, range: nodeRange(ctx, node) };
}

function readStringList(ctx: Context, key: string, node: Node, item: string, example: string): Located<string>[] {
  if (!isSeq(node)) {
    throw errorAt(
      `"${key}" must be a list, one ${item} per line (for example "${key}:\\n  - ${example}"), but it is ${describe(node)}`,
      ctx.file,
      nodeStart(ctx, node),
    );
  }
  const list: Located<string>[] = [];
  node.items.forEach((raw, index) => {
    const entry = resolve(ctx, raw);
    if (isNull(entry)) {
      throw errorAt(`empty ${item} entry in "${key}"; write a ${item} after "-" or remove the line`, ctx.file, itemStart(ctx, node, index));
    }
    if (!isScalar(entry)) {
      throw errorAt(`each ${item} in "${key}" must be a string such as "${example}", but this one is ${describe(entry)}`, ctx.file, nodeStart(ctx, entry));
    }
    const value = scalarText(ctx, entry).trim();
    if (value === '') throw errorAt(`empty ${item} in "${key}"; write a ${item} or remove the entry`, ctx.file, nodeStart(ctx, entry));
    list.push({ value, range: nodeRange(ctx, entry) });
  });
  return list;
}

function checkEnvironmentName(ctx: Context, name: Located<string>): void {
  const bad = [...new Set(name.value.match(/[/ :#]/g) ?? [])];
  if (bad.length > 0) {
    const shown = bad.map((char) => (char === ' ' ? 'a space' : `"${char}"`)).join(', ');
    ctx.result.warnings.push({
      message: `environment name ${quote(name.value)} contains ${shown}, which conda does not allow in environment names; rename it (for example with "-" or "_")`,
      range: name.range,
    });
  }
  if (name.value === 'base' || name.value === 'root') {
    ctx.result.warnings.push({
      message: `"${name.value}" is conda's own environment and cannot be created from a file; choose another name`,
      range: name.range,
    });
  }
}

function checkPlatform(ctx: Context, platform: Located<string>): void {
  if (platform.value === 'noarch') {
    throw errorAt('"noarch" is not a platform to solve for; list real platforms such as linux-64 or osx-arm64', ctx.file, platform.range.start);
  }
  if (!KNOWN_PLATFORMS.has(platform.value)) {
    throw errorAt(
      `unknown platform ${quote(platform.value)}; use one of ${[...KNOWN_PLATFORMS].join(', ')}`,
      ctx.file,
      platform.range.start,
    );
  }
}

function readVariables(ctx: Context, node: Node): void {
  if (!isMap(node)) {
    throw errorAt(
      `"variables" must be a mapping of NAME: value pairs (for example "variables:\\n  MY_VAR: value"), but it is ${describe(node)}`,
      ctx.file,
      nodeStart(ctx, node),
    );
  }
  for (const pair of node.items) {
    const name = keyName(ctx, pair);
    const keyNode = pair.key as Node;
    if (name === '' || name.includes('=')) {
      throw errorAt(`invalid environment variable name ${quote(name)}; names must be non-empty and must not contain "="`, ctx.file, nodeStart(ctx, keyNode));
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      ctx.result.warnings.push({
        message: `environment variable name ${quote(name)} is not portable; use letters, digits and "_" only, not starting with a digit`,
        range: nodeRange(ctx, keyNode),
      });
    }
    const value = resolve(ctx, pair.value);
    if (isNull(value)) {
      throw errorAt(`environment variable "${name}" has no value; give it a value (write "" for an empty string)`, ctx.file, nodeStart(ctx, keyNode));
    }
    if (!isScalar(value)) {
      throw errorAt(`the value of environment variable "${name}" must be a single string, but it is ${describe(value)}`, ctx.file, nodeStart(ctx, value));
    }
    const valueRange = nodeRange(ctx, value);
    ctx.result.variables.push({
      name,
      value: scalarText(ctx, value),
      range: { start: nodeRange(ctx, keyNode).start, end: valueRange.end },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// dependencies

function readDependencies(ctx: Context, node: Node): void {
  if (!isSeq(node)) {
    throw errorAt(
      `"dependencies" must be a list of package specs, one per line (for example "dependencies:\\n  - python=3.12"), but it is ${describe(node)}`,
      ctx.file,
      nodeStart(ctx, node),
    );
  }
  node.items.forEach((raw, index) => tolerate(ctx, () => readDependencyItem(ctx, node, raw, index)));
}

/** One entry of `dependencies`: a spec, or a `- key: …` subsection. */
function readDependencyItem(ctx: Context, node: YAMLSeq, raw: unknown, index: number): void {
  const entry = resolve(ctx, raw);
  if (isNull(entry)) {
    throw errorAt('empty dependency entry; write a package spec after "-" or remove the line', ctx.file, itemStart(ctx, node, index));
  }
  if (isSeq(entry)) {
    throw errorAt(
      'a dependency must be a package spec string, but this one is a nested list; remove the extra "-" or fix the indentation',
      ctx.file,
      nodeStart(ctx, entry),
    );
  }
  if (isMap(entry)) {
    readSubsection(ctx, entry);
    return;
  }
  ctx.result.dependencies.push(readSpec(ctx, entry as Scalar, selectorOfComment(entry as Scalar)));
}

function readSpec(ctx: Context, node: Scalar, selector: string | undefined): DependencyEntry {
  if (typeof node.value === 'number') {
    const shown = scalarText(ctx, node);
    throw errorAt(
      `dependency ${shown} is read by YAML as a number, not a package spec; write a spec such as "python=${shown}", or quote it if it is a package name`,
      ctx.file,
      nodeStart(ctx, node),
    );
  }
  const text = scalarText(ctx, node).trim();
  if (text === '') throw errorAt('empty dependency; write a package spec or remove the entry', ctx.file, nodeStart(ctx, node));
  return parseDependency(text, ctx.file, nodeRange(ctx, node), selector);
}

/** A `- key: value` entry of `dependencies`: the pip subsection, a dictionary selector, or a mistake. */
function readSubsection(ctx: Context, map: YAMLMap): void {
  for (const pair of map.items) {
    const key = keyName(ctx, pair);
    const keyNode = pair.key as Node;
    const keyRange = nodeRange(ctx, keyNode);
    const value = resolve(ctx, pair.value);
    if (key === 'pip') {
      if (ctx.result.pipRange) {
        const first = ctx.result.pipRange.start;
        throw errorAt(
          `a second "pip" subsection; there may be only one (the first is at line ${first.line}); merge the two lists`,
          ctx.file,
          keyRange.start,
        );
      }
      ctx.result.pipRange = keyRange;
      readPip(ctx, value, keyRange);
      continue;
    }
    const selector = /^sel\((.*)\)$/.exec(key);
    if (selector) {
      const expression = selector[1]!.trim();
      if (!DICT_SELECTORS.has(expression)) {
        throw errorAt(
          `unsupported selector ${quote(key)}; dictionary selectors are sel(unix), sel(linux), sel(osx) or sel(win)`,
          ctx.file,
          keyRange.start,
        );
      }
      if (isNull(value) || !isScalar(value)) {
        throw errorAt(
          `the value of ${quote(key)} must be a package spec string (for example "- ${key}: pywin32"), but it is ${describe(value)}`,
          ctx.file,
          isNull(value) ? keyRange.start : nodeStart(ctx, value),
        );
      }
      ctx.result.dependencies.push(readSpec(ctx, value, expression));
      continue;
    }
    let hint = '';
    if (isScalar(value) && value.value !== null) {
      const valueText = scalarText(ctx, value).trim();
      const spec = /^[=<>!~]/.test(valueText) ? `${key}${valueText}` : `${key}=${valueText}`;
      hint = `; if you meant the conda package, write "- ${spec}" (YAML reads "${key}: ${valueText}" as a mapping)`;
    }
    throw errorAt(
      `unsupported dependencies subsection ${quote(key)}: only "pip" subsections can be installed${hint || '; remove it'}`,
      ctx.file,
      keyRange.start,
    );
  }
}

function readPip(ctx: Context, node: Node | null, keyRange: Range): void {
  if (isNull(node)) {
    ctx.result.warnings.push({ message: 'the "pip" subsection is empty; list pip requirements under it or remove it', range: keyRange });
    return;
  }
  if (!isSeq(node)) {
    throw errorAt(
      `"pip" must be a list of pip requirements, one per line (for example "- pip:\\n    - requests"), but it is ${describe(node)}`,
      ctx.file,
      nodeStart(ctx, node),
    );
  }
  node.items.forEach((raw, index) => {
    const entry = resolve(ctx, raw);
    if (isNull(entry)) {
      throw errorAt('empty pip requirement; write a requirement after "-" or remove the line', ctx.file, itemStart(ctx, node, index));
    }
    if (!isScalar(entry) || typeof entry.value === 'number') {
      throw errorAt(
        `each pip requirement must be a string such as "requests>=2", but this one is ${describe(entry)}${isScalar(entry) ? ' (quote it if it is meant as text)' : ''}`,
        ctx.file,
        nodeStart(ctx, entry),
      );
    }
    const text = scalarText(ctx, entry).trim();
    if (text === '') throw errorAt('empty pip requirement; write a requirement or remove the entry', ctx.file, nodeStart(ctx, entry));
    ctx.result.pip.push({ text, range: nodeRange(ctx, entry) });
  });
}

/** The expression of a CEP 24 comment selector on a list entry (`- pywin32  # [win]`). */
function selectorOfComment(node: Scalar): string | undefined {
  const match = node.comment === undefined || node.comment === null ? null : /^\s*\[(.+)\]\s*$/.exec(node.comment);
  return match ? match[1]!.trim() : undefined;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics helpers

function rejectLockFile(ctx: Context, keys: Map<string, Pair>, start: Position): void {
  const lockKey = ['package', 'packages', 'environments'].find((key) => keys.has(key));
  if (keys.has('version') && lockKey !== undefined && !keys.has('dependencies')) {
    throw errorAt(
      `this is a lock file (it has "version" and "${lockKey}" keys, as conda-lock and pixi lock files do), not an environment.yml; read it as a lock file instead`,
      ctx.file,
      start,
    );
  }
}

function unknownKeyMessage(key: string): string {
  const near = KNOWN_KEYS.find((known) => known === key.toLowerCase() || editDistance(known, key.toLowerCase()) <= 2);
  const advice = near ? `did you mean "${near}"?` : `remove it or check its spelling (known keys: ${KNOWN_KEYS.join(', ')})`;
  return `unknown top-level key ${quote(key)} is ignored by conda; ${advice}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const YAML_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  DUPLICATE_KEY: 'each key may appear only once; merge the two entries',
  MULTIPLE_DOCS: 'an environment file holds a single YAML document; remove the "---" line and what follows, or merge the documents',
  MISSING_CHAR: 'check for a missing closing quote or bracket, or a missing ":"',
};

function yamlMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return `the file holds more than one YAML document; ${YAML_HINTS[code]}`;
  const hint = YAML_HINTS[code] ?? 'fix the YAML syntax here (check the indentation, quotes and ":" placement)';
  return `${message.replace(/\.$/, '')}; ${hint}`;
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'empty';
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'empty';
    if (typeof value === 'number') return `the number ${node.source ?? String(value)}`;
    if (typeof value === 'boolean') return `the boolean ${node.source ?? String(value)}`;
    if (typeof value === 'string') return `the string ${quote(value)}`;
  }
  return 'not a string';
}

// ---------------------------------------------------------------------------------------------
// YAML node helpers

/** Follows an alias (`*name`) to the node it refers to. */
function resolve(ctx: Context, node: unknown): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return node.resolve(ctx.doc) ?? null;
  return node as Node;
}

function isNull(node: Node | null): node is null {
  return node === null || (isScalar(node) && node.value === null);
}

/**
 * The text of a scalar as conda means it: the string value for strings; for plain scalars that
 * YAML reads as something else (`yes`, `true`, `1.10`), the text as written.
 */
function scalarText(ctx: Context, node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  const range = node.range;
  if (range) return ctx.text.slice(range[0], range[1]);
  return String(node.value);
}

function keyName(ctx: Context, pair: Pair): string {
  const key = resolve(ctx, pair.key);
  if (key === null) throw errorAt('a mapping entry has no key; write "key: value"', ctx.file, { line: 1, column: 1 });
  if (!isScalar(key)) {
    throw errorAt(`mapping keys must be plain names, but this one is ${describe(key)}`, ctx.file, nodeStart(ctx, key));
  }
  return scalarText(ctx, key);
}

function positionAt(ctx: Context, offset: number): Position {
  const { line, col } = ctx.lines.linePos(offset);
  return { line, column: col };
}

function rangeOf(ctx: Context, start: number, end: number): Range {
  return { start: positionAt(ctx, start), end: positionAt(ctx, Math.max(start, end)) };
}

/** The range of a node's value, leaving out trailing whitespace and comments after a scalar. */
function nodeRange(ctx: Context, node: Node): Range {
  const range = node.range;
  if (!range) return rangeOf(ctx, 0, 0);
  let end = range[1];
  while (end > range[0] && /\s/.test(ctx.text[end - 1]!)) end--;
  return rangeOf(ctx, range[0], end);
}

function nodeStart(ctx: Context, node: Node): Position {
  return nodeRange(ctx, node).start;
}

/** Where list item `index` starts: its "-" indicator in a block list, else its value. */
function itemStart(ctx: Context, seq: YAMLSeq, index: number): Position {
  const token = seq.srcToken as { type?: string; items?: Array<{ start?: Array<{ type: string; offset: number }> }> } | undefined;
  const indicator = token?.type === 'block-seq' ? token.items?.[index]?.start?.find((t) => t.type === 'seq-item-ind') : undefined;
  if (indicator) return positionAt(ctx, indicator.offset);
  const item = seq.items[index] as Node | null | undefined;
  if (item && item.range) return positionAt(ctx, item.range[0]);
  return nodeStart(ctx, seq);
}
