// The environment tarball tests again with the in-process extractor (env-tarball-extract.ts) forced:
// where the system's zstd and GNU tar are found, env-tarball.test.ts runs with them (the default).

process.env.ENV_SETUP_EXTRACTOR = 'node';
await import('./env-tarball.test.ts');
