// Reads the environment file a command was given (`-f FILE`): a missing file is bad usage (exit 2),
// and what is in it is parsed with positions (environment.yml, @EXPLICIT or a plain spec list), or
// read for the cache (a request to solve, or a lock to install as written).

import { readFileSync } from 'node:fs';
import { readEnvironmentInput, type EnvironmentInput } from '../core/cache/environment-input.ts';
import { parseEnvironmentFile } from '../core/spec/environment-file.ts';
import { UsageError } from './result.ts';

function readArgFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: no such file; pass the environment file with -f FILE`);
  }
}

export function readEnvironmentFileArg(file: string): ReturnType<typeof parseEnvironmentFile> {
  return parseEnvironmentFile(readArgFile(file), file);
}

/** The same file read for the cache: a request to solve, or a lock to install as written (see core/cache/environment-input.ts). */
export function readEnvironmentInputArg(file: string): EnvironmentInput {
  return readEnvironmentInput(readArgFile(file), file);
}
