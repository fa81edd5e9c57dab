// Virtual packages (`__glibc`, `__osx`, `__cuda`, …; CEP 30): what the machine offers that conda cannot
// install, as repodata-shaped records the solver adds to the index. Detected on the running machine when
// the target platform's OS is the host's, conda's cross-platform defaults otherwise, then the
// `CONDA_OVERRIDE_*` variables and `--virtual-package name=version[=build]` overrides on top.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpecError } from '../spec/errors.ts';
import { isKnownSubdir } from '../spec/platform.ts';
import { Version } from '../spec/version.ts';

/** A virtual package as a repodata record (conda's `PackageRecord.virtual_package`: channel `@`, build `0`). */
export interface VirtualPackageRecord {
  name: string;
  version: string;
  build: string;
  build_number: 0;
  depends: string[];
  constrains: string[];
  subdir: string;
  channel: '@';
  /** `name-version-build.virtual` (conda writes just the name; a unique file name suits the index better). */
  fn: string;
}

/** One `--virtual-package` argument, read. */
export interface VirtualPackageSpec {
  name: string;
  version: string;
  build: string;
}

/** Facts about a machine that the virtual packages are made from; every field optional but `subdir`. */
export interface HostFacts {
  /** The machine's native subdir, e.g. `linux-64`, `osx-arm64`. */
  subdir: string;
  /** Linux kernel release as `uname -r` prints it (`6.1.0-18-amd64`). */
  linuxRelease?: string;
  /** GNU libc version (`2.36`); absent on musl. */
  glibc?: string;
  /** macOS product version (`14.4.1`). */
  osx?: string;
  /** Windows version `major.minor.build` (`10.0.22631`). */
  win?: string;
  /** CPU microarchitecture name for `__archspec` (`x86_64_v3`, `m1`, `aarch64`). */
  archspec?: string;
  /** Highest CUDA version the driver supports (`12.4`); absent without an NVIDIA driver. */
  cuda?: string;
  /** Lowest compute capability of the CUDA devices and that device's model (CEP 30 `__cuda_arch`). */
  cudaArch?: { version: string; build: string };
}

export interface VirtualPackageOptions {
  /** Detect the running machine's facts (default true). False gives the cross-platform defaults everywhere. */
  detect?: boolean;
  /** Where `CONDA_OVERRIDE_*` are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** `--virtual-package` values, `name=version` or `name=version=build`; they replace or add packages. */
  overrides?: readonly string[];
  /** The machine's facts (default: detected once per process); tests pass their own. */
  host?: HostFacts;
}

/**
 * Versions used when the target platform's OS is not the running one (or detection is off). conda itself
 * reports `0` there (`__glibc=0`, `__osx=0`), which makes nearly every package unsolvable; these are the
 * defaults rattler, pixi and conda-lock use (CEP 30 allows a default of the tool's choice for `__glibc`).
 */
export const CROSS_PLATFORM_DEFAULTS: Readonly<{ linux: string; glibc: string; osx: Readonly<Record<string, string>>; osxOther: string; win: string }> = {
  linux: '0',
  glibc: '2.17',
  osx: { 'osx-arm64': '11.0', 'osx-64': '10.15' },
  osxOther: '11.0',
  win: '0',
};

const OVERRIDE = {
  linux: 'CONDA_OVERRIDE_LINUX',
  glibc: 'CONDA_OVERRIDE_GLIBC',
  osx: 'CONDA_OVERRIDE_OSX',
  win: 'CONDA_OVERRIDE_WIN',
  archspec: 'CONDA_OVERRIDE_ARCHSPEC',
  cuda: 'CONDA_OVERRIDE_CUDA',
  cudaArch: 'CONDA_OVERRIDE_CUDA_ARCH',
} as const;

/** conda's `non_x86_machines`: the subdir's architecture part is the archspec name as is. */
const NON_X86 = new Set(['armv6l', 'armv7l', 'aarch64', 'arm64', 'ppc64', 'ppc64le', 'riscv64', 's390x']);

