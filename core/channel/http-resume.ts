// What resuming an HTTP download needs, shared by package downloads (core/install/download.ts) and
// the Action's cache downloads (action/cache-service-read.ts): reading a response header, the
// Content-Range of a 206, the validator to send back in If-Range, and the error for a body that
// ended before its length.

import type { Dispatcher } from 'undici';

/** The body ended before the length its answer gave (retryable: the download resumes). */
export class ShortBody extends Error {
  readonly code = 'ENV_SETUP_SHORT_BODY';
}

/** A response header's value (repeated ones joined with `, `). */
export function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** `bytes 100-999/1000` → { start: 100, total: 1000 } (total undefined for `*`). */
export function parseContentRange(value: string | undefined): { start: number; total: number | undefined } | undefined {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!m) return undefined;
  return { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

/** What to send in If-Range: a strong ETag, else Last-Modified (a weak ETag cannot validate a range). */
export function rangeValidator(headers: Dispatcher.ResponseData['headers']): string | undefined {
  const etag = header(headers, 'etag');
  return etag && !etag.startsWith('W/') ? etag : header(headers, 'last-modified');
}
