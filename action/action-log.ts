// The step's log at the level the `log-level` input chose:
// - `warning`: warnings and errors only (annotations); no progress, no info lines;
// - `info` (default): what the caches did, install progress as a plain line every few seconds, the
//   stages of the run in one line, and the pins worth making;
// - `debug`: besides, every package's download, extraction and link, each repodata fetch, the
//   link scripts, and a failure's stack trace — in the log itself, not only when the workflow
//   turns on ACTIONS_STEP_DEBUG (without it, these lines still go to core.debug).

import * as core from '@actions/core';
import type { FetchProgress } from '../core/channel/repodata-source.ts';
import type { InstallProgress } from '../core/install/progress.ts';
import { installProgressReporter } from '../core/install/progress-reporter.ts';
import type { TransactionEvent } from '../core/install/transaction.ts';
import type { PinEffect } from '../core/solve/pin-effects.ts';
import type { TimingDocument } from '../core/timing/schema.ts';
import { stageTimes } from '../core/timing/stages.ts';
import type { LogLevel } from './inputs.ts';

export interface ActionLog {
  level: LogLevel;
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  onRepodataProgress(p: FetchProgress): void;
  onInstallProgress(event: InstallProgress): void;
  onTransactionEvent(event: TransactionEvent): void;
  /** The run's stages in one line (info), e.g. `fetch index 812 ms · solve 95 ms · …`. */
  stages(doc: TimingDocument): void;
  pins(pins: readonly PinEffect[]): void;
}

export interface ActionLogSink {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

const coreSink: ActionLogSink = { info: (m) => core.info(m), warning: (m) => core.warning(m), debug: (m) => core.debug(m) };

export function actionLog(level: LogLevel, sink: ActionLogSink = coreSink, progressIntervalMs = 5000): ActionLog {
  const info = (m: string) => {
    if (level !== 'warning') sink.info(m);
  };
  const debug = (m: string) => (level === 'debug' ? sink.info(`debug: ${m}`) : sink.debug(m));
  // plain progress lines, as the CLI prints them off a terminal
  const progress = installProgressReporter({ write: (text: string) => info(text.replace(/\n$/, '')) }, { tty: false, intervalMs: progressIntervalMs });
  return {
    level,
    info,
    warning: (m) => sink.warning(m),
    debug,
    onRepodataProgress(p) {
      if (p.phase !== 'downloading') debug(`repodata ${p.channel}/${p.subdir}: ${p.phase}${p.total !== undefined ? ` (${p.total} bytes)` : ''}`);
    },
    onInstallProgress(event) {
      progress.onProgress(event);
      switch (event.type) {
        case 'download-progress':
        case 'plan':
        case 'finish':
          return;
        case 'download-done':
          return debug(`downloaded ${event.fn} (${event.bytes} bytes)`);
        case 'download-retry':
          return info(`retrying ${event.fn} (attempt ${event.attempt}): ${event.reason}`);
        case 'extract-done':
          return debug(`extracted ${event.fn}: ${event.files} files`);
        case 'ready':
          return debug(`ready ${event.fn} (${event.source})`);
        default:
          return debug(`${event.type} ${event.fn}`);
      }
    },
    onTransactionEvent(event) {
      switch (event.type) {
        case 'start':
          return info(`linking: ${event.unlink} to remove, ${event.link} to add`);
        case 'linked':
          return debug(`linked ${event.dist} (${event.files} files)`);
        case 'unlinked':
          return debug(`unlinked ${event.dist}`);
        case 'script': {
          info(`${event.run.action} script of ${event.run.package}: exit ${event.run.exitCode}`);
          if (event.run.output.trim() !== '') debug(event.run.output.trimEnd());
          return;
        }
        case 'rollback':
          return info(`rolling back: ${event.reason.split('\n')[0]}`);
        case 'done':
          return;
      }
    },
    stages(doc) {
      const parts = stageTimes(doc)
        .filter((s) => s.ms >= 1)
        .map((s) => `${s.stage} ${Math.round(s.ms)} ms`);
      if (parts.length > 0) info(`stages: ${parts.join(' · ')} (total ${Math.round(doc.totalMs)} ms)`);
    },
    pins(pins) {
      if (pins.length === 0) return;
      info(`pins that would shrink the solve most: ${pins.slice(0, 5).map((p) => `${p.pin} (leaves ${p.left} of ${p.candidates} candidates)`).join(', ')}`);
    },
  };
}
