// Which files the extension serves, as VS Code document filters: environment files by name
// (`**/environment*.y?ml`, `**/env*.y?ml`; the server ignores an `env*` file without a
// `dependencies:` key) plus the user's own globs (`envSetup.files`). No `vscode` import here, so the
// glue is testable outside VS Code.

export interface FileFilter {
  scheme: string;
  language?: string;
  pattern: string;
}

export const DEFAULT_PATTERNS = ['**/environment*.{yml,yaml}', '**/env*.{yml,yaml}'];

export function documentSelector(extra: readonly unknown[] = []): FileFilter[] {
  const user = extra.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim());
  const patterns = [...new Set([...DEFAULT_PATTERNS, ...user])];
  return patterns.flatMap((pattern) => [
    { scheme: 'file', pattern },
    { scheme: 'untitled', pattern },
  ]);
}
