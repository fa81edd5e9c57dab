// `noarch: python` packages, linked as conda links them: `site-packages/…` goes to the environment's
// site-packages (`lib/pythonX.Y/site-packages`, or the python record's `python_site_packages_path`,
// CEP 17), `python-scripts/…` to `bin/`; every entry point of info/link.json (`cmd = module:func`)
// becomes a script `bin/cmd` run by the environment's python (conda's template and shebang: a
// `#!/bin/sh` trampoline when the python path is too long for a shebang or has spaces); the `.py`
// files are byte-compiled with the environment's python (`python -Wi -m compileall -q -l -i -`),
// when it has one, into `__pycache__/<name>.cpython-XY.pyc`.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SHEBANG_LENGTH } from './link-prefix-replace.ts';

/** The python of the environment after the transaction, as noarch: python linking needs it. */
export interface PythonTarget {
  /** `3.11` */
  version: string;
  /** `lib/python3.11/site-packages` (relative to the prefix). */
  sitePackages: string;
  /** `bin/python3.11` (relative to the prefix). */
  executable: string;
}

/** The python target for a python record (`version`, and CEP 17's `python_site_packages_path` when given). */
export function pythonTarget(record: { version: string; python_site_packages_path?: unknown }): PythonTarget | undefined {
  const m = /^(\d+)\.(\d+)/.exec(record.version);
  if (m === null) return undefined;
  const version = `${m[1]}.${m[2]}`;
  const custom = typeof record.python_site_packages_path === 'string' && record.python_site_packages_path !== '' ? record.python_site_packages_path.replace(/\/+$/, '') : undefined;
  return { version, sitePackages: custom ?? `lib/python${version}/site-packages`, executable: `bin/python${version}` };
}

/** Where a noarch: python package's path goes in the prefix (conda's get_python_noarch_target_path). */
export function noarchPythonPath(path: string, python: PythonTarget): string {
  if (path.startsWith('site-packages/')) return python.sitePackages + path.slice('site-packages'.length);
  if (path.startsWith('python-scripts/')) return 'bin' + path.slice('python-scripts'.length);
  return path;
}

/** `a/b/mod.py` → `a/b/__pycache__/mod.cpython-311.pyc` (python 3), `a/b/mod.pyc` (python 2). */
export function pycPath(pyPath: string, pythonVersion: string): string {
  const tag = pythonVersion.replace('.', '');
  if (tag.startsWith('2')) return `${pyPath}c`;
  const slash = pyPath.lastIndexOf('/');
  const dir = pyPath.slice(0, slash + 1);
  const file = pyPath.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  const stem = dot > 0 ? file.slice(0, dot) : file;
  const ext = dot > 0 ? file.slice(dot) : '';
  return `${dir}__pycache__/${stem}.cpython-${tag}${ext}c`;
}

/** A noarch: python source file that conda byte-compiles. */
export function isCompilablePy(packagePath: string): boolean {
  return /^site-packages\/[^\t\n\r\f\v]+\.py$/.test(packagePath);
}

export interface EntryPoint {
  command: string;
  module: string;
  func: string;
}

/** `cmd = pkg.mod:main` → { command: 'cmd', module: 'pkg.mod', func: 'main' }; undefined when malformed. */
export function parseEntryPoint(definition: string): EntryPoint | undefined {
  const eq = definition.indexOf('=');
  if (eq < 0) return undefined;
  const command = definition.slice(0, eq).trim();
  const rest = definition.slice(eq + 1);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const module = rest.slice(0, colon).trim();
  const func = rest.slice(colon + 1).trim();
  if (command === '' || module === '' || func === '' || command.includes('/') || command.includes('\\') || command === '.' || command === '..') return undefined;
  return { command, module, func };
}

/** The shebang conda writes for an entry point run by `python` (a path). */
export function entryPointShebang(python: string): string {
  const shebang = `#!${python}\n`;
  if (shebang.length > MAX_SHEBANG_LENGTH || shebang.includes(' ')) {
    return `#!/bin/sh\n'''exec' "${python}" "$0" "$@"\n' '''\n`;
  }
  return shebang;
}

/** The whole entry point script (conda's python_entry_point_template after the shebang). */
export function entryPointScript(python: string, entry: EntryPoint): string {
  const importName = entry.func.split('.')[0]!;
  return (
    entryPointShebang(python) +
    `# -*- coding: utf-8 -*-\nimport re\nimport sys\n\nfrom ${entry.module} import ${importName}\n\n` +
    `if __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n    sys.exit(${entry.func}())\n`
  );
}

export interface CompileResult {
  /** The .pyc files (relative to the prefix) that exist after compiling. */
  compiled: string[];
  /** Why nothing was compiled, or what python said when some files failed. */
  problem: string | undefined;
}

/** Whether `path` starts as a program does: `#!`, or the magic number of an ELF or Mach-O binary. */
export function isProgram(path: string): boolean {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head[0] === 0x23 && head[1] === 0x21) return true; // #!
  const magic = head.readUInt32BE(0);
  return magic === 0x7f454c46 || [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic);
}

/**
 * Byte-compiles `files` (relative `.py` paths in `prefix`) with the prefix's python; `pycs` are the
 * matching .pyc paths. Without a python in the prefix nothing is compiled (not an error: conda also
 * leaves files it cannot compile).
 */
export async function compilePython(prefix: string, python: PythonTarget, files: readonly string[], pycs: readonly string[], signal?: AbortSignal): Promise<CompileResult> {
  if (files.length === 0) return { compiled: [], problem: undefined };
  const exe = join(prefix, python.executable);
  if (!existsSync(exe)) return { compiled: [], problem: `no ${python.executable} in the environment: .py files were not byte-compiled` };
  // not a program (the system would hand a file without a #! line to /bin/sh, which runs it as a script)
  if (!isProgram(exe)) return { compiled: [], problem: `${python.executable} in the environment is not a program (neither a binary nor a #! script): .py files were not byte-compiled` };
  const args = ['-Wi', '-m', 'compileall', '-q', '-l', '-i', '-'];
  const [major, minor] = python.version.split('.').map(Number);
  if (major! >= 3 && minor! > 5) args.push('-j', '0');
  const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(exe, args, { cwd: prefix, stdio: ['pipe', 'pipe', 'pipe'], signal });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', (e) => resolve({ code: -1, text: e.message }));
    child.on('close', (code) => resolve({ code, text }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(files.join('\n') + '\n');
  });
  const compiled = pycs.filter((p) => existsSync(join(prefix, p)));
  const problem = compiled.length === pycs.length ? undefined : `python could not byte-compile ${pycs.length - compiled.length} of ${pycs.length} files (exit ${output.code}): ${output.text.trim().slice(0, 2000)}`;
  return { compiled, problem };
}
