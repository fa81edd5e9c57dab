// Builds the bundles with esbuild: `node scripts/build.ts [target...]` (default: every target) and
// `node scripts/build.ts --vsix` (the extension targets, then the .vsix with @vscode/vsce).
//
// Targets (add more here, such as the action's):
//   extension-client  extension/client/extension.ts → dist/extension/client.js (CommonJS, `vscode` external)
//   extension-server  extension/server/main.ts      → dist/extension/server.js (CommonJS, everything inlined),
//                     and its solver thread extension/server/solve-worker.ts → dist/extension/solve-worker.js
//   action            action/main.ts, action/post.ts → dist/action/main.js, post.js and their chunks
//                     (ESM, every dependency bundled: the runner runs it as is; split into chunks, so
//                     what is imported only when needed — @actions/cache for saves, @actions/artifact —
//                     is not even parsed by a run that does not need it). The folder is emptied
//                     first. `action-main` and `action-post` are older names of this target.
//   cli               cli/main.ts                   → dist/cli/main.mjs and its chunks in dist/cli/chunks/
//                     (ESM, packages inlined, split like the action's: each command, undici, the
//                     language server loaded when used; reads the checkout's package.json for its
//                     version, so it runs from the checkout it was built in), started by
//                     dist/cli/env-setup.mjs, which turns node's compile cache on first (see bin/)
// The extension targets also write dist/extension/package.json (the manifest VS Code reads) and
// copy the README, so dist/extension/ is the extension as packaged.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = (...parts: string[]) => join(root, 'dist', ...parts);

interface Target {
  options: BuildOptions;
  before?: () => void;
  after?: () => void;
}

/** Older target names and the target they build now. */
const ALIASES: Record<string, string> = { 'action-main': 'action', 'action-post': 'action' };

/**
 * Keeps `import.meta.url` pointing at each source file, so what a module reads beside itself (the
 * CLI's `../package.json`) is found in the checkout the bundle was built from.
 */
const sourceImportMeta: Plugin = {
  name: 'source-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

// preserveSymlinks: a checkout whose node_modules is a symbolic link (a git worktree) bundles to the same bytes
const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning', legalComments: 'none', preserveSymlinks: true };

/**
 * @actions/core imports its OIDC client (getIDToken) at load, and with it @actions/http-client and a
 * copy of undici: 0.9 MB that every step of the action parsed, for a function it never calls. The
 * bundles get a stand-in that says so if it ever is called.
 */
const noOidcClient: Plugin = {
  name: 'no-oidc-client',
  setup(b) {
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) => (/[\\/]@actions[\\/]core[\\/]/.test(args.importer) ? { path: 'oidc-utils', namespace: 'no-oidc-client' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-oidc-client' }, () => ({
      contents: "export class OidcClient { static async getIDToken() { throw new Error('getIDToken is not bundled in env-setup (scripts/build.ts)'); } }",
      loader: 'js',
    }));
  },
};

/** The action's bundles: ESM (top-level await), every dependency bundled in chunks, no sources read at run time. */
const actionTarget: Target = {
  options: {
    ...common,
    target: 'node24',
    entryPoints: { main: join(root, 'action/main.ts'), post: join(root, 'action/post.ts') },
    outdir: out('action'),
    format: 'esm',
    splitting: true,
    // beside main.js, not in a subfolder: core reads ../../package.json relative to its module (spec-file.ts's envSetupVersion)
    chunkNames: '[name]-[hash]',
    plugins: [noOidcClient],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  },
  before: () => rmSync(out('action'), { recursive: true, force: true }),
};

export const TARGETS: Record<string, Target> = {
  action: actionTarget,
  'extension-client': {
    options: { ...common, entryPoints: [join(root, 'extension/client/extension.ts')], outfile: out('extension', 'client.js'), format: 'cjs', external: ['vscode'], minify: true },
    after: writeExtensionManifest,
  },
  'extension-server': {
    // import.meta is empty in CommonJS: core's spec-file.ts reads its version through it only when none is given, and the server gives one;
    // solver-thread.ts then starts the worker from solve-worker.js beside the bundle (__dirname)
    options: {
      ...common,
      entryPoints: { server: join(root, 'extension/server/main.ts'), 'solve-worker': join(root, 'extension/server/solve-worker.ts') },
      outdir: out('extension'),
      format: 'cjs',
      minify: true,
      logOverride: { 'empty-import-meta': 'silent' },
    },
    after: writeExtensionManifest,
  },
  cli: {
    before: () => rmSync(out('cli'), { recursive: true, force: true }),
    after: writeCliLoader,
    options: {
      ...common,
      entryPoints: { main: join(root, 'cli/main.ts') },
      outdir: out('cli'),
      outExtension: { '.js': '.mjs' },
      format: 'esm',
      // each command, undici and the language server in chunks of their own, loaded when used
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      plugins: [sourceImportMeta],
      // CommonJS dependencies inlined in an ES module still call require for Node's own modules
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    },
  },
};

/** dist/cli/env-setup.mjs: the bundle's entry, which turns the compile cache on before loading it (as bin/env-setup.js does). */
function writeCliLoader(): void {
  writeFileSync(
    out('cli', 'env-setup.mjs'),
    "// Starts the bundled CLI (main.mjs) with node's compile cache on: see bin/env-setup.js.\nimport module from 'node:module';\nmodule.enableCompileCache?.();\nawait import('./main.mjs');\n",
  );
}

/** dist/extension/package.json: the manifest, as CommonJS (the client bundle is), and the README. */
function writeExtensionManifest(): void {
  const manifest = JSON.parse(readFileSync(join(root, 'extension/package.json'), 'utf8')) as Record<string, unknown>;
  manifest.type = 'commonjs';
  manifest.main = './client.js';
  mkdirSync(out('extension'), { recursive: true });
  writeFileSync(out('extension', 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(root, 'extension/README.md'), out('extension', 'README.md'));
  writeFileSync(out('extension', 'LICENSE'), `${manifest.name} is licensed under ${manifest.license}.\n`);
  writeFileSync(out('extension', '.vscodeignore'), '**/*.map\n');
}

export async function buildTargets(names: readonly string[]): Promise<void> {
  for (const name of new Set(names.map((n) => ALIASES[n] ?? n))) {
    const target = TARGETS[name];
    if (target === undefined) throw new Error(`unknown build target '${name}'; choose from ${Object.keys(TARGETS).join(', ')}`);
    target.before?.();
    mkdirSync(target.options.outdir ?? dirname(target.options.outfile!), { recursive: true });
    await build(target.options);
    target.after?.();
  }
}

/** Packages dist/extension/ as dist/env-setup-<version>.vsix (offline: no dependency listing, everything is bundled). */
export function packageVsix(): string {
  const manifest = JSON.parse(readFileSync(out('extension', 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = out(`${manifest.name}-${manifest.version}.vsix`);
  const vsce = join(root, 'node_modules', '.bin', 'vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: out('extension'), stdio: ['ignore', 'pipe', 'inherit'] });
  return vsix;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const vsix = args.includes('--vsix');
  const named = args.filter((a) => !a.startsWith('--'));
  try {
    await buildTargets(named.length > 0 ? named : vsix ? ['extension-client', 'extension-server'] : Object.keys(TARGETS));
    if (vsix) console.log(packageVsix());
  } catch (error) {
    console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
