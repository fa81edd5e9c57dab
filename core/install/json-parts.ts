// JSON text of a document as a list of small strings whose concatenation is exactly
// `JSON.stringify(value, null, indent)`. A big package's conda-meta record is megabytes of JSON
// (python's: 4 MB); made by one JSON.stringify, that text and the stringifier's growing buffers are
// large objects — fresh memory each time, which costs more than the formatting on virtual machines
// where the first touch of a page is expensive. Made in parts of at most a few tens of kilobytes,
// every string stays in V8's young generation, whose pages are reused; scratch-window.ts writes
// the parts through one reused buffer.
//
// Objects are written member by member; the elements of an array are stringified a group at a time
// (by JSON.stringify, the fast native path) and re-indented to their depth — a record's
// `paths_data` entries are small objects. Plain JSON data is expected (what JSON.parse returns plus
// numbers, strings, booleans, null, undefined); a value with a `toJSON` method is stringified whole.

import { closeSync, openSync } from 'node:fs';
import { TextWindowWriter } from './scratch-window.ts';

/** Parts are cut once the current one reaches this many characters (two-byte strings stay below V8's large-object size). */
const PART_CHARS = 16 * 1024;

/** Array elements stringified together (by JSON.stringify, then re-indented): a record's paths_data entries are ~150 characters. */
const ARRAY_GROUP = 64;

type Json = unknown;

class Parts {
  readonly #out: (part: string) => void;
  #current = '';

  constructor(out: (part: string) => void) {
    this.#out = out;
  }

  add(text: string): void {
    this.#current += text;
    if (this.#current.length >= PART_CHARS) {
      this.#out(this.#current);
      this.#current = '';
    }
  }

  finish(): void {
    if (this.#current !== '') this.#out(this.#current);
    this.#current = '';
  }
}

/** What JSON.stringify drops from an object (and writes as null in an array). */
const isSkipped = (v: Json): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const isContainer = (v: Json): v is object => typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/**
 * `JSON.stringify(value, null, indent)` (indent 0 = compact) followed by `suffix`, as parts. Like
 * JSON.stringify, a value that has no JSON text (undefined, a function) gives no parts at all.
 */
export function jsonTextParts(value: Json, indent = 0, suffix = ''): string[] {
  const list: string[] = [];
  emitJsonText(value, indent, suffix, (part) => list.push(part));
  return list;
}

/**
 * The same parts handed to `out` as they are made — nothing of the text is kept, so a consumer that
 * writes them at once (scratch-window.ts TextWindowWriter) leaves only short-lived strings behind.
 */
export function emitJsonText(value: Json, indent: number, suffix: string, out: (part: string) => void): void {
  if (isSkipped(value)) return;
  const parts = new Parts(out);
  const step = ' '.repeat(indent);
  const whole = (v: Json, pad: string): void => {
    const text = JSON.stringify(v, null, indent) ?? 'null';
    parts.add(indent > 0 && pad !== '' ? text.replaceAll('\n', '\n' + pad) : text);
  };
  const emit = (v: Json, pad: string): void => {
    if (!isContainer(v)) return whole(v, pad);
    const inner = indent > 0 ? pad + step : '';
    const open = indent > 0 ? '\n' + inner : '';
    const sep = indent > 0 ? ',\n' + inner : ',';
    const close = indent > 0 ? '\n' + pad : '';
    if (Array.isArray(v)) {
      if (v.length === 0) return parts.add('[]');
      parts.add('[');
      for (let i = 0; i < v.length; i += ARRAY_GROUP) {
        // "[\n<step>a,\n<step>b\n]" (or "[a,b]"): the group's elements, each line one level deeper
        const text = JSON.stringify(v.length <= ARRAY_GROUP ? v : v.slice(i, i + ARRAY_GROUP), null, indent);
        const body = indent > 0 ? text.slice(2, -2) : text.slice(1, -1);
        const lead = indent === 0 ? (i > 0 ? ',' : '') : i > 0 ? ',\n' : '\n';
        parts.add(lead + (pad !== '' ? pad + body.replaceAll('\n', '\n' + pad) : body));
      }
      return parts.add(close + ']');
    }
    const record = v as Record<string, Json>;
    let first = true;
    for (const key of Object.keys(record)) {
      const member = record[key];
      if (isSkipped(member)) continue;
      parts.add((first ? '{' + open : sep) + JSON.stringify(key) + (indent > 0 ? ': ' : ':'));
      first = false;
      emit(member, inner);
    }
    parts.add(first ? '{}' : close + '}');
  };
  emit(value, '');
  if (suffix !== '') parts.add(suffix);
  parts.finish();
}

/**
 * Writes `JSON.stringify(value, null, indent)` and `suffix` as UTF-8 to the file `path` (created
 * or truncated), part by part through the scratch window: no string or buffer the size of the text.
 */
export function writeJsonFileSync(path: string, value: Json, indent = 0, suffix = ''): void {
  const fd = openSync(path, 'w');
  try {
    const writer = new TextWindowWriter(fd);
    emitJsonText(value, indent, suffix, (part) => writer.write(part));
    writer.flush();
  } finally {
    closeSync(fd);
  }
}
