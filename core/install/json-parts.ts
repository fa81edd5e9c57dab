// JSON text of a document as a list of small strings whose concatenation is exactly
// `JSON.stringify(value, null, indent)`. A big package's conda-meta record is megabytes of JSON
// (python's: 4 MB); made by one JSON.stringify, that text and the stringifier's growing buffers are
// large objects — fresh memory each time, which costs more than the formatting on virtual machines
// where the first touch of a page is expensive. Made in parts of at most a few tens of kilobytes,
// every string stays in V8's young generation, whose pages are reused; scratch-window.ts writes
// the parts through one reused buffer.
//
// Objects are written member by member; the elements of an array are stringified a group at a time
// (by JSON.stringify, the fast native path), wrapped so that it indents them to their depth — a
// record's `paths_data` entries are small objects. Plain JSON data is expected (what JSON.parse
// returns plus numbers, strings, booleans, null, undefined); a value with a `toJSON` method is
// stringified whole, except JsonRows (an array whose elements are made a group at a time as they
// are written: prefix-paths-data.ts).

import { closeSync, openSync } from 'node:fs';
import { TextWindowWriter } from './scratch-window.ts';

/** Array elements stringified together (by JSON.stringify, inside wrappers that indent them to their depth): a record's paths_data entries are ~150 characters. */
const ARRAY_GROUP = 64;

type Json = unknown;

/**
 * An array whose elements are made only as they are written: `rowCount` of them, the i-th by
 * `row(i)`. emitJsonText asks for a group at a time, so no element outlives its group; `toJSON`
 * gives them all, for JSON.stringify.
 */
export interface JsonRows {
  readonly rowCount: number;
  row(i: number): unknown;
  toJSON(): unknown[];
}

const isJsonRows = (v: Json): v is JsonRows => typeof v === 'object' && v !== null && typeof (v as JsonRows).row === 'function' && typeof (v as JsonRows).rowCount === 'number';

/** What JSON.stringify drops from an object (and writes as null in an array). */
const isSkipped = (v: Json): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const isContainer = (v: Json): v is object => typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/**
 * `JSON.stringify(value, null, indent)` (indent 0 = compact) followed by `suffix`, handed to `out`
 * part by part as the parts are made — nothing of the text is kept, so a consumer that writes them
 * at once (scratch-window.ts TextWindowWriter) leaves only short-lived strings behind. Like
 * JSON.stringify, a value that has no JSON text (undefined, a function) gives no parts at all.
 * Parts are not joined here: each is a piece of JSON.stringify's own text (a slice of it, which V8
 * keeps as a view into that text) or a few punctuation characters, so no character is copied
 * twice before it is encoded.
 */
export function emitJsonText(value: Json, indent: number, suffix: string, out: (part: string) => void): void {
  if (isSkipped(value)) return;
  const step = ' '.repeat(indent);
  const whole = (v: Json, pad: string): void => {
    const text = JSON.stringify(v, null, indent) ?? 'null';
    // only a value with toJSON can have lines (a string's JSON text has no raw line break)
    out(indent > 0 && pad !== '' && text.includes('\n') ? text.replaceAll('\n', '\n' + pad) : text);
  };
  const emit = (v: Json, pad: string, depth: number): void => {
    const rows = isJsonRows(v) ? v : undefined;
    if (rows === undefined && !isContainer(v)) return whole(v, pad);
    const inner = indent > 0 ? pad + step : '';
    const open = indent > 0 ? '\n' + inner : '';
    const sep = indent > 0 ? ',\n' + inner : ',';
    const close = indent > 0 ? '\n' + pad : '';
    if (rows !== undefined || Array.isArray(v)) {
      const count = rows !== undefined ? rows.rowCount : (v as Json[]).length;
      if (count === 0) return out('[]');
      out('[');
      // JSON.stringify indents a group of elements to their depth when the group sits inside as
      // many arrays as the array is deep: "[\n  [\n    <elements>\n  ]\n]" at depth 1. What the
      // wrappers add before and after is a known number of characters, cut off by one slice.
      let head = 1;
      let tail = 1;
      for (let j = 0; j < depth; j++) {
        head += 1 + (indent > 0 ? 1 + (j + 1) * indent : 0);
        tail += 1 + (indent > 0 ? 1 + j * indent : 0);
      }
      tail += indent > 0 ? 1 + depth * indent : 0;
      for (let i = 0; i < count; i += ARRAY_GROUP) {
        let wrapped: unknown =
          rows !== undefined ? Array.from({ length: Math.min(ARRAY_GROUP, count - i) }, (_, k) => rows.row(i + k)) : count <= ARRAY_GROUP ? v : (v as Json[]).slice(i, i + ARRAY_GROUP);
        for (let j = 0; j < depth; j++) wrapped = [wrapped];
        const text = JSON.stringify(wrapped, null, indent);
        // "\n<inner>a,\n<inner>b" (or "a,b"): the group's elements at their depth
        if (i > 0) out(',');
        out(text.slice(head, text.length - tail));
      }
      return out(close + ']');
    }
    const record = v as Record<string, Json>;
    let first = true;
    for (const key of Object.keys(record)) {
      const member = record[key];
      if (isSkipped(member)) continue;
      out((first ? '{' + open : sep) + JSON.stringify(key) + (indent > 0 ? ': ' : ':'));
      first = false;
      emit(member, inner, depth + 1);
    }
    out(first ? '{}' : close + '}');
  };
  emit(value, '', 0);
  if (suffix !== '') out(suffix);
}

/**
 * Writes `JSON.stringify(value, null, indent)` and `suffix` for each of `values`, one after the
 * other, as UTF-8 at the open file `fd`'s position, part by part through the scratch window: no
 * string or buffer the size of the text.
 */
export function writeJsonSync(fd: number, values: readonly Json[], indent = 0, suffix = ''): void {
  const writer = new TextWindowWriter(fd);
  for (const value of values) emitJsonText(value, indent, suffix, (part) => writer.write(part));
  writer.flush();
}

/** The same for one value, to the file `path` (created or truncated). */
export function writeJsonFileSync(path: string, value: Json, indent = 0, suffix = ''): void {
  const fd = openSync(path, 'w');
  try {
    writeJsonSync(fd, [value], indent, suffix);
  } finally {
    closeSync(fd);
  }
}
