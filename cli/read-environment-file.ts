// Reads the environment file a command was given (`-f FILE`): a missing file is bad usage (exit 2),
// and what is in it is parsed with positions (environment.yml, @EXPLICIT or a plain spec list).

import { readFileSync } from 'node:fs';
import { parseEnvironmentFile } from '../core/spec/environment-file.ts';
import { UsageError } from './result.ts';

export function readEnvironmentFileArg(file: string): ReturnType<typeof parseEnvironmentFile> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: no such file; pass the environment file with -f FILE`);
  }
  return parseEnvironmentFile(text, file);
}
