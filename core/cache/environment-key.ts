// The environment key: a SHA-256 over the canonical form of everything that changes a solve, so an
// unchanged environment finds its stored spec file and any change that could alter the solution
// misses it. The canonical form (a JSON object, keys in a fixed order) holds:
//
//   format            the spec file format's major version (a new format never reuses old spec files)
//   platform          the subdir solved for
//   specs             conda's canonical string of every match spec, sorted, duplicates dropped, so
//                     order, comments, whitespace and spelling (`numpy>=1.2` / `numpy >=1.2`) do not count
//   channels          the channels the solve reads, resolved as solveEnvironment resolves them
//                     (.condarc, channel_alias, custom_channels, `defaults`, `nodefaults`, channels named
//                     in specs), in priority order, as `<base URL>/<subdir>` without credentials:
//                     a token never enters the key, the channel's URL does
//   channelPriority   strict / flexible / disabled, after .condarc
//   virtualPackages   the overrides: `--virtual-package` values (name=version=build, sorted by name) and
//                     the CONDA_OVERRIDE_* variables that are set. What is detected on the machine is not
//                     part of the key (CI runners of one image differ in CPU and driver details); a cache
//                     shared across operating system images should add the image to its own key
//   pip               the pip requirements as written, whitespace collapsed, sorted
//   files             path and SHA-256 of every file the environment file refers to (referenced-files.ts)
//
// Specs or channels given with URLs have their credentials removed before anything is hashed.

import { createHash } from 'node:crypto';
import { resolveChannels } from '../channel/resolve.ts';
import { parseVirtualPackageArg } from '../index/virtual-packages.ts';
import type { ChannelPriority } from '../solve/conda-solver.ts';
import type { ChannelRequest } from '../solve/solve-environment.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import { stripCredentials, stripCredentialsInText } from '../spec/url-credentials.ts';
import type { ReferencedFile } from './referenced-files.ts';
import { SPEC_FORMAT_VERSION } from './spec-file.ts';

/** The parts of a solve request the key depends on (SolveEnvironmentOptions fits). */
export interface EnvironmentKeyRequest extends Pick<ChannelRequest, 'channels' | 'platform' | 'virtualPackages' | 'channelPriority' | 'condarcPath' | 'overrideChannels' | 'env'> {
  specs: readonly MatchSpec[];
  /** pip requirements of the environment file, as written. */
  pip?: readonly string[];
  /** Files the environment file refers to (referencedFiles()). */
  files?: readonly ReferencedFile[];
}

export interface CanonicalEnvironment {
  format: number;
  platform: string;
  specs: string[];
  channels: string[];
  channelPriority: ChannelPriority;
  virtualPackages: string[];
  pip: string[];
  files: ReferencedFile[];
}

/**
 * The pip part of the canonical environment: the lines with whitespace collapsed and credentials
 * removed, sorted, without duplicates; the referenced files by path and content hash, sorted by path.
 */
export function canonicalPip(pip: readonly string[], files: readonly ReferencedFile[]): Pick<CanonicalEnvironment, 'pip' | 'files'> {
  return {
    pip: [...new Set(pip.map((p) => stripCredentialsInText(p.trim().replace(/\s+/g, ' '))))].sort(),
    files: files.map((f) => ({ path: f.path, sha256: f.sha256 })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** The canonical environment of a request (see the header). Reads .condarc; throws SpecError on bad configuration. */
export function canonicalEnvironment(request: EnvironmentKeyRequest): CanonicalEnvironment {
  const env = request.env ?? process.env;
  const specChannels = request.specs.map((s) => s.channel).filter((c): c is string => c !== undefined && c !== '*');
  const resolved = resolveChannels({
    platform: request.platform,
    channels: request.channels,
    specChannels,
    channelPriority: request.channelPriority,
    condarcPath: request.condarcPath,
    overrideChannels: request.overrideChannels,
    env,
  });
  const channels = resolved.channels.flatMap((c) => c.subdirUrls.map((s) => stripCredentials(s.url).replace(/\/+$/, '')));
  const overrides = new Map<string, string>();
  for (const text of request.virtualPackages ?? []) {
    const v = parseVirtualPackageArg(text);
    overrides.set(v.name, `${v.name}=${v.version}=${v.build}`);
  }
  const variables = Object.keys(env)
    .filter((k) => k.startsWith('CONDA_OVERRIDE_') && env[k] !== undefined)
    .sort()
    .map((k) => `${k}=${env[k]!.trim()}`);
  return {
    format: Number(SPEC_FORMAT_VERSION.split('.')[0]),
    platform: request.platform,
    specs: [...new Set(request.specs.map((s) => stripCredentialsInText(s.toString())))].sort(),
    channels,
    channelPriority: resolved.channelPriority,
    virtualPackages: [...[...overrides.values()].sort(), ...variables],
    ...canonicalPip(request.pip ?? [], request.files ?? []),
  };
}

/** SHA-256 (64 hex digits) of a canonical environment. */
export function hashCanonicalEnvironment(canonical: CanonicalEnvironment): string {
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The environment key of a request, with the canonical form it was computed from (for logs and --json). */
export function environmentKey(request: EnvironmentKeyRequest): { key: string; canonical: CanonicalEnvironment } {
  const canonical = canonicalEnvironment(request);
  return { key: hashCanonicalEnvironment(canonical), canonical };
}