/** The running machine's subdir (`linux-64`, `osx-arm64`, `win-64`, …), or undefined on an unknown one. */
export function hostSubdir(platform: string = process.platform, arch: string = process.arch, machine?: string): string | undefined {
  const osName = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'osx' : platform === 'win32' ? 'win' : platform === 'freebsd' ? 'freebsd' : undefined;
  if (osName === undefined) return undefined;
  let a: string | undefined;
  switch (arch) {
    case 'x64': a = '64'; break;
    case 'ia32': a = '32'; break;
    case 'arm64': a = osName === 'linux' ? 'aarch64' : 'arm64'; break;
    case 'arm': a = (machine ?? safe(() => os.machine()) ?? '').startsWith('armv6') ? 'armv6l' : 'armv7l'; break;
    case 'ppc64': a = os.endianness() === 'LE' ? 'ppc64le' : 'ppc64'; break;
    case 's390x': a = 's390x'; break;
    case 'riscv64': a = 'riscv64'; break;
    default: return undefined;
  }
  const subdir = `${osName}-${a}`;
  return isKnownSubdir(subdir) ? subdir : undefined;
}

/**
 * The virtual packages for a target platform. OS facts (kernel, glibc, macOS and Windows versions, CUDA)
 * are detected when the target's OS is the running one, as conda does (`osx-64` on an arm64 Mac reports
 * the real macOS); `__archspec` is the detected microarchitecture only when the whole subdir matches.
 * Otherwise `CROSS_PLATFORM_DEFAULTS`. Then `CONDA_OVERRIDE_*` (an empty value removes the package,
 * except `__linux`, which becomes `0` as in conda), then `overrides`.
 */
export function virtualPackagesFor(platform: string, options: VirtualPackageOptions = {}): VirtualPackageRecord[] {
  if (platform !== 'noarch' && !isKnownSubdir(platform)) {
    throw new SpecError(`unknown platform '${platform}': expected a conda subdir such as linux-64, osx-arm64 or win-64`, { input: platform });
  }
  const env = options.env ?? process.env;
  const detect = options.detect ?? true;
  const host = detect ? (options.host ?? detectHost()) : undefined;
  const [targetOs = '', targetArch = ''] = platform.split('-');
  const sameOs = host !== undefined && host.subdir.split('-')[0] === targetOs;
  const sameSubdir = host !== undefined && host.subdir === platform;
  const out: VirtualPackageRecord[] = [];
  const add = (name: string, version: string, build = '0'): void => {
    out.push(record(name, version, build, platform));
  };

  if (targetOs === 'linux' || targetOs === 'osx' || targetOs === 'freebsd' || targetOs === 'emscripten') add('__unix', '0');

  if (targetOs === 'linux') {
    // __linux: always there; the kernel release trimmed to its numeric part, `0` when unknown or emptied
    const raw = overrideValue(env, OVERRIDE.linux) ?? (sameOs ? host?.linuxRelease : undefined);
    const version = raw === undefined ? CROSS_PLATFORM_DEFAULTS.linux : (linuxVersion(raw) ?? '0');
    add('__linux', checkedVersion(version, OVERRIDE.linux));
    // __glibc: detected, else the default; an empty override removes it
    const glibc = overrideValue(env, OVERRIDE.glibc) ?? (sameOs ? (host?.glibc === undefined ? undefined : majorMinor(host.glibc)) : CROSS_PLATFORM_DEFAULTS.glibc);
    if (glibc) add('__glibc', checkedVersion(glibc, OVERRIDE.glibc));
  }

  if (targetOs === 'osx') {
    const detected = sameOs && host?.osx !== undefined ? majorMinor(host.osx) : undefined;
    const fallback = sameOs ? '0' : (CROSS_PLATFORM_DEFAULTS.osx[platform] ?? CROSS_PLATFORM_DEFAULTS.osxOther);
    const osx = overrideValue(env, OVERRIDE.osx) ?? detected ?? fallback;
    if (osx) add('__osx', checkedVersion(osx, OVERRIDE.osx));
  }

  if (targetOs === 'win') {
    const win = overrideValue(env, OVERRIDE.win) ?? (sameOs ? host?.win : undefined) ?? CROSS_PLATFORM_DEFAULTS.win;
    if (win) add('__win', checkedVersion(win, OVERRIDE.win));
  }

  if (platform !== 'noarch') {
    const archspec = overrideValue(env, OVERRIDE.archspec) ?? (sameSubdir ? host?.archspec : undefined) ?? archspecFor(targetOs, targetArch);
    if (archspec) add('__archspec', '1', checkedBuild(archspec, OVERRIDE.archspec));
  }

  const cuda = overrideValue(env, OVERRIDE.cuda) ?? (sameOs ? host?.cuda : undefined);
  if (cuda) {
    add('__cuda', checkedVersion(cuda, OVERRIDE.cuda));
    const archOverride = overrideValue(env, OVERRIDE.cudaArch);
    if (archOverride !== undefined) {
      if (archOverride) {
        const [version = '', build = '0', ...rest] = archOverride.split('=');
        if (rest.length > 0) throw new SpecError(`${OVERRIDE.cudaArch}='${archOverride}': expected 'version' or 'version=build'`, { input: archOverride });
        add('__cuda_arch', checkedVersion(version, OVERRIDE.cudaArch), checkedBuild(build, OVERRIDE.cudaArch));
      }
    } else if (sameOs && host?.cudaArch !== undefined) {
      add('__cuda_arch', host.cudaArch.version, host.cudaArch.build);
    }
  }

  for (const text of options.overrides ?? []) {
    const spec = parseVirtualPackageArg(text);
    const rec = record(spec.name, spec.version, spec.build, platform);
    const at = out.findIndex((r) => r.name === spec.name);
    if (at >= 0) out[at] = rec;
    else out.push(rec);
  }
  return out;
}

