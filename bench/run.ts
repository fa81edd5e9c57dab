// Benchmark runner: `npm run bench` runs every benchmark, `npm run bench -- spec timing` the named ones.
// Benchmarks print their figures; none of them runs inside `npm test`.

const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  spec: () => import('./spec.ts'),
  solve: () => import('./solve.ts'),
  shards: () => import('./shards.ts'),
  timing: () => import('./timing.ts'),
  'install-fetch': () => import('./install-fetch.ts'),
  install: () => import('./install.ts'),
  cache: () => import('./cache.ts'),
  action: () => import('./action.ts'),
  lsp: () => import('./lsp.ts'),
  'pip-sources': () => import('./pip-sources.ts'),
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(benches)) {
  console.log(`\n=== bench ${name} (node ${process.version}, ${new Date().toISOString().slice(0, 10)}) ===`);
  const mod = await benches[name]!();
  await mod.run();
}
