// A separate process for transaction.test.ts's SIGKILL and SIGINT tests: runs a transaction and,
// once the package number `stopAt` of the link phase is linked, prints "ready" and waits — forever
// (to be killed with SIGKILL), or until a SIGINT arrives (the transaction then sees the signal and
// rolls back). Prints "finished" or "error:<kind>" at the end.
//
//   node test/install/transaction-child.ts '{"prefix": "...", "link": [...], "unlink": [...], "stopAt": 1}'

import { runTransaction } from '../../core/install/transaction.ts';
import type { InstalledPackage } from '../../core/install/transaction-plan.ts';
import type { FetchedPackage } from '../../core/install/fetch-packages.ts';

const { prefix, link, unlink, stopAt } = JSON.parse(process.argv[2]!) as { prefix: string; link: FetchedPackage[]; unlink: InstalledPackage[]; stopAt: number };
try {
  await runTransaction({
    prefix,
    link,
    unlink,
    onStep: async (step) => {
      if (step.phase === 'link' && step.index === stopAt) {
        const keepAlive = setInterval(() => undefined, 1000);
        const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
        process.stdout.write('ready\n');
        await interrupted;
        clearInterval(keepAlive);
      }
    },
  });
  process.stdout.write('finished\n');
} catch (error) {
  process.stdout.write(`error:${(error as { kind?: string }).kind ?? (error as Error).message}\n`);
  process.exitCode = 1;
}
