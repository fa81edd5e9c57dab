// The bundled action (dist/action/main.js and post.js) run as the runner runs it: INPUT_* variables,
// GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STEP_SUMMARY / GITHUB_STATE files, RUNNER_*;
// against the fake cache and artifact services (test/support/actions-cache-server.ts) and conda's
// test-recipes channel on 127.0.0.1. First run: solve and install, caches saved; second run in a
// fresh prefix: environment restored, no solve, no download. Then bad inputs and a cache outage.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { type ActionsServices, startActionsServices } from '../support/actions-cache-server.ts';
import { packageDownloads, runJob, runnerEnv, type StepResult } from '../support/action-step.ts';

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const skip = existsSync(join(fixtures, 'conda-test-recipes/noarch/repodata.json')) ? false : '../shared/fixtures is absent';

describe('the bundled action end to end', { skip }, () => {
  let channel: ChannelServer;
  let services: ActionsServices;
  let home: string;
  let base: Record<string, string>;
  const yml = () => `name: demo\nchannels:\n  - ${channel.url}/conda-test-recipes\n  - nodefaults\ndependencies:\n  - small-executable\n  - python=3.99\n  - sample_noarch_python\nvariables:\n  DEMO_VAR: hello\n`;

  before(async () => {
    channel = await startChannelServer({ root: fixtures });
    services = await startActionsServices();
    home = mkdtempSync(join(tmpdir(), 'env-setup-action-'));
    mkdirSync(join(home, 'work'), { recursive: true });
    writeFileSync(join(home, 'work', 'environment.yml'), yml());
    base = { ...runnerEnv(home, services, 'v1'), INPUT_PREFIX: join(home, 'envs', 'demo') };
  });
  after(async () => {
    await channel.close();
    await services.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** One job: main then post, in a fresh RUNNER_TEMP and prefix, as a new runner would. */
  const job = (extra: Record<string, string> = {}): Promise<{ main: StepResult; post: StepResult }> => runJob(home, { ...base, ...extra });

  test('first run solves and installs and saves; the second restores the environment without solving or downloading', async () => {
    const first = await job();
    assert.equal(first.main.code, 0, first.main.stdout);
    const prefix = join(home, 'envs', 'demo');
    assert.equal(first.main.outputs['environment-path'], prefix);
    assert.equal(first.main.outputs['cache-hit'], 'none');
    assert.deepEqual(first.main.path, [join(prefix, 'bin')]);
    assert.equal(first.main.env.CONDA_PREFIX, prefix);
    assert.equal(first.main.env.DEMO_VAR, 'hello');
    assert.match(first.main.summary, /cache path \*\*solve\*\*/);
    for (const stage of ['cache restore', 'fetch index', 'solve', 'download', 'extract', 'link', 'cache save']) assert.match(first.main.summary, new RegExp(`\\| ${stage} \\| \\d+ \\|`));
    assert.match(first.main.summary, /### Slowest packages/);
    const keys = services.entries.map((e) => e.key);
    assert.ok(keys.some((k) => k.startsWith('env-setup-spec-')), keys.join(' '));
    assert.ok(keys.some((k) => k.startsWith('env-setup-env-')), keys.join(' '));
    assert.ok(keys.some((k) => k.startsWith('env-setup-pkgs-')), keys.join(' '));
    assert.ok(keys.some((k) => k.startsWith('env-setup-timings-')), keys.join(' '));
    const timings = JSON.parse(readFileSync(join(first.main.outputs['timings-path']!, 'env-setup-timings.json'), 'utf8'));
    assert.ok(timings.spans.some((s: { name: string }) => s.name === 'solve'));
    const trace = JSON.parse(readFileSync(join(first.main.outputs['timings-path']!, 'env-setup-trace.json'), 'utf8'));
    assert.ok(trace.traceEvents.some((e: { name: string; ph: string }) => e.name === 'solve' && e.ph === 'X'));
    assert.equal(services.artifacts.length, 1);
    assert.equal(services.artifacts[0]!.name, 'env-setup-timings');
    assert.ok(services.artifacts[0]!.bytes.includes(Buffer.from('env-setup-timings.json')), 'the zip holds the timing file');
    assert.match(readFileSync(first.main.outputs['spec-file']!, 'utf8'), /@EXPLICIT\n.*small-executable/s);
    assert.equal(first.post.code, 0, first.post.stdout);
    assert.ok(!existsSync(join(home, 'temp', 'env-setup')), 'the post step removes the temporary files');

    const downloadsBefore = packageDownloads(channel.requests);
    const repodataBefore = channel.requests.filter((r) => r.path.includes('repodata')).length;
    const second = await job({ 'INPUT_TIMING-ARTIFACT': 'timings-2' });
    assert.equal(second.main.code, 0, second.main.stdout);
    assert.equal(second.main.outputs['cache-hit'], 'environment');
    assert.match(second.main.summary, /cache path \*\*tarball\*\*/);
    assert.match(second.main.summary, /previous run/);
    assert.equal(packageDownloads(channel.requests), downloadsBefore, 'no package downloaded');
    assert.equal(channel.requests.filter((r) => r.path.includes('repodata')).length, repodataBefore, 'no repodata fetched: no solve');
    const spans = JSON.parse(readFileSync(join(second.main.outputs['timings-path']!, 'env-setup-timings.json'), 'utf8')).spans.map((s: { name: string }) => s.name);
    assert.ok(!spans.includes('solve') && !spans.includes('install.download'), spans.join(' '));
    assert.ok(existsSync(join(prefix, 'conda-meta')));
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    assert.match(readFileSync(join(prefix, 'conda-meta', 'history'), 'utf8'), new RegExp(`# cmd: env-setup action\n# env-setup version: ${version.replaceAll('.', '\\.')}\n`));
    assert.equal(second.main.env.DEMO_VAR, 'hello');
    assert.ok(services.artifacts.some((a) => a.name === 'timings-2'));
  });

  test('bad inputs fail the step naming the input and the accepted values', async () => {
    const bad = await job({ 'INPUT_CACHE-SPEC': 'maybe' });
    assert.equal(bad.main.code, 1);
    assert.match(bad.main.stdout, /::error::input 'cache-spec': 'maybe' is not a boolean; use true or false/);
    const ttl = await job({ 'INPUT_SPEC-TTL': '5 parsecs' });
    assert.match(ttl.main.stdout, /::error::input 'spec-ttl'/);
    const prio = await job({ 'INPUT_CHANNEL-PRIORITY': 'loud' });
    assert.match(prio.main.stdout, /'loud' is not one of strict, flexible, disabled/);
    const missing = await job({ 'INPUT_ENVIRONMENT-FILE': 'nope.yml' });
    assert.match(missing.main.stdout, /::error::input 'environment-file': nope.yml: no such file/);
    const windows = await job({ RUNNER_OS: 'Windows' });
    assert.match(windows.main.stdout, /does not support Windows runners/);
  });

  test('a malformed environment file is an annotation at its file and line', async () => {
    writeFileSync(join(home, 'work', 'broken.yml'), 'name: x\ndependencies:\n  - python\n  - [oops\n');
    const r = await job({ 'INPUT_ENVIRONMENT-FILE': 'broken.yml' });
    assert.equal(r.main.code, 1);
    assert.match(r.main.stdout, /::error title=env-setup%3A invalid environment file,file=broken.yml,line=\d+/);
  });

  test('an unreachable channel fails the step with the channel named', async () => {
    writeFileSync(join(home, 'work', 'gone.yml'), 'name: x\nchannels:\n  - http://127.0.0.1:9/nothing\n  - nodefaults\ndependencies:\n  - python\n');
    const r = await job({ 'INPUT_ENVIRONMENT-FILE': 'gone.yml' });
    assert.equal(r.main.code, 1);
    assert.match(r.main.stdout, /::error::.*127\.0\.0\.1:9/);
  });

  test('a cache service outage only warns: the environment is still created', async () => {
    services.failing = true;
    try {
      const r = await job({ 'INPUT_ENVIRONMENT-NAME': 'outage', 'INPUT_TIMING-ARTIFACT': '' });
      assert.equal(r.main.code, 0, r.main.stdout);
      assert.match(r.main.stdout, /::warning::/);
      assert.ok(existsSync(join(home, 'envs', 'demo', 'conda-meta')));
      assert.equal(r.post.code, 0);
    } finally {
      services.failing = false;
    }
  });
});
