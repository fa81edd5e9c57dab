// YAML access for the lock file readers (core/spec/lock-file*.ts): parses a lock file once with
// positions, and reads mappings, lists and scalars from it so that every problem becomes a SpecError
// naming the file, the line and column of the offending value, and what to do about it.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { SpecError } from './errors.ts';
import { errorAt, quote, stripBom, type Position } from './source-text.ts';

/** One `key: value` of a mapping; `value` is null for `key:` with nothing after it. */
export interface YamlEntry {
  key: string;
  keyNode: Node;
  value: Node | null;
}

function isPosition(at: Node | null | undefined | Position): at is Position {
  return at !== null && at !== undefined && typeof (at as Position).line === 'number' && typeof (at as Position).column === 'number';
}

export class YamlReader {
  readonly file: string;
  private readonly text: string;
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  private constructor(text: string, file: string) {
    this.file = file;
    this.text = stripBom(text);
    this.lines = new LineCounter();
    this.doc = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  /** Parses the text; YAML syntax errors become a SpecError at the place of the first one. */
  static parse(text: string, file: string): { reader: YamlReader; root: Node | null } {
    const reader = new YamlReader(text, file);
    const syntaxError = reader.doc.errors[0];
    if (syntaxError) {
      const message = syntaxError.code === 'DUPLICATE_KEY'
        ? `the same key appears twice in one mapping; remove one of them (${syntaxError.message.replace(/\.$/, '')})`
        : `YAML syntax error: ${syntaxError.message.replace(/\.$/, '')}; fix the YAML here (check the indentation, quotes and ":" placement)`;
      throw errorAt(message, file, reader.positionAt(syntaxError.pos[0]), { cause: syntaxError });
    }
    return { reader, root: reader.resolve(reader.doc.contents) };
  }

  positionAt(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** Where a node starts (line 1, column 1 when it has no place, e.g. an empty document). */
  pos(node: Node | null | undefined): Position {
    const range = node?.range;
    return range ? this.positionAt(range[0]) : { line: 1, column: 1 };
  }

  /** A SpecError at a node (its start) or at a position. */
  error(message: string, at: Node | null | undefined | Position): SpecError {
    return errorAt(message, this.file, isPosition(at) ? at : this.pos(at));
  }

  resolve(node: unknown): Node | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node as Node;
  }

  isNull(node: Node | null | undefined): boolean {
    return node === null || node === undefined || (isScalar(node) && node.value === null);
  }

  /** A short description of a node for error messages: `a list`, `the number 3`, … */
  describe(node: Node | null | undefined): string {
    if (this.isNull(node)) return 'empty';
    if (isSeq(node)) return 'a list';
    if (isMap(node)) return 'a mapping';
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'number') return `the number ${node.source ?? String(value)}`;
      if (typeof value === 'boolean') return `the boolean ${node.source ?? String(value)}`;
      if (typeof value === 'string') return `the string ${quote(value)}`;
    }
    return 'something else';
  }

  /** The node as a mapping; `what` names it in the error ("the package entry", …). */
  map(node: Node | null | undefined, what: string, fix: string): YAMLMap {
    if (node && isMap(node)) return node;
    throw this.error(`${what} must be a mapping, but it is ${this.describe(node)}; ${fix}`, node);
  }

  seq(node: Node | null | undefined, what: string, fix: string): YAMLSeq {
    if (node && isSeq(node)) return node;
    throw this.error(`${what} must be a list, but it is ${this.describe(node)}; ${fix}`, node);
  }

  /** The items of a list (aliases resolved). */
  items(seq: YAMLSeq): (Node | null)[] {
    return seq.items.map((item) => this.resolve(item));
  }

  /** The entries of a mapping in file order; keys must be plain scalars. */
  entries(map: YAMLMap): YamlEntry[] {
    return map.items.map((pair) => {
      const keyNode = this.resolve(pair.key);
      if (keyNode === null || !isScalar(keyNode)) {
        throw this.error(`mapping keys must be plain names, but this one is ${this.describe(keyNode)}`, keyNode ?? map);
      }
      return { key: this.scalarText(keyNode), keyNode, value: this.resolve(pair.value) };
    });
  }

  /** The value of `key`: undefined when the key is absent, null when it has no value. */
  get(map: YAMLMap, key: string): Node | null | undefined {
    for (const pair of map.items) {
      const keyNode = this.resolve(pair.key);
      if (keyNode !== null && isScalar(keyNode) && this.scalarText(keyNode) === key) return this.resolve(pair.value);
    }
    return undefined;
  }

  has(map: YAMLMap, key: string): boolean {
    return this.get(map, key) !== undefined;
  }

  /**
   * The text of a scalar as written where YAML would read it as something else: `1.10` stays `1.10`
   * (not the number 1.1), `2022g` and `yes` stay strings. Strings are returned as YAML reads them.
   */
  scalarText(node: Node): string {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    if (isScalar(node) && node.source !== undefined && typeof node.source === 'string') return node.source;
    const range = node.range;
    if (range) return this.text.slice(range[0], range[1]).trim();
    return String((node as { value?: unknown }).value);
  }

  /** A scalar's text; `what` names it in the error. */
  str(node: Node | null | undefined, what: string, fix: string): string {
    if (node && isScalar(node) && node.value !== null) return this.scalarText(node);
    throw this.error(`${what} must be a single value, but it is ${this.describe(node)}; ${fix}`, node);
  }

  /** The text of `key` when present and not empty, else undefined. */
  optStr(map: YAMLMap, key: string, what: string): string | undefined {
    const node = this.get(map, key);
    if (this.isNull(node)) return undefined;
    return this.str(node, what, `write ${key}: <value>`);
  }

  /** A non-negative integer value (`build_number`, `size`, `timestamp`). */
  optInt(map: YAMLMap, key: string, what: string): number | undefined {
    const node = this.get(map, key);
    if (this.isNull(node)) return undefined;
    if (node && isScalar(node)) {
      const value = node.value;
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
      if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
    }
    throw this.error(`${what} must be a whole number, but it is ${this.describe(node)}; write ${key}: <number>`, node);
  }

  optBool(map: YAMLMap, key: string, what: string): boolean | undefined {
    const node = this.get(map, key);
    if (this.isNull(node)) return undefined;
    if (node && isScalar(node) && typeof node.value === 'boolean') return node.value;
    throw this.error(`${what} must be true or false, but it is ${this.describe(node)}`, node);
  }

  /**
   * A list of strings (`depends`, `constrains`, …). Absent or empty gives []. A single string is read
   * as a one-item list when `oneOrMany` (rattler accepts `track_features: vc14`).
   */
  strList(map: YAMLMap, key: string, what: string, options: { oneOrMany?: boolean } = {}): string[] {
    const node = this.get(map, key);
    if (this.isNull(node)) return [];
    if (options.oneOrMany && node && isScalar(node)) {
      return this.scalarText(node).replaceAll(',', ' ').split(' ').filter((item) => item !== '');
    }
    const seq = this.seq(node, what, `write each item on its own line as "- <value>"`);
    return this.items(seq).map((item, index) => this.str(item, `item ${index + 1} of ${what}`, 'write each item as a plain string'));
  }

  /** A plain JSON value of a node (for free-form data kept as is: variants, source locations, options). */
  json(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) return null;
    return node.toJSON(this.doc);
  }
}
