// Which extractor restores an environment tarball: the system's `zstd` and GNU `tar` when both are
// there (env-tarball-extract-system.ts), else env-setup's own (env-tarball-extract.ts).
//
//   const tools = await systemExtractor();   // undefined: use the in-process extractor
//
// Why two: node's bundled libzstd decompresses about half as fast as the `zstd` program (no
// assembly in its build), and decompression is half of a restore; `zstd -dc | tar -x` restores a
// 380 MB environment in about half the time the in-process extractor takes (bench/RESULTS.md). Only
// GNU tar is used, because the restore's safety leans on its defaults (see the other module); bsdtar
// (macOS's `tar`) is not, but Homebrew's `gtar` is. GitHub's runners have both programs (@actions/cache
// itself relies on them).
//
// ENV_SETUP_EXTRACTOR chooses: `node` (always in-process), `system` (the programs when found, as
// does the default `auto`). The programs are looked up on PATH here, and run by the path found.
// Whether each is the right program is asked once per process with `--version`, and also kept in a
// memo file (given by the caller: the CLI's cache folder). The memo records each program file with
// its device, inode, size and modification time. A later run skips the two `--version` runs while the
// files are the same. Those runs took 25-30 ms of every tarball hit, which restores a large
// environment in under a second (bench/RESULTS.md, session 22).

import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, delimiter, dirname, resolve } from 'node:path';

export interface SystemTools {
  zstd: string;
  tar: string;
}

export type ExtractorChoice = 'auto' | 'node' | 'system';

/** ENV_SETUP_EXTRACTOR, read when asked: `node` or `system`; anything else is `auto`. */
export function extractorChoice(env: NodeJS.ProcessEnv = process.env): ExtractorChoice {
  const v = (env.ENV_SETUP_EXTRACTOR ?? '').trim().toLowerCase();
  return v === 'node' || v === 'system' ? v : 'auto';
}

let found: Promise<SystemTools | undefined> | undefined;
let foundFor: string | undefined;

/** How the span and messages name the programs: `zstd | tar`. */
export function toolsLabel(tools: SystemTools): string {
  return `${basename(tools.zstd)} | ${basename(tools.tar)}`;
}

/**
 * The programs to extract with, or undefined when the in-process extractor is to be used. `memo`: a
 * file where the programs found are remembered (see the header), so that a later process does not
 * run them to ask what they are.
 */
export async function systemExtractor(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, memo?: string): Promise<SystemTools | undefined> {
  if (extractorChoice(env) === 'node' || (platform !== 'linux' && platform !== 'darwin')) return undefined;
  const path = env.PATH ?? '';
  const key = `${path}\0${memo ?? ''}`;
  if (found === undefined || foundFor !== key) {
    foundFor = key;
    found = findTools(platform === 'darwin' ? ['gtar', 'tar'] : ['tar'], env, memo);
  }
  return found;
}

/** The memo file's content: each program file's identity and whether it was the program wanted. */
interface Memo {
  version: 1;
  programs: Record<string, { id: string; ok: boolean }>;
}

async function findTools(tars: readonly string[], env: NodeJS.ProcessEnv, memoFile: string | undefined): Promise<SystemTools | undefined> {
  const memo = readMemo(memoFile);
  let changed = false;
  /** Whether the program answers `--version` with a line `test` accepts (the memo's word while its file is the same). */
  const isWanted = async ({ file, id }: ProgramFile, test: (out: string) => boolean): Promise<boolean> => {
    const known = memo.programs[file];
    if (known !== undefined && known.id === id) return known.ok;
    const out = await versionOf(file, env);
    // a program that could not be run is asked again next time
    if (out === undefined) return false;
    const ok = test(out);
    memo.programs[file] = { id, ok };
    changed = true;
    return ok;
  };
  const [zstd, tar] = await Promise.all([
    (async () => {
      const program = onPath('zstd', env);
      return program !== undefined && (await isWanted(program, (out) => /zstandard/i.test(out))) ? program.file : undefined;
    })(),
    (async () => {
      for (const name of tars) {
        const program = onPath(name, env);
        if (program !== undefined && (await isWanted(program, (out) => out.includes('GNU tar')))) return program.file;
      }
      return undefined;
    })(),
  ]);
  if (changed && memoFile !== undefined) writeMemo(memoFile, memo);
  return zstd !== undefined && tar !== undefined ? { zstd, tar } : undefined;
}

/** A program file found on PATH, with what makes it the same file: device, inode, size and times (of what a link leads to). */
interface ProgramFile {
  file: string;
  id: string;
}

/** The executable file `name` names on PATH, as the system looks it up (an empty entry is the working folder). */
function onPath(name: string, env: NodeJS.ProcessEnv): ProgramFile | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const file = resolve(dir === '' ? '.' : dir, name);
    try {
      const st = statSync(file, { bigint: true });
      if (!st.isFile()) continue;
      accessSync(file, constants.X_OK);
      return { file, id: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` };
    } catch {
      // not here
    }
  }
  return undefined;
}

function readMemo(file: string | undefined): Memo {
  if (file !== undefined) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Memo>;
      if (parsed.version === 1 && typeof parsed.programs === 'object' && parsed.programs !== null) return { version: 1, programs: { ...parsed.programs } };
    } catch {
      // none yet, or unreadable: asked again
    }
  }
  return { version: 1, programs: {} };
}

/** Writes the memo whole (a file beside it, renamed over it); a memo that cannot be written is only a slower next run. */
function writeMemo(file: string, memo: Memo): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, JSON.stringify(memo));
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
}

function versionOf(program: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(program, ['--version'], { timeout: 5000, env: { ...env, LC_ALL: 'C' } }, (error, stdout) => done(error ? undefined : String(stdout)));
  });
}
