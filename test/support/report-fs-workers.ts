// A preload (`node --import`) for end-to-end tests: when the process exits, it writes to stderr how
// many file-system workers (core/install/fs-batch.ts) the run started, as
// `env-setup-test: fs workers started N`. It imports the same module file the CLI does, so it sees
// the CLI's pool.

import { fsBatchPool } from '../../core/install/fs-batch.ts';

process.on('exit', () => {
  process.stderr.write(`env-setup-test: fs workers started ${fsBatchPool().workersStarted}\n`);
});
