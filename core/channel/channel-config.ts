// The channel configuration in force: .condarc files (conda's search path plus an explicit file),
// then CONDA_* environment variables, then explicit arguments — each later source wins for single
// values and comes first in lists, as in conda.

import { homedir } from 'node:os';
import { DEFAULT_CHANNEL_ALIAS, DEFAULT_CHANNELS } from '../spec/channel-name.ts';
import { SpecError } from '../spec/errors.ts';
import { isKnownSubdir } from '../spec/platform.ts';
import { condarcSearchPath } from './condarc-search-path.ts';
import { loadCondarc, readChannelPriority, readSslVerify, type ChannelPriority } from './condarc.ts';
import type { ChannelNaming } from './channel-url.ts';
import { networkSettings, type NetworkSettings } from './network.ts';

/** conda adds this to `defaults` on Windows. */
export const DEFAULT_CHANNEL_MSYS2 = 'https://repo.anaconda.com/pkgs/msys2';

export interface ChannelConfigOptions {
  /** Target platform (`linux-64`, `win-64`, …); `defaults` includes pkgs/msys2 for win-*. */
  platform: string;
  /** An explicit .condarc file (`--condarc`), read after the search path; it must exist. */
  condarcPath?: string;
  /** Environment variables. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Home folder (for ~/.condarc and `~` in channel paths). Default `os.homedir()`. */
  home?: string;
  /** Folder relative channel paths start from. Default `process.cwd()`. */
  cwd?: string;
  /** System-wide config folders (default /etc/conda, /var/lib/conda). Tests pass `[]`. */
  systemDirs?: readonly string[];
  /** Explicit channel priority (e.g. `--strict-channel-priority`); wins over CONDA_CHANNEL_PRIORITY and .condarc. */
  channelPriority?: ChannelPriority;
  /** Explicit channel alias; wins over CONDA_CHANNEL_ALIAS and .condarc. */
  channelAlias?: string;
}

export interface ChannelConfig extends ChannelNaming {
  platform: string;
  /** Channels from CONDA_CHANNELS and .condarc, highest precedence first; undefined when none sets any. */
  configuredChannels: string[] | undefined;
  channelPriority: ChannelPriority;
  network: NetworkSettings;
  /** .condarc files that were read, lowest precedence first. */
  condarcFiles: string[];
}

/** Splits a CONDA_* list variable (comma separated, as conda reads it). */
function envList(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function loadChannelConfig(options: ChannelConfigOptions): ChannelConfig {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const { platform } = options;
  if (!isKnownSubdir(platform) || platform === 'noarch') {
    throw new SpecError(`unknown platform ${JSON.stringify(platform)}; use a conda subdir such as linux-64, osx-arm64 or win-64`, { input: platform });
  }
  const rc = loadCondarc(condarcSearchPath({ env, home, systemDirs: options.systemDirs }), env, options.condarcPath);

  const envChannels = envList(env.CONDA_CHANNELS);
  const configuredChannels = envChannels || rc.channels ? [...new Set([...(envChannels ?? []), ...(rc.channels ?? [])])] : undefined;

  const envPriority = env.CONDA_CHANNEL_PRIORITY;
  const parsedEnvPriority = envPriority ? readChannelPriority(envPriority) : undefined;
  if (envPriority && parsedEnvPriority === undefined) {
    throw new SpecError(`CONDA_CHANNEL_PRIORITY=${envPriority} is not strict, flexible or disabled`, { input: envPriority });
  }

  const envVerify = env.CONDA_SSL_VERIFY ? readSslVerify(env.CONDA_SSL_VERIFY) : undefined;
  const envDefaults = envList(env.CONDA_DEFAULT_CHANNELS);
  const defaultChannels =
    envDefaults ?? rc.defaultChannels ?? (platform.startsWith('win-') ? [...DEFAULT_CHANNELS, DEFAULT_CHANNEL_MSYS2] : [...DEFAULT_CHANNELS]);

  return {
    platform,
    channelAlias: options.channelAlias ?? (env.CONDA_CHANNEL_ALIAS || undefined) ?? rc.channelAlias ?? DEFAULT_CHANNEL_ALIAS,
    defaultChannels,
    customChannels: rc.customChannels,
    cwd: options.cwd ?? process.cwd(),
    home,
    configuredChannels,
    channelPriority: options.channelPriority ?? parsedEnvPriority ?? rc.channelPriority ?? 'flexible',
    network: networkSettings({ env, sslVerify: envVerify ?? rc.sslVerify, proxyServers: rc.proxyServers }),
    condarcFiles: rc.files,
  };
}
