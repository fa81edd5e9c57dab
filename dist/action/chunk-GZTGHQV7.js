import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/cache/env-tarball-tar-writer.ts
var TYPE_FLAG = { file: 48, hardlink: 49, symlink: 50, dir: 53 };
var MAX_OCTAL_12 = 8589934591;
function writeOctal(buf, off, width, value) {
  buf.write(value.toString(8).padStart(width - 1, "0"), off, width - 1, "latin1");
  buf[off + width - 1] = 0;
}
function tarPadding(length) {
  return (512 - length % 512) % 512;
}
function splitName(path) {
  const length = Buffer.byteLength(path);
  if (length <= 100) return { name: path, prefix: "" };
  if (length > 256) return void 0;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== "") return { name, prefix };
  }
  return void 0;
}
function paxRecord(key, value) {
  const body = ` ${key}=${value}
`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return `${length}${body}`;
}
function block(name, prefix, type, mode, size, mtime, linkpath) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, "utf8");
  writeOctal(h, 100, 8, mode & 4095);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h[156] = type;
  if (linkpath !== "") h.write(linkpath, 157, 100, "utf8");
  h.write("ustar\x0000", 257, 8, "latin1");
  if (prefix !== "") h.write(prefix, 345, 155, "utf8");
  h.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  h.write(sum.toString(8).padStart(6, "0"), 148, 6, "latin1");
  h[154] = 0;
  h[155] = 32;
  return h;
}
function tarHeader(entry) {
  const memberPath = entry.type === "dir" ? `${entry.path}/` : entry.path;
  const linkpath = entry.linkpath ?? "";
  const size = entry.type === "file" ? entry.size : 0;
  const mtime = Math.max(0, Math.min(MAX_OCTAL_12, Math.floor(entry.mtime)));
  const pax = [];
  let split = splitName(memberPath);
  if (split === void 0) {
    pax.push(paxRecord("path", memberPath));
    split = { name: Buffer.from(memberPath).subarray(0, 100).toString("utf8").replace(/\uFFFD+$/, ""), prefix: "" };
  }
  if (Buffer.byteLength(linkpath) > 100) pax.push(paxRecord("linkpath", linkpath));
  if (size > MAX_OCTAL_12) pax.push(paxRecord("size", String(size)));
  const header = block(split.name, split.prefix, TYPE_FLAG[entry.type], entry.mode, size > MAX_OCTAL_12 ? 0 : size, mtime, Buffer.byteLength(linkpath) > 100 ? "" : linkpath);
  if (pax.length === 0) return header;
  const body = Buffer.from(pax.join(""));
  const paxHeader = block("././@PaxHeader", "", 120, 420, body.length, 0, "");
  return Buffer.concat([paxHeader, body, Buffer.alloc(tarPadding(body.length)), header]);
}
var TAR_END = Buffer.alloc(1024);

export {
  tarPadding,
  tarHeader,
  TAR_END
};
