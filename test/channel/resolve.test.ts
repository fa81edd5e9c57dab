// Channel resolution: names, defaults, alias, custom_channels, tokens, paths and file:// URLs,
// priorities, and where each setting comes from (.condarc search path, CONDA_* variables, arguments).
// Every test uses a temporary home and no system config dirs: the real ~/.condarc is never read.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { resolveChannel, resolveChannels, type ResolveChannelsOptions } from '../../core/channel/resolve.ts';
import { SpecError } from '../../core/spec/errors.ts';

const temp = mkdtempSync(join(tmpdir(), 'env-setup-resolve-'));
after(() => rmSync(temp, { recursive: true, force: true }));

let homes = 0;
/** A fresh home folder, with files relative to it. */
function home(files: Record<string, string> = {}): string {
  const dir = join(temp, `home-${homes++}`);
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function resolve(options: Partial<ResolveChannelsOptions> = {}) {
  return resolveChannels({ platform: 'linux-64', env: {}, home: options.home ?? home(), systemDirs: [], cwd: temp, ...options });
}

function urls(options: Partial<ResolveChannelsOptions>): string[] {
  return resolve(options).channels.map((c) => c.baseUrl);
}

describe('channel names and URLs', () => {
  test('a bare name goes under the default channel alias, with the platform and noarch subdirs', () => {
    const [c, ...rest] = resolve({ channels: ['conda-forge'], overrideChannels: true }).channels;
    assert.equal(rest.length, 0);
    assert.deepEqual(c, {
      name: 'conda-forge',
      baseUrl: 'https://conda.anaconda.org/conda-forge',
      displayUrl: 'https://conda.anaconda.org/conda-forge',
      subdirUrls: [
        { subdir: 'linux-64', url: 'https://conda.anaconda.org/conda-forge/linux-64/', displayUrl: 'https://conda.anaconda.org/conda-forge/linux-64/' },
        { subdir: 'noarch', url: 'https://conda.anaconda.org/conda-forge/noarch/', displayUrl: 'https://conda.anaconda.org/conda-forge/noarch/' },
      ],
      priority: 0,
    });
  });

  test('labels and full URLs under the alias keep their short names', () => {
    const r = resolve({ channels: ['conda-forge/label/dev', 'https://conda.anaconda.org/bioconda/'], overrideChannels: true });
    assert.deepEqual(
      r.channels.map((c) => [c.name, c.baseUrl, c.priority]),
      [
        ['conda-forge/label/dev', 'https://conda.anaconda.org/conda-forge/label/dev', 0],
        ['bioconda', 'https://conda.anaconda.org/bioconda', 1],
      ],
    );
  });

  test('defaults is pkgs/main and pkgs/r, each with its own priority; msys2 is added on Windows', () => {
    const linux = resolve({ channels: ['defaults'], overrideChannels: true }).channels;
    assert.deepEqual(
      linux.map((c) => [c.name, c.baseUrl, c.priority]),
      [
        ['defaults', 'https://repo.anaconda.com/pkgs/main', 0],
        ['defaults', 'https://repo.anaconda.com/pkgs/r', 1],
      ],
    );
    const win = resolve({ channels: ['defaults'], overrideChannels: true, platform: 'win-64' }).channels;
    assert.deepEqual(
      win.map((c) => c.baseUrl),
      ['https://repo.anaconda.com/pkgs/main', 'https://repo.anaconda.com/pkgs/r', 'https://repo.anaconda.com/pkgs/msys2'],
    );
    assert.deepEqual(win[0]!.subdirUrls.map((s) => s.subdir), ['win-64', 'noarch']);
  });

  test('pkgs/main by name is the default channel; duplicates are dropped', () => {
    const r = resolve({ channels: ['pkgs/main', 'https://repo.anaconda.com/pkgs/main/', 'defaults'], overrideChannels: true });
    assert.deepEqual(
      r.channels.map((c) => [c.name, c.baseUrl, c.priority]),
      [
        ['defaults', 'https://repo.anaconda.com/pkgs/main', 0],
        ['defaults', 'https://repo.anaconda.com/pkgs/r', 1],
      ],
    );
  });

  test('with no channels configured anywhere, the channels are defaults', () => {
    assert.deepEqual(urls({}), ['https://repo.anaconda.com/pkgs/main', 'https://repo.anaconda.com/pkgs/r']);
  });

  test('a channel written with a subdir uses that subdir and noarch', () => {
    const [c] = resolve({ channels: ['conda-forge/osx-arm64'], overrideChannels: true }).channels;
    assert.equal(c!.name, 'conda-forge');
    assert.deepEqual(c!.subdirUrls.map((s) => s.url), ['https://conda.anaconda.org/conda-forge/osx-arm64/', 'https://conda.anaconda.org/conda-forge/noarch/']);
  });

  test('other URLs are named by their URL', () => {
    const [c] = resolve({ channels: ['https://example.com/conda/stable/'], overrideChannels: true }).channels;
    assert.equal(c!.name, 'https://example.com/conda/stable');
    assert.equal(c!.baseUrl, 'https://example.com/conda/stable');
  });

  test('channel_alias and custom_channels from .condarc', () => {
    const h = home({
      '.condarc': [
        'channel_alias: https://mirror.example.com/conda/',
        'custom_channels:',
        '  bioconda: https://bio.example.org',
        '  conda-forge/label/dev: https://dev.example.org',
      ].join('\n'),
    });
    const r = resolve({ home: h, channels: ['conda-forge', 'bioconda/label/main', 'conda-forge/label/dev', 'https://mirror.example.com/conda/x'], overrideChannels: true });
    assert.deepEqual(
      r.channels.map((c) => [c.name, c.baseUrl]),
      [
        ['conda-forge', 'https://mirror.example.com/conda/conda-forge'],
        ['bioconda/label/main', 'https://bio.example.org/bioconda/label/main'],
        ['conda-forge/label/dev', 'https://dev.example.org/conda-forge/label/dev'],
        ['x', 'https://mirror.example.com/conda/x'],
      ],
    );
  });

  test('default_channels from .condarc replace what defaults stands for', () => {
    const h = home({ '.condarc': 'default_channels:\n  - https://mirror.example.com/pkgs/main\n' });
    const r = resolve({ home: h, platform: 'win-64' });
    assert.deepEqual(r.channels.map((c) => [c.name, c.baseUrl]), [['defaults', 'https://mirror.example.com/pkgs/main']]);
    // pkgs/main by name now resolves to the mirror, as in conda.
    assert.deepEqual(resolveChannel('pkgs/main', r.config).map((c) => c.baseUrl), ['https://mirror.example.com/pkgs/main']);
  });
});

describe('credentials', () => {
  test('a token is kept for fetching and redacted everywhere else', () => {
    const [c] = resolve({ channels: ['https://conda.anaconda.org/t/tk-SECRET-123/conda-forge'], overrideChannels: true }).channels;
    assert.equal(c!.name, 'conda-forge');
    assert.equal(c!.baseUrl, 'https://conda.anaconda.org/t/tk-SECRET-123/conda-forge');
    assert.equal(c!.displayUrl, 'https://conda.anaconda.org/t/<TOKEN>/conda-forge');
    assert.equal(c!.subdirUrls[0]!.url, 'https://conda.anaconda.org/t/tk-SECRET-123/conda-forge/linux-64/');
    assert.equal(c!.subdirUrls[0]!.displayUrl, 'https://conda.anaconda.org/t/<TOKEN>/conda-forge/linux-64/');
  });

  test('a token in the channel alias (from CONDA_CHANNEL_ALIAS) applies to names', () => {
    const [c] = resolve({ channels: ['private'], overrideChannels: true, env: { CONDA_CHANNEL_ALIAS: 'https://host.example/t/abc-999' } }).channels;
    assert.equal(c!.name, 'private');
    assert.equal(c!.baseUrl, 'https://host.example/t/abc-999/private');
    assert.equal(c!.displayUrl, 'https://host.example/t/<TOKEN>/private');
  });

  test('a password is kept for fetching and dropped from the name and display URL', () => {
    const [c] = resolve({ channels: ['https://me:pa55word@conda.example.com/internal'], overrideChannels: true }).channels;
    assert.equal(c!.name, 'https://conda.example.com/internal');
    assert.equal(c!.baseUrl, 'https://me:pa55word@conda.example.com/internal');
    assert.equal(c!.displayUrl, 'https://me@conda.example.com/internal');
  });

  test('a token from an environment variable in .condarc', () => {
    const h = home({ '.condarc': 'channels:\n  - https://conda.example.com/t/${MY_TOKEN}/team\n' });
    const [c] = resolve({ home: h, env: { MY_TOKEN: 'tok-777' } }).channels;
    assert.equal(c!.baseUrl, 'https://conda.example.com/t/tok-777/team');
    assert.equal(c!.name, 'https://conda.example.com/team');
    assert.ok(!c!.displayUrl.includes('tok-777'));
  });
});

describe('local channels', () => {
  test('absolute, relative and ~ paths, and file:// URLs, become file:// channels named by their URL', () => {
    const h = home();
    const r = resolve({ home: h, channels: ['/srv/channel', './build/channel', '~/my-channel', 'file:///opt/ch/'], overrideChannels: true });
    const expected = [
      pathToFileURL('/srv/channel').href,
      pathToFileURL(join(temp, 'build/channel')).href,
      pathToFileURL(join(h, 'my-channel')).href,
      'file:///opt/ch',
    ];
    assert.deepEqual(r.channels.map((c) => c.baseUrl), expected);
    assert.deepEqual(r.channels.map((c) => c.name), expected);
    assert.equal(r.channels[0]!.subdirUrls[1]!.url, pathToFileURL('/srv/channel').href + '/noarch/');
  });
});

describe('where the channel list comes from', () => {
  test('explicit channels come first, then CONDA_CHANNELS, then .condarc files (higher precedence first)', () => {
    const h = home({ '.condarc': 'channels: [a]\n', 'prefix/.condarc': 'channels: [b, a]\n' });
    const r = resolve({ home: h, env: { CONDA_PREFIX: join(h, 'prefix'), CONDA_CHANNELS: 'c, d' }, channels: ['x'] });
    assert.deepEqual(r.channels.map((c) => c.name), ['x', 'c', 'd', 'b', 'a']);
    assert.deepEqual(r.channels.map((c) => c.priority), [0, 1, 2, 3, 4]);
    assert.deepEqual(r.config.condarcFiles, [join(h, '.condarc'), join(h, 'prefix/.condarc')]);
  });

  test('explicit channels without configured ones get defaults after them, as in conda', () => {
    assert.deepEqual(urls({ channels: ['conda-forge'] }), [
      'https://conda.anaconda.org/conda-forge',
      'https://repo.anaconda.com/pkgs/main',
      'https://repo.anaconda.com/pkgs/r',
    ]);
  });

  test('override-channels and nodefaults keep only the explicit channels', () => {
    const h = home({ '.condarc': 'channels: [bioconda]\n' });
    assert.deepEqual(urls({ home: h, channels: ['conda-forge'], overrideChannels: true }), ['https://conda.anaconda.org/conda-forge']);
    assert.deepEqual(urls({ home: h, channels: ['conda-forge', 'nodefaults'] }), ['https://conda.anaconda.org/conda-forge']);
    assert.throws(() => resolve({ home: h, channels: [], overrideChannels: true }), SpecError);
  });

  test('channels named by specs come last', () => {
    const r = resolve({ channels: ['conda-forge'], overrideChannels: true, specChannels: ['bioconda', 'conda-forge'] });
    assert.deepEqual(r.channels.map((c) => c.name), ['conda-forge', 'bioconda']);
  });

  test('condarc.d folders, XDG_CONFIG_HOME, $CONDARC and an explicit --condarc file are all read, in order', () => {
    const h = home({
      '.config/conda/condarc.d/10-first.yml': 'channels: [one]\nchannel_priority: disabled\n',
      '.config/conda/condarc.d/20-second.yaml': 'channels: [two]\n',
      'xdg/conda/.condarc': 'channels: [xdg]\n',
      'special.yml': 'channels: [special]\n',
      'explicit.yml': 'channels: [explicit]\nchannel_priority: strict\n',
    });
    const r = resolve({ home: h, env: { XDG_CONFIG_HOME: join(h, 'xdg'), CONDARC: join(h, 'special.yml') }, condarcPath: join(h, 'explicit.yml') });
    assert.deepEqual(r.channels.map((c) => c.name), ['explicit', 'special', 'two', 'one', 'xdg']);
    assert.equal(r.channelPriority, 'strict');
  });

  test('channel_priority: argument over CONDA_CHANNEL_PRIORITY over .condarc; flexible by default', () => {
    const h = home({ '.condarc': 'channel_priority: strict\n' });
    assert.equal(resolve().channelPriority, 'flexible');
    assert.equal(resolve({ home: h }).channelPriority, 'strict');
    assert.equal(resolve({ home: h, env: { CONDA_CHANNEL_PRIORITY: 'disabled' } }).channelPriority, 'disabled');
    assert.equal(resolve({ home: h, env: { CONDA_CHANNEL_PRIORITY: 'disabled' }, channelPriority: 'flexible' }).channelPriority, 'flexible');
    assert.equal(resolve({ home: home({ '.condarc': 'channel_priority: false\n' }) }).channelPriority, 'disabled');
  });

  test('channel_alias: argument over CONDA_CHANNEL_ALIAS over .condarc', () => {
    const h = home({ '.condarc': 'channel_alias: https://rc.example\n' });
    const name = (options: Partial<ResolveChannelsOptions>) => urls({ home: h, channels: ['x'], overrideChannels: true, ...options })[0];
    assert.equal(name({}), 'https://rc.example/x');
    assert.equal(name({ env: { CONDA_CHANNEL_ALIAS: 'https://env.example' } }), 'https://env.example/x');
    assert.equal(name({ env: { CONDA_CHANNEL_ALIAS: 'https://env.example' }, channelAlias: 'https://arg.example' }), 'https://arg.example/x');
  });
});

describe('network settings', () => {
  test('ssl_verify and proxy_servers from .condarc win over the environment', () => {
    const h = home({ '.condarc': 'ssl_verify: /etc/corp-ca.pem\nproxy_servers:\n  https: http://rc-proxy:3128\n' });
    const env = { REQUESTS_CA_BUNDLE: '/env/ca.pem', HTTPS_PROXY: 'http://env-proxy:8080', HTTP_PROXY: 'http://env-http:8080', NO_PROXY: 'localhost,.corp' };
    assert.deepEqual(resolve({ home: h, env }).network, {
      sslVerify: true,
      caFile: '/etc/corp-ca.pem',
      httpProxy: 'http://env-http:8080',
      httpsProxy: 'http://rc-proxy:3128',
      noProxy: 'localhost,.corp',
    });
    assert.deepEqual(resolve({ env: { SSL_CERT_FILE: '/env/cert.pem' } }).network, { sslVerify: true, caFile: '/env/cert.pem' });
    assert.deepEqual(resolve({ home: home({ '.condarc': 'ssl_verify: false\n' }), env: { REQUESTS_CA_BUNDLE: '/x' } }).network, { sslVerify: false });
    assert.deepEqual(resolve({ home: h, env: { CONDA_SSL_VERIFY: 'false' } }).network.sslVerify, false);
  });
});

describe('configuration errors', () => {
  test('bad YAML and badly typed settings name the file, line and column', () => {
    const h = home({ '.condarc': 'channels:\n  - conda-forge\n channel_alias: [oops\n' });
    assert.throws(() => resolve({ home: h }), (e: unknown) => e instanceof SpecError && e.file === join(h, '.condarc') && e.position !== undefined);
    const typed = home({ '.condarc': 'channel_priority: sometimes\n' });
    assert.throws(() => resolve({ home: typed }), (e: unknown) => e instanceof SpecError && /channel_priority/.test(e.message) && e.position?.line === 1);
    const scalar = home({ '.condarc': 'channels: conda-forge\n' });
    assert.throws(() => resolve({ home: scalar }), /"channels" must be a list/);
  });

  test('a missing explicit .condarc, an unknown platform, unsupported schemes and "local" are SpecErrors', () => {
    assert.throws(() => resolve({ condarcPath: join(temp, 'nope.yml') }), /nope\.yml does not exist/);
    assert.throws(() => resolve({ platform: 'linux-65' }), /unknown platform/);
    assert.throws(() => resolve({ channels: ['s3://bucket/channel'], overrideChannels: true }), /s3:\/\/ scheme/);
    assert.throws(() => resolve({ channels: ['local'], overrideChannels: true }), /"local" channel/);
    assert.throws(() => resolve({ env: { CONDA_CHANNEL_PRIORITY: 'maybe' } }), /CONDA_CHANNEL_PRIORITY/);
  });

  test('an empty .condarc is fine', () => {
    assert.deepEqual(urls({ home: home({ '.condarc': '' }) }), ['https://repo.anaconda.com/pkgs/main', 'https://repo.anaconda.com/pkgs/r']);
  });
});
