// Spec files: a solve stored as conda's explicit format (CEP 23), so `conda create --file` and
// `micromamba create -f` take it unchanged. A `#` comment header (which conda ignores) says what
// env-setup needs to trust it:
//
//   # This file may be used to create an environment using:
//   # $ conda create --name <env> --file <this file>
//   # platform: linux-64
//   # env-setup spec file
//   # spec-format: 1.0.0                (SPEC_FORMAT_VERSION, semver; a newer major is refused)
//   # env-setup: 0.1.0                  (the version that wrote it)
//   # environment-key: <64 hex>         (environment-key.ts)
//   # channel: https://conda.anaconda.org/conda-forge      (one line per channel, in order, redacted)
//   # virtual-package: __glibc=2.17=0   (one line per virtual package the solve saw)
//   # created: 2025-01-31T12:00:00.000Z
//   @EXPLICIT
//   https://conda.anaconda.org/conda-forge/linux-64/python-3.12.1-h…_0.conda#sha256:<64 hex>
//
// Package URLs are written without credentials (tokens, user:password) and with `#sha256:` (or
// `#<md5>` when a record has no sha256), one per line in install order (dependencies first).
// specFileHash identifies the solution: the platform and the package lines, not the header, so
// the same solve written twice (another day, another key) hashes the same.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SpecError } from '../spec/errors.ts';
import { type ExplicitFile, type ExplicitPackage, parseExplicitFile } from '../spec/explicit-file.ts';
import { redactUrl, stripCredentials } from '../spec/url-credentials.ts';

/** The spec file format this code writes; readers refuse files of a newer major version. */
export const SPEC_FORMAT_VERSION = '1.0.0';

const MARKER = 'env-setup spec file';

export interface SpecFileHeader {
  /** `spec-format`: the format version the file was written in. */
  formatVersion: string;
  /** `env-setup`: the version of env-setup that wrote it. */
  envSetupVersion: string | undefined;
  environmentKey: string | undefined;
  platform: string | undefined;
  /** Channels in priority order, redacted. */
  channels: string[];
  /** `name=version=build` of each virtual package the solve saw. */
  virtualPackages: string[];
  /** ISO 8601 time the file was written. */
  created: string | undefined;
}

/** A package as the solver returns it (SolvedPackage fits). */
export interface SpecFilePackageInput {
  name: string;
  url: string | undefined;
  sha256?: string | undefined;
  md5?: string | undefined;
}

export interface WriteSpecFileInput {
  platform: string;
  environmentKey?: string;
  /** Channels in priority order (names or URLs); credentials are removed. */
  channels: readonly string[];
  /** `name=version=build` (or records with those fields) of the virtual packages the solve used. */
  virtualPackages: readonly (string | { name: string; version: string; build: string })[];
  /** In install order (dependencies first), as solveEnvironment returns them. */
  packages: readonly SpecFilePackageInput[];
  created?: Date;
  /** Default: this package's version. */
  envSetupVersion?: string;
}

export interface SpecFile {
  /** The env-setup header; undefined for an explicit file written by another tool. */
  header: SpecFileHeader | undefined;
  /** The packages, as our explicit-file reader reads them (with positions). */
  explicit: ExplicitFile;
  /** specFileHash of the packages. */
  hash: string;
}

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

/** The line of one package: URL without credentials, then its hash. */
function packageLine(url: string, sha256: string | undefined, md5: string | undefined): string {
  const clean = stripCredentials(url);
  if (sha256 !== undefined) return `${clean}#sha256:${sha256}`;
  if (md5 !== undefined) return `${clean}#${md5}`;
  return clean;
}

/** Identity of a solution: SHA-256 over the platform and the package lines (see the header). */
export function specFileHash(platform: string | undefined, packages: readonly { url: string; sha256?: string | undefined; md5?: string | undefined }[]): string {
  const h = createHash('sha256');
  h.update(`env-setup spec ${SPEC_FORMAT_VERSION.split('.')[0]}\nplatform: ${platform ?? ''}\n`);
  for (const p of packages) h.update(`${packageLine(p.url, p.sha256, p.md5)}\n`);
  return h.digest('hex');
}

