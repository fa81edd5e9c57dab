// The language server's solver thread (extension/server/solver-thread.ts + solve-worker.ts): solves
// on a worker started from the TypeScript sources give what core's solveLoaded gives on the main
// thread's index (a solution, and an unsatisfiable explanation), at a lower CPU priority; a newer job of a document
// supersedes its older ones; a cancelled solve that runs on past the limit has its worker
// terminated and the next job gets a new one; a worker that dies fails its job with a message.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadIndex, solveLoaded } from '../../core/solve/loaded-index.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import type { IndexRequest } from '../../extension/server/index-store.ts';
import type { PlatformJob } from '../../extension/server/solve-messages.ts';
import { SolverThread } from '../../extension/server/solver-thread.ts';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';

const fixtures = new URL('../../../shared/fixtures/', import.meta.url);
const skip = existsSync(fixtures) ? false : '../shared/fixtures is absent';

/** A stand-in worker (an ES module as a data: URL) running `onSolve` for each job `m`. */
const fakeWorker = (onSolve: string) =>
  new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads'; parentPort.on('message', (m) => { if (m.type === 'solve') { ${onSolve} } });`)}`);
/** Never yields on a job whose specs include 'spin' (a solve that runs on and on); answers the others at once. */
const SPINNING = fakeWorker("if (m.platforms[0].specs.includes('spin')) for (;;); parentPort.postMessage({ type: 'solved', id: m.id, platforms: [], loadMs: 0 });");
/** Exits with code 3 on any job. */
const DYING = fakeWorker('process.exit(3);');
/** Answers every job at once with an empty solve. */
const ANSWERING = fakeWorker("parentPort.postMessage({ type: 'solved', id: m.id, platforms: [], loadMs: 0 });");

const job = (specs: string[] = []): PlatformJob[] => [{ platform: 'linux-64', key: 'k', request: { channels: [], overrideChannels: true, platform: 'linux-64', offline: true, cacheDir: undefined }, specs }];

