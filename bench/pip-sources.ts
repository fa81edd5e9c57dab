// `npm run bench -- pip-sources`: what reading a local package folder into an environment tarball's
// key costs (core/cache/pip-local-sources.ts; it runs on every create whose pip lines install from
// this machine). Trees: a generated Python project (BENCH_PIP_FILES source files, default 3,000, a
// few large data files, plus a .git, __pycache__ and build/ that are skipped), and real ones when
// present: this machine's Python standard library and this repository's node_modules (read as a
// project, so its own node_modules rule does not apply at the top). Each is hashed 5 times
// (median), and compared in the same run with the floor: `find -type f -print0 | xargs -0 openssl
// dgst -sha256` over the same folder (native, SHA-NI where the CPU has it, one process per some
// thousand files; it reads every file, also those ours skips, so the floor's files and MB are
// printed too; `sha256sum` when openssl is missing). No peer tool has this step: conda, mamba, pixi and setup-micromamba do not cache a
// built environment keyed by its pip sources.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashLocalSource } from '../core/cache/pip-local-sources.ts';
import { rng } from './seeded-random.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A generated project at `dir`: `files` Python modules of 1–40 KB in nested packages, four 8 MB data files, and what tools leave around. */
function generateProject(dir: string, files: number): void {
  const random = rng(1234);
  for (let i = 0; i < files; i++) {
    const pkg = join(dir, 'src', 'proj', `sub${i % 40}`, `leaf${i % 7}`);
    mkdirSync(pkg, { recursive: true });
    const size = 1000 + Math.floor(random() * 39_000);
    writeFileSync(join(pkg, `mod${i}.py`), Buffer.alloc(size, `x = ${i}\n`));
  }
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, 'data', `table${i}.bin`), Buffer.alloc(8 << 20, i));
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "proj"\nversion = "1.0"\n');
  for (const skipped of ['.git/objects/pack', 'src/proj/__pycache__', 'build/lib']) {
    mkdirSync(join(dir, skipped), { recursive: true });
    writeFileSync(join(dir, skipped, 'blob'), Buffer.alloc(4 << 20, 1));
  }
}

const FLOOR_TOOL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0 ? 'openssl dgst -sha256' : 'sha256sum';

function floorMs(dir: string): number | undefined {
  const t = performance.now();
  const r = spawnSync('sh', ['-c', `find . -type f -print0 | xargs -0 ${FLOOR_TOOL} > /dev/null`], { cwd: dir, stdio: 'ignore' });
  return r.status === 0 ? performance.now() - t : undefined;
}

/** Files and MB the floor reads (every regular file). */
function floorInput(dir: string): string {
  const r = spawnSync('sh', ['-c', 'find . -type f -printf "%s\\n"'], { cwd: dir, encoding: 'utf8' });
  const sizes = r.stdout.trim().split('\n').filter(Boolean).map(Number);
  return `${sizes.length} files, ${(sizes.reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} MB`;
}

export async function run(): Promise<void> {
  const root = mkdtempSync(join(process.env.BENCH_PIP_DIR ?? tmpdir(), 'env-setup-bench-pip-'));
  try {
    const project = join(root, 'project');
    generateProject(project, Number(process.env.BENCH_PIP_FILES ?? 3000));
    const python = readdirSync('/usr/lib').filter((n) => /^python3\.\d+$/.test(n)).map((n) => join('/usr/lib', n))[0];
    const modules = new URL('../node_modules', import.meta.url).pathname;
    const trees = [project, ...(python !== undefined ? [python] : []), ...(existsSync(modules) ? [modules] : [])];
    console.log(`tree                                   files     MB   ours (median of 5)   MB/s   files/s   floor: ${FLOOR_TOOL} over every file`);
    for (const tree of trees) {
      const ours: number[] = [];
      const floor: number[] = [];
      let source = await hashLocalSource(tree, tree);
      for (let i = 0; i < 5; i++) {
        // alternated, so both see the same machine
        const t = performance.now();
        source = await hashLocalSource(tree, tree);
        ours.push(performance.now() - t);
        const f = floorMs(tree);
        if (f !== undefined) floor.push(f);
      }
      const m = median(ours);
      const mb = source.bytes / 1e6;
      const shown = tree === project ? 'generated project' : tree;
      console.log(
        `${shown.padEnd(38)} ${String(source.files).padStart(6)} ${mb.toFixed(1).padStart(6)}   ${m.toFixed(0).padStart(6)} ms           ${(mb / (m / 1000)).toFixed(0).padStart(5)}  ${Math.round(source.files / (m / 1000)).toString().padStart(8)}   ${floor.length > 0 ? `${median(floor).toFixed(0)} ms (${floorInput(tree)})` : 'not runnable here'}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
