import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/channel/http-resume.ts
var ShortBody = class extends Error {
  code = "ENV_SETUP_SHORT_BODY";
};
function header(headers, name) {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}
function parseContentRange(value) {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? "");
  if (!m) return void 0;
  return { start: Number(m[1]), total: m[3] === "*" ? void 0 : Number(m[3]) };
}
function rangeValidator(headers) {
  const etag = header(headers, "etag");
  return etag && !etag.startsWith("W/") ? etag : header(headers, "last-modified");
}

export {
  ShortBody,
  header,
  parseContentRange,
  rangeValidator
};
