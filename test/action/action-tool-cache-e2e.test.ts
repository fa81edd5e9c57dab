// The bundled action on a self-hosted runner (RUNNER_ENVIRONMENT=self-hosted): extracted packages are
// kept in RUNNER_TOOL_CACHE (env-setup-pkgs/1.0.0/<arch>, with the `.complete` marker that
// @actions/tool-cache's find() wants), so a later job on the same machine, into a fresh prefix and
// with nothing in the GitHub Actions cache, solves and links without downloading a package.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { type ActionsServices, startActionsServices } from '../support/actions-cache-server.ts';
import { packageDownloads, runJob, runnerEnv } from '../support/action-step.ts';

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const skip = existsSync(join(fixtures, 'conda-test-recipes/noarch/repodata.json')) ? false : '../shared/fixtures is absent';

describe('the bundled action on a self-hosted runner keeps packages in the tool cache', { skip }, () => {
  let channel: ChannelServer;
  const services: ActionsServices[] = [];
  let home: string;
  let toolCache: string;

  before(async () => {
    channel = await startChannelServer({ root: fixtures });
    home = mkdtempSync(join(tmpdir(), 'env-setup-action-toolcache-'));
    toolCache = join(home, 'persistent-toolcache');
    mkdirSync(join(home, 'work'), { recursive: true });
    writeFileSync(join(home, 'work', 'environment.yml'), `name: demo\nchannels:\n  - ${channel.url}/conda-test-recipes\n  - nodefaults\ndependencies:\n  - small-executable\n  - python=3.99\n  - sample_noarch_python\n`);
  });
  after(async () => {
    await channel.close();
    for (const s of services) await s.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** A self-hosted job against a cache service of its own (empty unless the caller filled it). */
  async function selfHostedEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    const s = await startActionsServices();
    services.push(s);
    return { ...runnerEnv(home, s, 'v1'), RUNNER_ENVIRONMENT: 'self-hosted', RUNNER_TOOL_CACHE: toolCache, INPUT_PREFIX: join(home, 'envs', 'demo'), 'INPUT_TIMING-ARTIFACT': '', ...extra };
  }

  test('the first job leaves the packages in the tool cache; the second links from there without downloading', async () => {
    const pkgs = join(toolCache, 'env-setup-pkgs', '1.0.0', 'X64');
    const first = await runJob(home, await selfHostedEnv());
    assert.equal(first.main.code, 0, first.main.stdout);
    assert.equal(first.post.code, 0, first.post.stdout);
    assert.ok(packageDownloads(channel.requests) >= 3, 'the first job downloaded the packages');
    assert.ok(existsSync(`${pkgs}.complete`), 'the .complete marker @actions/tool-cache find() looks for');
    const extracted = readdirSync(pkgs).filter((n) => n.startsWith('small-executable-') || n.startsWith('sample_noarch_python-') || n.startsWith('python-3.99'));
    assert.equal(extracted.filter((n) => existsSync(join(pkgs, n, 'info', 'index.json'))).length, 3, `extracted packages in the tool cache: ${readdirSync(pkgs).join(' ')}`);
    assert.match(first.main.summary, new RegExp(`\\| packages \\| tool cache ${pkgs.replaceAll('/', '\\/')}`));
    assert.ok(!services[0]!.entries.some((e) => e.key.startsWith('env-setup-pkgs-')), 'the tool cache stands in for the package cache entry');
    assert.ok(existsSync(pkgs), 'the post step leaves the tool cache alone');

    // a fresh prefix and RUNNER_TEMP, no stored solve, no tarball, an empty cache service: only the tool cache is left
    const downloads = packageDownloads(channel.requests);
    const repodata = channel.requests.filter((r) => r.path.includes('repodata')).length;
    const second = await runJob(home, await selfHostedEnv({ 'INPUT_CACHE-ENVIRONMENT': 'false', 'INPUT_CACHE-SPEC': 'false' }));
    assert.equal(second.main.code, 0, second.main.stdout);
    assert.equal(second.main.outputs['cache-hit'], 'none');
    assert.ok(channel.requests.filter((r) => r.path.includes('repodata')).length > repodata, 'the second job solved afresh');
    assert.equal(packageDownloads(channel.requests), downloads, `no package downloaded: ${channel.requests.slice(-10).map((r) => r.path).join(' ')}`);
    assert.equal(services[1]!.entries.length, 1, `only the run record was saved: ${services[1]!.entries.map((e) => e.key).join(' ')}`);
    const prefix = join(home, 'envs', 'demo');
    assert.ok(readdirSync(join(prefix, 'conda-meta')).some((n) => n.startsWith('small-executable-')), 'the environment was linked');
    assert.deepEqual(second.main.path, [join(prefix, 'bin')]);
  });
});
