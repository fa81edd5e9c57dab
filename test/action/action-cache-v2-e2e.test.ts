// The bundled action against the cache service protocol v2 (ACTIONS_CACHE_SERVICE_V2 + twirp at
// ACTIONS_RESULTS_URL, uploads as Azure block blobs; no ACTIONS_CACHE_URL), as github.com runners use
// it now: the first job solves, installs and saves spec file, tarball and packages through
// CreateCacheEntry / blob upload / FinalizeCacheEntryUpload; the second, in a fresh prefix, is an
// environment hit through GetCacheEntryDownloadURL with no solve and no package download. Then the
// post step saving what the main step could not, and a tarball download that breaks off half way
// (discarded with a warning, the packages installed instead).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { type ActionsServices, startActionsServices } from '../support/actions-cache-server.ts';
import { packageDownloads, runActionStep, runJob, runnerEnv } from '../support/action-step.ts';

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const skip = existsSync(join(fixtures, 'conda-test-recipes/noarch/repodata.json')) ? false : '../shared/fixtures is absent';
const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/';

describe('the bundled action with the cache service v2 (twirp)', { skip }, () => {
  let channel: ChannelServer;
  let services: ActionsServices;
  let home: string;
  let base: Record<string, string>;

  before(async () => {
    channel = await startChannelServer({ root: fixtures });
    services = await startActionsServices();
    home = mkdtempSync(join(tmpdir(), 'env-setup-action-v2-'));
    mkdirSync(join(home, 'work'), { recursive: true });
    writeFileSync(join(home, 'work', 'environment.yml'), `name: demo\nchannels:\n  - ${channel.url}/conda-test-recipes\n  - nodefaults\ndependencies:\n  - small-executable\n  - python=3.99\n  - sample_noarch_python\nvariables:\n  DEMO_VAR: hello\n`);
    base = { ...runnerEnv(home, services, 'v2'), INPUT_PREFIX: join(home, 'envs', 'demo'), 'INPUT_TIMING-ARTIFACT': '' };
  });
  after(async () => {
    await channel.close();
    await services.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('first job saves through CreateCacheEntry and blob uploads; the second restores the environment through GetCacheEntryDownloadURL', async () => {
    assert.ok(!('ACTIONS_CACHE_URL' in base), 'v2 only: no v1 URL to fall back on');
    const first = await runJob(home, base);
    assert.equal(first.main.code, 0, first.main.stdout);
    assert.equal(first.main.outputs['cache-hit'], 'none');
    assert.doesNotMatch(first.main.stdout, /::(warning|error)::/, 'no cache operation failed');
    assert.equal(first.post.code, 0, first.post.stdout);

    // everything went through twirp and the blob store, nothing through the v1 REST routes
    assert.ok(!services.requests.some((r) => r.includes('/_apis/artifactcache')), services.requests.join('\n'));
    const calls = (method: string) => services.requests.filter((r) => r === `POST ${TWIRP}${method}`).length;
    const kinds = ['env-setup-spec-', 'env-setup-env-', 'env-setup-pkgs-', 'env-setup-timings-'];
    for (const kind of kinds) assert.equal(services.entries.filter((e) => e.key.startsWith(kind)).length, 1, `one ${kind}… entry: ${services.entries.map((e) => e.key).join(' ')}`);
    assert.equal(calls('CreateCacheEntry'), services.entries.length);
    assert.equal(calls('FinalizeCacheEntryUpload'), services.entries.length);
    assert.ok(calls('GetCacheEntryDownloadURL') >= 3, 'the spec file, tarball and packages were looked up first');
    assert.ok(services.requests.some((r) => /^PUT \/blob\/u\d+/.test(r)), 'the archives were uploaded to the signed URLs');
    // every entry is an @actions/cache archive (tar, zstd-compressed here): the zstd frame magic
    for (const e of services.entries) assert.equal(e.bytes.readUInt32LE(0), 0xfd2fb528, `${e.key} is a zstd frame`);

    const downloads = packageDownloads(channel.requests);
    const repodata = channel.requests.filter((r) => r.path.includes('repodata')).length;
    const requestsBefore = services.requests.length;
    const second = await runJob(home, base);
    assert.equal(second.main.code, 0, second.main.stdout);
    assert.equal(second.main.outputs['cache-hit'], 'environment');
    assert.match(second.main.summary, /cache path \*\*tarball\*\*/);
    assert.equal(packageDownloads(channel.requests), downloads, 'no package downloaded');
    assert.equal(channel.requests.filter((r) => r.path.includes('repodata')).length, repodata, 'no repodata fetched: no solve');
    const spans = JSON.parse(readFileSync(join(second.main.outputs['timings-path']!, 'env-setup-timings.json'), 'utf8')).spans.map((s: { name: string }) => s.name);
    assert.ok(!spans.includes('solve') && !spans.includes('install.download'), spans.join(' '));
    const prefix = join(home, 'envs', 'demo');
    assert.deepEqual(second.main.path, [join(prefix, 'bin')]);
    assert.equal(second.main.env.DEMO_VAR, 'hello');
    assert.ok(existsSync(join(prefix, 'conda-meta', 'history')));
    const secondRequests = services.requests.slice(requestsBefore);
    assert.ok(secondRequests.includes(`POST ${TWIRP}GetCacheEntryDownloadURL`), secondRequests.join('\n'));
    assert.ok(secondRequests.some((r) => /^GET \/blob\/e\d+\?sig=read/.test(r)), `the tarball was downloaded from its signed URL: ${secondRequests.join('\n')}`);
    assert.ok(!secondRequests.some((r) => r.includes('/_apis/artifactcache')));
  });

  test('entries the service refused during the main step are saved by the post step', async () => {
    services.entries.length = 0;
    rmSync(join(home, 'temp'), { recursive: true, force: true });
    rmSync(join(home, 'envs'), { recursive: true, force: true });
    mkdirSync(join(home, 'temp'), { recursive: true });
    const env = { ...base, 'INPUT_CACHE-KEY': 'retry' };
    services.rejectWrites = true;
    let main;
    try {
      main = await runActionStep('main', env, join(home, 'work'));
    } finally {
      services.rejectWrites = false;
    }
    assert.equal(main.code, 0, main.stdout);
    assert.match(main.stdout, /::warning::saving retry-env-setup-spec-.* failed/);
    assert.equal(services.entries.length, 0);
    assert.ok(existsSync(join(home, 'envs', 'demo', 'conda-meta')), 'the environment was created all the same');
    const post = await runActionStep('post', env, join(home, 'work'), main.state);
    assert.equal(post.code, 0, post.stdout);
    const saved = services.entries.map((e) => e.key);
    for (const kind of ['retry-env-setup-spec-', 'retry-env-setup-env-', 'retry-env-setup-timings-']) assert.ok(saved.some((k) => k.startsWith(kind)), `${kind}… saved by the post step: ${saved.join(' ')}`);
    assert.ok(!existsSync(join(home, 'temp', 'env-setup')), 'and the temporary files removed');
  });

  test('a tarball whose download keeps breaking off half way is discarded with a warning (the packages are installed instead); one that breaks off once is resumed', async () => {
    const env = { ...base, 'INPUT_CACHE-KEY': 'cut' };
    const first = await runJob(home, env);
    assert.equal(first.main.code, 0, first.main.stdout);
    assert.ok(services.entries.some((e) => e.key.startsWith('cut-env-setup-env-')), 'the tarball was saved');
    /** A job while the service cuts the tarball's downloads half way (`cutDownloads`: every time; `cutDownloadsOnce`: once). */
    const cutJob = async (how: 'cutDownloads' | 'cutDownloadsOnce') => {
      services[how] = 'cut-env-setup-env-';
      try {
        return await runJob(home, env);
      } finally {
        services[how] = undefined;
      }
    };
    const second = await cutJob('cutDownloads');
    assert.equal(second.main.code, 0, second.main.stdout);
    assert.match(second.main.stdout, /::warning::the stored environment env-setup-env-\S+ cannot be used: the environment tarball .* could not be read to its end .*; installing the packages instead/);
    assert.equal(second.main.outputs['cache-hit'], 'spec');
    const prefix = join(home, 'envs', 'demo');
    assert.ok(existsSync(join(prefix, 'conda-meta', 'history')));
    assert.deepEqual(readdirSync(join(home, 'envs')), ['demo'], 'no restore folder left beside the prefix');

    // a download that breaks off once is resumed where it stopped: the environment is restored
    const third = await cutJob('cutDownloadsOnce');
    assert.equal(third.main.code, 0, third.main.stdout);
    assert.equal(third.main.outputs['cache-hit'], 'environment', third.main.stdout);
    assert.doesNotMatch(third.main.stdout, /::warning::/);
    assert.ok(existsSync(join(prefix, 'conda-meta', 'history')));
  });
});
