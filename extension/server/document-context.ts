// The channels and platforms one document is checked against, from its own `channels:` and
// `platforms:` and the settings (which override both), and which of its dependencies apply on a
// platform (CEP 24 selectors).

import { hostSubdir } from '../../core/index/virtual-packages.ts';
import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import { selectorHolds } from '../../core/spec/selector.ts';
import type { DocumentModel } from './document-model.ts';
import type { IndexRequest } from './index-store.ts';
import type { ServerSettings } from './settings.ts';

/** The platforms to check, the first being the one solved for hints. */
export function platformsOf(model: DocumentModel, settings: ServerSettings): string[] {
  if (settings.platforms.length > 0) return settings.platforms;
  const fromFile = model.env?.platforms?.map((p) => p.value) ?? [];
  if (fromFile.length > 0) return fromFile;
  return [hostSubdir() ?? 'linux-64'];
}

/** The index request of a document on one platform. */
export function indexRequestOf(model: DocumentModel, settings: ServerSettings, platform: string): IndexRequest {
  const override = settings.channels.length > 0;
  return {
    channels: override ? settings.channels : (model.env?.channels.map((c) => c.value) ?? []),
    overrideChannels: override,
    platform,
    offline: settings.offline,
    cacheDir: settings.cacheDir,
  };
}

/** Does the entry apply on the platform? An entry whose selector we cannot evaluate applies everywhere. */
export function appliesOn(entry: DependencyEntry, platform: string): boolean {
  return entry.selector === undefined || selectorHolds(entry.selector, platform) !== false;
}

/** The exact package name of an entry, or undefined for glob/regex names. */
export function exactName(entry: DependencyEntry): string | undefined {
  return entry.spec.exactValue('name');
}