let ownVersion: string | undefined;
/** env-setup's version (package.json; found the same way from the sources and from dist/action's bundles). */
export function envSetupVersion(): string {
  ownVersion ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return ownVersion;
}

/** The text of a spec file for a solve (see the header for the layout). */
export function writeSpecFile(input: WriteSpecFileInput): string {
  const lines = [
    '# This file may be used to create an environment using:',
    '# $ conda create --name <env> --file <this file>',
    `# platform: ${oneLine(input.platform)}`,
    `# ${MARKER}`,
    `# spec-format: ${SPEC_FORMAT_VERSION}`,
    `# env-setup: ${oneLine(input.envSetupVersion ?? envSetupVersion())}`,
  ];
  if (input.environmentKey !== undefined) lines.push(`# environment-key: ${oneLine(input.environmentKey)}`);
  for (const c of input.channels) lines.push(`# channel: ${oneLine(redactUrl(c))}`);
  for (const v of input.virtualPackages) lines.push(`# virtual-package: ${oneLine(typeof v === 'string' ? v : `${v.name}=${v.version}=${v.build}`)}`);
  lines.push(`# created: ${(input.created ?? new Date()).toISOString()}`);
  lines.push('@EXPLICIT');
  for (const p of input.packages) {
    if (p.url === undefined) throw new SpecError(`cannot write a spec file: the package '${p.name}' has no URL to install it from`);
    lines.push(packageLine(p.url, p.sha256, p.md5));
  }
  return lines.join('\n') + '\n';
}

/**
 * Reads a spec file (ours, or any explicit file) with our explicit-file reader. Throws a SpecError
 * naming the file and line for a malformed file, and for one written in a newer major format.
 */
export function readSpecFile(text: string, fileName: string): SpecFile {
  const explicit = parseExplicitFile(text, fileName);
  const header = readHeader(text, fileName);
  const platform = header?.platform ?? explicit.platform;
  return { header, explicit, hash: specFileHash(platform, explicit.packages) };
}

function readHeader(text: string, fileName: string): SpecFileHeader | undefined {
  const fields: [string, string, number][] = [];
  let ours = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '@EXPLICIT') break;
    if (!line.startsWith('#')) continue;
    const body = line.slice(1).trim();
    if (body === MARKER) ours = true;
    const m = /^([a-z][a-z-]*):\s?(.*)$/.exec(body);
    if (m) fields.push([m[1]!, m[2]!.trim(), i + 1]);
  }
  if (!ours) return undefined;
  const one = (name: string) => fields.find(([k]) => k === name)?.[1];
  const all = (name: string) => fields.filter(([k]) => k === name).map(([, v]) => v);
  const format = fields.find(([k]) => k === 'spec-format');
  if (format === undefined) throw new SpecError('the env-setup spec file header has no "spec-format:" line; write the file again with env-setup lock', { file: fileName, position: { line: 1, column: 1 } });
  const [major] = format[1].split('.');
  if (!/^\d+\.\d+\.\d+$/.test(format[1])) throw new SpecError(`"spec-format: ${format[1]}" is not a version such as ${SPEC_FORMAT_VERSION}`, { file: fileName, position: { line: format[2], column: 1 } });
  if (Number(major) > Number(SPEC_FORMAT_VERSION.split('.')[0])) {
    throw new SpecError(`this spec file has format ${format[1]}, newer than the ${SPEC_FORMAT_VERSION} this env-setup reads; update env-setup, or write the file again with this one`, { file: fileName, position: { line: format[2], column: 1 } });
  }
  return {
    formatVersion: format[1],
    envSetupVersion: one('env-setup'),
    environmentKey: one('environment-key'),
    platform: one('platform'),
    channels: all('channel'),
    virtualPackages: all('virtual-package'),
    created: one('created'),
  };
}

export type { ExplicitPackage };
