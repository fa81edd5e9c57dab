// What an environment file asks for, as the cache sees it: either a request to solve (match specs,
// the file's channels, pip requirements and the files those refer to: what environmentKey needs),
// or an input that already is a lock — an @EXPLICIT file, a conda-lock.yml or a pixi.lock — where
// there is nothing to solve: it is installed exactly as written, with no spec file and no TTL.

import { parseEnvironmentFile, type EnvironmentYml } from '../spec/environment-file.ts';
import type { ExplicitFile } from '../spec/explicit-file.ts';
import { readLockFile } from '../spec/lock-file.ts';
import type { LockFile } from '../spec/lock-file-types.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import type { DependencyEntry, PlainSpecFile } from '../spec/plain-spec-file.ts';
import { referencedFiles, type ReferencedFile } from './referenced-files.ts';

export interface SolveInput {
  kind: 'solve';
  file: EnvironmentYml | PlainSpecFile;
  /** The conda dependencies, in file order, with their positions. */
  entries: DependencyEntry[];
  specs: MatchSpec[];
  /** The file's `channels:` in order (command-line channels go before them). */
  channels: string[];
  /** The `pip:` requirements as written. */
  pip: string[];
  /** Requirement files the pip section refers to, with their content hashes. */
  files: ReferencedFile[];
}

export interface LockedInput {
  kind: 'locked';
  /** Why there is nothing to solve, for messages: `an @EXPLICIT file`, `a conda-lock file`, `a pixi lock file`. */
  reason: string;
  explicit?: ExplicitFile;
  lock?: LockFile;
}

export type EnvironmentInput = SolveInput | LockedInput;

/** Top-level keys that make a YAML file a lock file (as the environment.yml reader decides). */
function looksLikeLockFile(text: string): boolean {
  const top = new Set([...text.matchAll(/^([A-Za-z_-]+)\s*:/gm)].map((m) => m[1]!));
  return top.has('version') && (top.has('package') || top.has('packages') || top.has('environments')) && !top.has('dependencies');
}

/**
 * Reads an environment file (environment.yml, plain spec list, @EXPLICIT file, conda-lock.yml or
 * pixi.lock) for the cache. `fileName` is its path: requirement files are found relative to it.
 * Throws SpecError (file, line, column) for a malformed file.
 */
export function readEnvironmentInput(text: string, fileName: string): EnvironmentInput {
  if (looksLikeLockFile(text)) {
    const lock = readLockFile(text, fileName);
    return { kind: 'locked', reason: lock.format === 'conda-lock' ? 'a conda-lock file' : 'a pixi lock file', lock };
  }
  const parsed = parseEnvironmentFile(text, fileName);
  if (parsed.kind === 'explicit') return { kind: 'locked', reason: 'an @EXPLICIT file', explicit: parsed };
  const entries = parsed.kind === 'environment-yml' ? parsed.dependencies : parsed.specs;
  const pip = parsed.kind === 'environment-yml' ? parsed.pip.map((p) => p.text) : [];
  return {
    kind: 'solve',
    file: parsed,
    entries,
    specs: entries.map((e) => e.spec),
    channels: parsed.kind === 'environment-yml' ? parsed.channels.map((c) => c.value) : [],
    pip,
    files: referencedFiles(pip, fileName),
  };
}
