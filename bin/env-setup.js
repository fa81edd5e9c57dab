#!/usr/bin/env node
// Entry point of the `env-setup` command. The CLI is written in TypeScript that Node runs directly
// (type stripping, on by default from Node 22.18 / 23.6); older Node 22 needs the flag, so re-run with it.
// Node's compile cache is turned on first (where this node has it): the modules' compiled code (and,
// on newer versions, their stripped source) is kept on disk (NODE_COMPILE_CACHE, else a folder in
// the temporary directory), so a later run loads the CLI faster; an unusable cache is skipped.
import module from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.features.typescript) {
  module.enableCompileCache?.();
  await import('../cli/main.ts');
} else {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
