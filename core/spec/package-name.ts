// Conda package names (CEP 26): lower-case ASCII letters, digits, `_`, `-` and `.`, not starting with
// `-` or `.`, without doubled separators; read case-insensitively. Match specs may also use globs.

import { SpecError } from './errors.ts';

const NAME = /^[a-z0-9_][a-z0-9_.-]*$/;
const DOUBLED = /\.\.|--|\.-|-\./;

/** Why a package name is invalid, or undefined when it is fine. `*` globs are allowed when `glob` is set. */
export function packageNameProblem(name: string, glob = false): string | undefined {
  const n = name.toLowerCase();
  if (n === '') return 'the package name is empty';
  if (glob && n.includes('*')) {
    const letters = n.replaceAll('*', '');
    if (letters === '') return undefined;
    if (!/^[a-z0-9_.-]+$/.test(letters)) return `'${name}' has characters a package name cannot have (use a-z, 0-9, '_', '-', '.')`;
    return undefined;
  }
  if (!NAME.test(n)) {
    if (/^[.-]/.test(n)) return `'${name}' starts with '${n[0]}'; package names start with a letter, digit or '_'`;
    return `'${name}' has characters a package name cannot have (use a-z, 0-9, '_', '-', '.')`;
  }
  if (DOUBLED.test(n)) return `'${name}' repeats a separator ('..', '--')`;
  return undefined;
}

export function assertPackageName(name: string, input: string, glob = false): void {
  const problem = packageNameProblem(name, glob);
  if (problem !== undefined) throw new SpecError(`invalid package name in '${input}': ${problem}`, { input });
}