describe('solver thread: solves on the worker', { skip }, () => {
  let server: ChannelServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let request: IndexRequest;
  let solver: SolverThread;

  before(async () => {
    const index = JSON.parse(readFileSync(new URL('conda-test-index/index.json', fixtures), 'utf8'));
    server = await startChannelServer({
      files: {
        '/conda-test/linux-64/repodata.json': JSON.stringify({ info: { subdir: 'linux-64' }, packages: index, repodata_version: 1 }),
        '/conda-test/noarch/repodata.json': JSON.stringify({ info: { subdir: 'noarch' }, packages: {} }),
      },
    });
    home = mkdtempSync(join(tmpdir(), 'env-setup-solver-thread-'));
    env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), CONDARC: '', CONDA_CHANNELS: '', CONDA_OVERRIDE_GLIBC: '2.17' };
    request = { channels: [`${server.url}/conda-test`], overrideChannels: true, platform: 'linux-64', offline: false, cacheDir: join(home, 'cache') };
    solver = new SolverThread({ env });
  });
  after(async () => {
    await solver.close();
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("the worker's solutions are the main thread's, read from the cache the main thread filled", async () => {
    const loaded = await loadIndex({ ...request, env });
    const fetched = server.requests.length;
    for (const specs of [['numpy', 'pandas'], ['scipy', 'python=2.7'], ['numpy>=1.7', 'python=3.3']]) {
      const answer = await solver.solve('file:///a.yml', [{ platform: 'linux-64', key: 'conda-test', request, specs }]);
      assert.ok(answer?.ok, JSON.stringify(answer));
      const [p] = answer.platforms;
      const here = solveLoaded(loaded, specs.map((s) => MatchSpec.parse(s)));
      assert.equal(p!.platform, 'linux-64');
      assert.ok(p!.ms >= 0);
      assert.deepEqual(p!.solution.ok, here.ok);
      if (here.ok && p!.solution.ok) assert.deepEqual(p!.solution.packages.map((x) => x.fn), here.packages.map((x) => x.fn));
      if (!here.ok && !p!.solution.ok) assert.deepEqual(p!.solution.explanation, here.explanation);
    }
    assert.equal(server.requests.length, fetched, 'the worker reads the cache, it does not ask the server');
  });

  test('the solver thread runs at a lower CPU priority than the main thread (Linux)', { skip: existsSync('/proc/thread-self') ? false : 'no per-thread priorities here' }, () => {
    // field 19 of /proc/<pid>/task/<tid>/stat is the nice value; the fields after the command name start at 3
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19 - 3]);
    const nice = readdirSync('/proc/self/task').map(niceOf);
    assert.equal(niceOf(String(process.pid)), 0);
    assert.ok(nice.includes(10), `a thread at nice 10 among ${nice.join(' ')}`);
  });

  test('an unsatisfiable environment comes back with its explanation', async () => {
    const answer = await solver.solve('file:///a.yml', [{ platform: 'linux-64', key: 'conda-test', request, specs: ['numpy=1.5', 'numpy>=1.7'] }]);
    assert.ok(answer?.ok);
    const solution = answer.platforms[0]!.solution;
    assert.equal(solution.ok, false);
    assert.ok(!solution.ok && solution.explanation.text.length > 0);
  });

  test('a newer job of the same document supersedes the older; other documents keep theirs', async () => {
    const specs = ['pandas'];
    const first = solver.solve('file:///a.yml', [{ platform: 'linux-64', key: 'conda-test', request, specs }]);
    const other = solver.solve('file:///b.yml', [{ platform: 'linux-64', key: 'conda-test', request, specs: ['numpy'] }]);
    const waiting = solver.solve('file:///a.yml', [{ platform: 'linux-64', key: 'conda-test', request, specs: ['scipy'] }]);
    const newest = solver.solve('file:///a.yml', [{ platform: 'linux-64', key: 'conda-test', request, specs: ['python'] }]);
    assert.equal(await first, undefined);
    assert.equal(await waiting, undefined);
    const [b, a] = await Promise.all([other, newest]);
    assert.ok(b?.ok && b.platforms[0]!.solution.ok && b.platforms[0]!.solution.packages.some((p) => p.name === 'numpy'));
    assert.ok(a?.ok && a.platforms[0]!.solution.ok && a.platforms[0]!.solution.packages.some((p) => p.name === 'python'));
    assert.ok(a.platforms[0]!.solution.ok && !a.platforms[0]!.solution.packages.some((p) => p.name === 'pandas'));
  });

  test('channels that cannot be loaded fail the job with their message', async () => {
    const missing = { ...request, channels: [`${server.url}/no-such-channel`] };
    const answer = await solver.solve('file:///a.yml', [{ platform: 'linux-64', key: 'missing', request: missing, specs: ['numpy'] }]);
    assert.ok(answer !== undefined && !answer.ok);
    assert.match(answer.message, /no-such-channel/);
  });
});

describe('solver thread: stale and failed workers', () => {
  test('a cancelled solve that runs past the limit has its worker terminated; the next job gets a new worker', async () => {
    const solver = new SolverThread({ entry: SPINNING, staleLimitMs: 150 });
    const stuck = solver.solve('file:///a.yml', job(['spin']));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(solver.busy, true);
    const cancelled = performance.now();
    const next = solver.solve('file:///a.yml', job());
    assert.equal(await stuck, undefined, 'the superseded job comes to nothing');
    // the spinning worker never reads the cancel: only a new worker can answer the next job
    assert.deepEqual(await next, { ok: true, platforms: [], loadMs: 0 });
    assert.ok(performance.now() - cancelled >= 140, 'the stuck worker had its time before it was terminated');
    await solver.close();
  });

  test('a worker that dies fails its job with a message; the next job starts another worker', async () => {
    const dying = new SolverThread({ entry: DYING });
    assert.deepEqual(await dying.solve('file:///a.yml', job()), { ok: false, message: 'the solver thread stopped (exit code 3)' });
    assert.deepEqual(await dying.solve('file:///a.yml', job()), { ok: false, message: 'the solver thread stopped (exit code 3)' });
    await dying.close();
    const answering = new SolverThread({ entry: ANSWERING });
    assert.deepEqual(await answering.solve('file:///a.yml', job()), { ok: true, platforms: [], loadMs: 0 });
    await answering.close();
    assert.equal(await answering.solve('file:///a.yml', job()), undefined, 'nothing is solved after close');
  });
});
