// What the action needs to know about the runner it is on: the conda platform from RUNNER_OS and
// RUNNER_ARCH (Linux and macOS, x64 and arm64; Windows is refused with a clear message until the
// installer supports it), the temp folder, and whether the machine is self-hosted (persistent).

import { homedir } from 'node:os';
import { join } from 'node:path';

export class RunnerError extends Error {}

/** The conda subdir of this runner, or a RunnerError for one the action does not support. */
export function runnerPlatform(env: NodeJS.ProcessEnv = process.env): string {
  const os = env.RUNNER_OS ?? { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }[process.platform as string] ?? process.platform;
  const arch = env.RUNNER_ARCH ?? { x64: 'X64', arm64: 'ARM64' }[process.arch as string] ?? process.arch;
  if (os === 'Windows') throw new RunnerError('env-setup does not support Windows runners yet (the installer does not link Windows packages); use ubuntu-* or macos-* runners');
  const osPart = os === 'Linux' ? 'linux' : os === 'macOS' ? 'osx' : undefined;
  const archPart = arch === 'X64' ? '64' : arch === 'ARM64' ? (os === 'Linux' ? 'aarch64' : 'arm64') : undefined;
  if (osPart === undefined || archPart === undefined) throw new RunnerError(`env-setup runs on Linux and macOS runners with X64 or ARM64 (this one is ${os} ${arch})`);
  return `${osPart}-${archPart}`;
}

/** RUNNER_TEMP, or the system temp folder outside a runner. */
export function runnerTemp(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNNER_TEMP ?? join(homedir(), '.env-setup-action-tmp');
}

/** Whether the runner keeps its disk between jobs (self-hosted), so a local package cache pays off. */
export function isSelfHosted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RUNNER_ENVIRONMENT === 'self-hosted' || (env.RUNNER_ENVIRONMENT === undefined && env.RUNNER_TOOL_CACHE !== undefined && !env.RUNNER_TOOL_CACHE.startsWith('/opt/hostedtoolcache') && !env.RUNNER_TOOL_CACHE.startsWith('/Users/runner/hostedtoolcache'));
}
