// What the server knows of one open environment file without any channel: the file read by core's
// tolerant environment.yml reader (every YAML error, unknown key and bad spec at once, with the
// rest still read), its problems as diagnostics with exact ranges, and the settings-independent
// facts later stages need (dependencies, channels, platforms).

import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { parseEnvironmentYml, type EnvironmentYml } from '../../core/spec/environment-file.ts';
import { SpecError } from '../../core/spec/errors.ts';
import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import { errorRange, toLspRange } from './positions.ts';

export const SOURCE = 'env-setup';

export interface DocumentModel {
  uri: string;
  version: number;
  text: string;
  lines: string[];
  /** File name for messages (the last path segment of the URI). */
  fileName: string;
  /** Undefined when the file could not be read as a mapping at all. */
  env: EnvironmentYml | undefined;
  dependencies: DependencyEntry[];
  /** Diagnostics from reading the file alone. */
  problems: Diagnostic[];
  /** Whether the file has problems that make its specs incomplete (syntax errors, unreadable entries). */
  incomplete: boolean;
}

export function readDocument(uri: string, version: number, text: string): DocumentModel {
  const fileName = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)) || 'environment.yml';
  const lines = text.split(/\r\n|\r|\n/);
  const errors: SpecError[] = [];
  let env: EnvironmentYml | undefined;
  try {
    env = parseEnvironmentYml(text, fileName, { errors });
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    errors.push(error);
  }
  const problems: Diagnostic[] = errors.map((e) => ({
    range: errorRange(lines, e.position ?? { line: 1, column: 1 }, e.input),
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    code: e.message.includes('YAML syntax error') ? 'yaml' : e.input !== undefined ? 'spec-syntax' : 'file',
    message: withoutLocation(e),
  }));
  for (const w of env?.warnings ?? []) {
    problems.push({
      range: toLspRange(w.range),
      severity: DiagnosticSeverity.Warning,
      source: SOURCE,
      code: w.message.startsWith('unknown top-level key') ? 'unknown-key' : 'file',
      message: w.message,
    });
  }
  return { uri, version, text, lines, fileName, env, dependencies: env?.dependencies ?? [], problems, incomplete: errors.length > 0 };
}

/** The message without the `file:line:column: ` prefix (the editor shows where). */
function withoutLocation(error: SpecError): string {
  if (error.file === undefined) return error.message;
  const prefix = `${error.file}${error.position ? `:${error.position.line}:${error.position.column}` : ''}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Is this a file the server should look at: named like an environment file, or a YAML file with a `dependencies:` key? */
export function isEnvironmentFile(uri: string, text: string): boolean {
  const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)).toLowerCase();
  if (/^environment.*\.ya?ml$/.test(name)) return true;
  return /\.ya?ml$/.test(name) && /^dependencies\s*:/m.test(text);
}
