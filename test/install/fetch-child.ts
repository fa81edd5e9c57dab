// A separate process for concurrent-runs.test.ts: waits until the agreed start time, fetches the
// given records into the given package cache, and prints what it did as one JSON line.
//
//   node test/install/fetch-child.ts '{"pkgsDir": "...", "records": [...], "startAt": 1700000000000}'

import { setTimeout as sleep } from 'node:timers/promises';
import { fetchPackages, type FetchRecord } from '../../core/install/fetch-packages.ts';

const { pkgsDir, records, startAt } = JSON.parse(process.argv[2]!) as { pkgsDir: string; records: FetchRecord[]; startAt: number };
await sleep(Math.max(0, startAt - Date.now()));
let waits = 0;
const fetched = await fetchPackages(records, {
  pkgsDir,
  retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  onProgress: (e) => {
    if (e.type === 'waiting') waits++;
  },
});
process.stdout.write(JSON.stringify({ sources: fetched.map((p) => p.source), dirs: fetched.map((p) => p.dir), waits }) + '\n');