/** Read `name=version` or `name=version=build` (a `--virtual-package` value); throws SpecError. */
export function parseVirtualPackageArg(text: string): VirtualPackageSpec {
  const input = text.trim();
  const fail = (why: string): SpecError => new SpecError(`invalid virtual package '${text}': ${why}`, { input: text });
  if (input === '') throw fail('it is empty; write name=version, e.g. __glibc=2.28');
  if (/\s/.test(input)) throw fail('it contains spaces; write name=version or name=version=build, e.g. __glibc=2.28');
  if (/[<>!~,|]/.test(input)) throw fail('a virtual package has one exact version, not a range; write name=version, e.g. __glibc=2.28');
  if (input.includes('==')) throw fail("write name=version with a single '=', e.g. __glibc=2.28");
  const parts = input.split('=');
  if (parts.length > 3) throw fail(`too many '=' (write name=version or name=version=build, e.g. __archspec=1=x86_64_v3)`);
  const [rawName = '', version, build] = parts;
  const name = rawName.toLowerCase();
  if (name === '') throw fail('the name is missing');
  if (!name.startsWith('__')) throw fail(`virtual package names start with '__' (did you mean '__${name.replace(/^_+/, '')}'?)`);
  if (!/^__[a-z0-9][a-z0-9_.-]*$/.test(name)) throw fail(`'${rawName}' is not a package name (use a-z, 0-9, '_', '-', '.')`);
  if (version === undefined) throw fail(`no version; write ${name}=<version>, e.g. __glibc=2.28`);
  if (version === '') throw fail('the version is empty');
  if (version.includes('*')) throw fail(`the version '${version}' is a pattern; a virtual package has one exact version`);
  try {
    Version.parse(version);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  if (build !== undefined) {
    if (build === '') throw fail('the build string is empty');
    if (!/^[A-Za-z0-9_.+-]+$/.test(build)) throw fail(`the build string '${build}' has characters a build string cannot have (use letters, digits, '_', '.', '+', '-')`);
  }
  return { name, version, build: build ?? '0' };
}

/** The machine's facts, detected once per process (CUDA only when `nvidia-smi` is on the PATH). Never throws. */
export function detectHost(): HostFacts {
  cachedHost ??= detectHostNow();
  return cachedHost;
}

let cachedHost: HostFacts | undefined;

function detectHostNow(): HostFacts {
  const subdir = hostSubdir() ?? `${process.platform}-${process.arch}`;
  const facts: HostFacts = { subdir };
  const release = safe(() => os.release());
  if (process.platform === 'linux') {
    if (release) facts.linuxRelease = release;
    const glibc = safe(glibcVersion);
    if (glibc) facts.glibc = glibc;
  } else if (process.platform === 'darwin') {
    const v = safe(macosVersion) ?? (release ? darwinToMacos(release) : undefined);
    if (v) facts.osx = v;
  } else if (process.platform === 'win32') {
    const m = release ? /^\d+\.\d+\.\d+/.exec(release) : null;
    if (m) facts.win = m[0];
  }
  facts.archspec = safe(hostArchspec) ?? archspecFor(subdir.split('-')[0] ?? '', subdir.split('-')[1] ?? '');
  const cuda = safe(detectCuda);
  if (cuda?.version) facts.cuda = cuda.version;
  if (cuda?.arch) facts.cudaArch = cuda.arch;
  return facts;
}

function record(name: string, version: string, build: string, subdir: string): VirtualPackageRecord {
  return { name, version, build, build_number: 0, depends: [], constrains: [], subdir, channel: '@', fn: `${name}-${version}-${build}.virtual` };
}

/** The override's trimmed value; `''` when set empty (the caller decides what empty means); undefined when unset. */
function overrideValue(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const v = env[key];
  return v === undefined ? undefined : v.trim();
}

function checkedVersion(version: string, source: string): string {
  try {
    Version.parse(version);
  } catch (e) {
    throw new SpecError(`${source}='${version}' is not a valid version: ${e instanceof Error ? e.message : String(e)}`, { input: version });
  }
  if (version.includes('*')) throw new SpecError(`${source}='${version}' is a pattern; a virtual package has one exact version`, { input: version });
  return version;
}

function checkedBuild(build: string, source: string): string {
  if (!/^[A-Za-z0-9_.+-]+$/.test(build)) {
    throw new SpecError(`${source}='${build}' is not a valid build string (use letters, digits, '_', '.', '+', '-')`, { input: build });
  }
  return build;
}

/** conda's kernel version: the leading `\d+\.\d+(\.\d+)?(\.\d+)?`, dropping distribution suffixes. */
function linuxVersion(release: string): string | undefined {
  return /^\d+\.\d+(\.\d+)?(\.\d+)?/.exec(release)?.[0];
}

/** The first two numeric components (`2.36.1` → `2.36`, `14` → `14.0`), as CEP 30 asks for glibc and macOS. */
function majorMinor(v: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? `${m[1]}.${m[2] ?? '0'}` : undefined;
}

/** conda's `__archspec` build for a target it cannot inspect: the subdir's machine name (CEP 30, Appendix A). */
function archspecFor(targetOs: string, arch: string): string | undefined {
  if (NON_X86.has(arch)) return arch;
  if (arch === '64') return 'x86_64';
  if (arch === '32') return 'x86';
  if (arch === 'wasm32') return 'wasm32';
  if (targetOs === 'zos') return 'z';
  return undefined;
}

function glibcVersion(): string | undefined {
  const report = process.report as (typeof process.report & { excludeNetwork?: boolean }) | undefined;
  if (report === undefined) return undefined;
  const before = report.excludeNetwork;
  report.excludeNetwork = true; // the network section can be slow (DNS)
  try {
    const header = (report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    return header?.glibcVersionRuntime ? majorMinor(header.glibcVersionRuntime) : undefined;
  } finally {
    report.excludeNetwork = before;
  }
}

/** macOS's real product version; SystemVersion.plist is never the `10.16` compatibility answer. */
function macosVersion(): string | undefined {
  const plist = readFileSync('/System/Library/CoreServices/SystemVersion.plist', 'utf8');
  return /<key>ProductVersion<\/key>\s*<string>([0-9.]+)<\/string>/.exec(plist)?.[1];
}

/** Darwin kernel major → macOS: 20–24 are macOS 11–15, 25 is macOS 26, older ones 10.(major−4). */
export function darwinToMacos(release: string): string | undefined {
  const major = Number(/^(\d+)\./.exec(release)?.[1]);
  if (!Number.isInteger(major) || major < 5) return undefined;
  if (major >= 25) return `${major + 1}.0`;
  if (major >= 20) return `${major - 9}.0`;
  return `10.${major - 4}`;
}

/** x86-64 levels from archspec's generic microarchitectures (features as /proc/cpuinfo names them). */
const X86_64_LEVELS: readonly [string, readonly string[]][] = [
  ['x86_64_v4', ['avx512f', 'avx512bw', 'avx512cd', 'avx512dq', 'avx512vl']],
  ['x86_64_v3', ['avx', 'avx2', 'bmi1', 'bmi2', 'f16c', 'fma', 'abm', 'movbe', 'xsave']],
  ['x86_64_v2', ['cx16', 'lahf_lm', 'mmx', 'sse', 'sse2', 'ssse3', 'sse4_1', 'sse4_2', 'popcnt']],
];

/**
 * The host's archspec name. archspec proper names the exact microarchitecture (`skylake`, `zen3`);
 * without its database this reports the generic x86-64 level every such CPU also belongs to, Apple
 * chips as `m1`…`m4`, and otherwise the machine's generic family (`aarch64`, `ppc64le`).
 */
function hostArchspec(): string | undefined {
  if (process.arch === 'x64' && process.platform === 'linux') {
    return x86_64Level(readFileSync('/proc/cpuinfo', 'utf8'));
  }
  if (process.arch === 'arm64' && process.platform === 'darwin') {
    const model = os.cpus()[0]?.model ?? '';
    const n = Number(/Apple M(\d+)/.exec(model)?.[1]);
    return Number.isInteger(n) && n >= 1 ? `m${Math.min(n, 4)}` : 'm1';
  }
  return undefined;
}

/** The highest x86-64 level whose features the first `flags` line of /proc/cpuinfo lists. */
export function x86_64Level(cpuinfo: string): string {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  const flags = new Set(line.trim().split(/\s+/));
  let level = 'x86_64';
  const needed: string[] = [];
  for (const [name, features] of [...X86_64_LEVELS].reverse()) {
    needed.push(...features);
    if (!needed.every((f) => flags.has(f))) break;
    level = name;
  }
  return level;
}

/** CUDA from `nvidia-smi` (its banner prints the driver's CUDA version); nothing when absent or slow. */
function detectCuda(): { version?: string; arch?: { version: string; build: string } } | undefined {
  const exe = findOnPath(process.platform === 'win32' ? 'nvidia-smi.exe' : 'nvidia-smi');
  if (exe === undefined) return undefined;
  const run = (args: string[]): string => execFileSync(exe, args, { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
  const banner = safe(() => run([]));
  const version = banner ? /CUDA Version\s*:\s*(\d+\.\d+)/.exec(banner)?.[1] : undefined;
  if (version === undefined) return undefined;
  const result: { version?: string; arch?: { version: string; build: string } } = { version };
  const caps = safe(() => run(['--query-gpu=compute_cap,name', '--format=csv,noheader']));
  let best: { version: string; build: string; n: number } | undefined;
  for (const line of (caps ?? '').split('\n')) {
    const m = /^\s*(\d+)\.(\d+)[a-z]*\s*,\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const n = Number(m[1]) * 1000 + Number(m[2]);
    const build = m[3]!.replaceAll('NVIDIA', '').replace(/[^A-Za-z0-9]/g, '').slice(0, 64) || '0';
    if (best === undefined || n < best.n) best = { version: `${m[1]}.${m[2]}`, build, n };
  }
  if (best) result.arch = { version: best.version, build: best.build };
  return result;
}

function findOnPath(exe: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, exe);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
