// Renders fetchPackages' progress events for a person. On a terminal: one line rewritten in place
// (at most ten times a second) with a bar, bytes so far, speed, ETA and packages ready; erased by
// finish(). Elsewhere (CI logs, pipes): a plain line every `intervalMs` while downloading, and one
// summary line at the end. Speed is measured over the last few seconds. The faces (CLI, Action)
// pass their stream; this file only formats.

import type { InstallProgress } from './progress.ts';

export interface ProgressStream {
  write(text: string): unknown;
}

export interface InstallProgressReporter {
  onProgress(event: InstallProgress): void;
  /** Erases the live line (terminal) so normal output starts clean. */
  finish(): void;
}

export interface InstallProgressReporterOptions {
  /** A terminal: rewrite one line in place. */
  tty: boolean;
  /** Columns of the terminal (the bar shrinks to fit). Default 80. */
  columns?: number;
  /** Milliseconds between plain lines when not on a terminal. Default 5000. */
  intervalMs?: number;
  /** Clock in ms. Default Date.now. */
  now?: () => number;
}

const MB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 * MB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${(bytes / (1024 * MB)).toFixed(2)} GB`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function installProgressReporter(stream: ProgressStream, options: InstallProgressReporterOptions): InstallProgressReporter {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5000;
  const started = now();
  const bytesOf = new Map<string, number>();
  const totalOf = new Map<string, number>();
  const samples: { t: number; bytes: number }[] = [];
  let planned = 0;
  let packages = 0;
  let cachedAtStart = 0;
  let ready = 0;
  let extracting = 0;
  const waiting = new Set<string>();
  let downloading = 0;
  let lastRender = -Infinity;
  let lastPlain = started;
  let shown = false;

  const sum = (m: Map<string, number>): number => {
    let s = 0;
    for (const v of m.values()) s += v;
    return s;
  };
  const totalBytes = (): number => Math.max(planned, sum(totalOf));

  /** Bytes per second over the last 3 s (0 until two samples). */
  const rate = (): number => {
    const t = now();
    while (samples.length > 2 && t - samples[0]!.t > 3000) samples.shift();
    if (samples.length < 2) return 0;
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    return last.t > first.t ? ((last.bytes - first.bytes) * 1000) / (last.t - first.t) : 0;
  };

  const figures = (): { bytes: number; total: number; speed: number; eta: string } => {
    const bytes = sum(bytesOf);
    const total = totalBytes();
    const speed = rate();
    const eta = speed > 0 && total > bytes ? formatDuration(((total - bytes) / speed) * 1000) : '--';
    return { bytes, total, speed, eta };
  };

  const liveLine = (): string => {
    const f = figures();
    const tail = ` ${formatBytes(f.bytes)}/${formatBytes(f.total)} · ${formatBytes(Math.round(f.speed))}/s · ETA ${f.eta} · ${ready}/${packages} ready${extracting ? ` · extracting ${extracting}` : ''}${waiting.size ? ` · waiting for ${waiting.size} locked by another run` : ''}`;
    const width = Math.max(10, Math.min(30, (options.columns ?? 80) - tail.length - 'packages [] '.length));
    const done = f.total > 0 ? Math.min(width, Math.round((f.bytes / f.total) * width)) : 0;
    return `packages [${'#'.repeat(done)}${'-'.repeat(width - done)}]${tail}`;
  };

  const render = (force: boolean): void => {
    const t = now();
    if (options.tty) {
      if (!force && t - lastRender < 100) return;
      lastRender = t;
      stream.write(`\r\x1b[K${liveLine()}`);
      shown = true;
      return;
    }
    if (!force && t - lastPlain < interval) return;
    lastPlain = t;
    const f = figures();
    const pct = f.total > 0 ? ` (${Math.round((f.bytes / f.total) * 100)}%)` : '';
    stream.write(`packages: ${formatBytes(f.bytes)} of ${formatBytes(f.total)} downloaded${pct}, ${formatBytes(Math.round(f.speed))}/s, ETA ${f.eta}; ${ready}/${packages} ready\n`);
  };

  return {
    onProgress(e) {
      switch (e.type) {
        case 'plan':
          planned = e.downloadBytes;
          packages = e.packages;
          cachedAtStart = e.cached;
          if (options.tty && e.toDownload > 0) render(true);
          return;
        case 'waiting':
          waiting.add(e.fn);
          break;
        case 'download-start':
          if (e.total !== undefined) totalOf.set(e.fn, e.total);
          bytesOf.set(e.fn, 0);
          downloading++;
          break;
        case 'download-progress':
          bytesOf.set(e.fn, e.bytes);
          if (e.total !== undefined) totalOf.set(e.fn, e.total);
          samples.push({ t: now(), bytes: sum(bytesOf) });
          if (samples.length > 200) samples.splice(0, 100);
          break;
        case 'download-done':
          downloading = Math.max(0, downloading - 1);
          break;
        case 'extract-start':
          extracting++;
          break;
        case 'extract-done':
          extracting = Math.max(0, extracting - 1);
          break;
        case 'ready':
          ready++;
          waiting.delete(e.fn);
          break;
        case 'finish': {
          if (options.tty) {
            if (shown) stream.write('\r\x1b[K');
            shown = false;
            return;
          }
          if (e.packages === 0) return;
          const took = formatDuration(now() - started);
          const fromCache = e.packages - e.downloaded;
          stream.write(`packages: ${e.packages} ready (${fromCache} from the cache, ${e.downloaded} downloaded, ${formatBytes(e.downloadedBytes)}) in ${took}\n`);
          return;
        }
        default:
          break;
      }
      if (options.tty) {
        if (packages > cachedAtStart) render(e.type !== 'download-progress');
      } else if (downloading > 0) render(false);
    },
    finish() {
      if (options.tty && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
