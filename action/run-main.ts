// The action's main step: read the inputs, create the environment through core's createEnvironment
// with the @actions/cache store (tarball → spec file → solve + install, whichever the caches allow),
// save caches right away (a later failing step must not cost them), activate it for later steps,
// set the outputs, write the timing export and the job summary. What could not be saved is left to
// the post step (run-post.ts) through the action's state.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { Dispatcher } from 'undici';
import { createDispatcher, networkSettings } from '../core/channel/network.ts';
import { environmentKey } from '../core/cache/environment-key.ts';
import { envSetupVersion } from '../core/cache/spec-file.ts';
import { readEnvironmentInput, type EnvironmentInput } from '../core/cache/environment-input.ts';
import { createEnvironment, type CreateOutcome } from '../core/create/create-environment.ts';
import { PipError } from '../core/create/pip-requirements.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { SpecError } from '../core/spec/errors.ts';
import { stripCredentials } from '../core/spec/url-credentials.ts';
import { stageTimes } from '../core/timing/stages.ts';
import { Tracer } from '../core/timing/tracer.ts';
import { type ActionLog, actionLog } from './action-log.ts';
import { ActionsCacheStore } from './actions-cache-store.ts';
import { cacheServiceV2 } from './cache-service-v2.ts';
import { activate } from './activate.ts';
import { withChannelToken } from './channel-token.ts';
import { InputError, readInputs } from './inputs.ts';
import { renderSummary, wantsPinSuggestions } from './job-summary.ts';
import { markToolCacheComplete, packageCacheDir, packageCacheKey, restorePackageCache, savePackageCache } from './package-cache.ts';
import { makeRunRecord, preferPackageCache, readRunRecord, runRecordKey, writeRunRecord } from './run-record.ts';
import { isSelfHosted, runnerPlatform, runnerTemp, RunnerError } from './runner.ts';
import { STATE_NAMESPACE, STATE_TEMP, STATE_UNSAVED } from './state-keys.ts';
import { uploadTimingArtifact, writeTimingFiles } from './timing-export.ts';

export { STATE_NAMESPACE, STATE_TEMP, STATE_UNSAVED } from './state-keys.ts';

export async function runMain(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const run: MainRun = {};
  try {
    await main(env, run);
  } catch (e) {
    report(e, run.log);
  } finally {
    await run.dispatcher?.close().catch(() => undefined);
  }
}

/** What `main` made that `runMain` reports with or closes. */
interface MainRun {
  log?: ActionLog;
  dispatcher?: Dispatcher;
}

async function main(env: NodeJS.ProcessEnv, run: MainRun): Promise<void> {
  const tracer = new Tracer();
  const hostPlatform = runnerPlatform(env);
  const inputs = readInputs(env);
  const log = (run.log = actionLog(inputs.logLevel));
  const platform = inputs.platform ?? hostPlatform;
  const temp = join(runnerTemp(env), 'env-setup');
  mkdirSync(temp, { recursive: true });
  core.saveState(STATE_TEMP, temp);
  if (inputs.authToken !== undefined) core.setSecret(inputs.authToken);

  // what to install
  const fileExists = existsSync(inputs.environmentFile);
  if (!fileExists && (inputs.environmentFileGiven || inputs.createArgs.length === 0)) {
    throw new InputError('environment-file', `${inputs.environmentFile}: no such file${inputs.environmentFileGiven ? '' : ' (the default); give environment-file, or the packages in create-args'}`);
  }
  const input: EnvironmentInput | undefined = fileExists ? readEnvironmentInput(readFileSync(inputs.environmentFile, 'utf8'), inputs.environmentFile) : undefined;
  const specs = inputs.createArgs.map((a) => {
    try {
      return MatchSpec.parse(a);
    } catch (e) {
      throw new InputError('create-args', (e as Error).message);
    }
  });
  const token = (c: string) => (inputs.authToken !== undefined ? withChannelToken(c, inputs.authHost!, inputs.authToken) : c);
  if (input?.kind === 'solve') input.channels = input.channels.map(token);
  const channels = inputs.channels.map(token);
  const fileYml = input?.kind === 'solve' && input.file.kind === 'environment-yml' ? input.file : undefined;
  const name = inputs.environmentName ?? fileYml?.name?.value ?? 'env';
  const prefix = resolve(inputs.prefix ?? join(env.HOME ?? temp, 'env-setup', 'envs', name));
  const variables = Object.fromEntries((fileYml?.variables ?? []).map((v) => [v.name, v.value]));
  let condarcPath = inputs.condarcFile;
  if (inputs.condarc !== undefined) {
    condarcPath = join(temp, 'condarc.yml');
    writeFileSync(condarcPath, inputs.condarc);
  }

  // the caches
  const namespace = inputs.cacheKey === undefined ? '' : `${inputs.cacheKey}-`;
  core.saveState(STATE_NAMESPACE, namespace);
  // our cache and artifact clients go through HTTP(S)_PROXY / NO_PROXY as @actions/http-client does; conda's CA
  // bundle variables are left out (they would replace node's roots for GitHub's hosts; NODE_EXTRA_CA_CERTS still applies)
  const dispatcher = (run.dispatcher = await createDispatcher(networkSettings({ env: { ...env, REQUESTS_CA_BUNDLE: undefined, CURL_CA_BUNDLE: undefined, SSL_CERT_FILE: undefined } })));
  const store = new ActionsCacheStore({
    dir: join(temp, 'cache'),
    write: inputs.cacheWrite,
    log,
    tracer,
    kinds: [...(inputs.cacheSpec ? (['spec'] as const) : []), ...(inputs.cacheEnvironment ? (['tarball'] as const) : []), 'other'],
    maxTarballSize: inputs.environmentCacheMaxSize,
    namespace,
    service: cacheServiceV2(env),
    dispatcher,
  });
  const recordKey =
    input?.kind === 'locked'
      ? undefined
      : runRecordKey(platform, environmentKey({ specs: [...(input?.specs ?? []), ...specs], channels: [...channels, ...(input?.channels ?? []).filter((c) => !channels.includes(c))], platform, channelPriority: inputs.channelPriority, condarcPath, env, pip: input?.pip, files: input?.files }).key);
  const previous = recordKey === undefined ? undefined : await readRunRecord(store, recordKey);
  const notes: string[] = [];
  const choice = preferPackageCache(previous);
  if (choice.reason !== undefined) notes.push(choice.yes ? `Installing from the package cache: ${choice.reason}.` : `Restoring the environment tarball: ${choice.reason}.`);
  const tarballs = !inputs.cacheEnvironment || inputs.environmentCacheMaxSize === 0 || choice.yes ? 'off' : inputs.postLinkScripts ? 'auto' : 'on';
  if (inputs.prewarm) notes.push('Prewarm: solved and installed afresh, caches saved for the jobs that follow.');

  const arch = env.RUNNER_ARCH ?? process.arch;
  const pkgs = await packageCacheDir(temp, isSelfHosted(env), arch);
  let packageCache = inputs.cachePackages ? (pkgs.persistent ? `tool cache ${pkgs.dir}` : 'not needed') : 'off';
  let pkgRestoreMs = 0;
  let pkgRestoredKey: string | undefined;
  const pkgKey = (specHash: string) => packageCacheKey(namespace, platform, specHash);

  let pipPartial = '';
  const outcome = await createEnvironment({
    prefix,
    platform,
    input,
    specs,
    channels,
    channelPriority: inputs.channelPriority,
    condarcPath,
    cacheDir: join(temp, 'channel-cache'),
    pkgsDir: pkgs.dir,
    // runners are ephemeral: the repodata cache is not kept, so no decompressed copy for warm runs
    env: { ...env, ENV_SETUP_REPODATA_COPY: env.ENV_SETUP_REPODATA_COPY ?? '0' },
    cache: { store, refresh: inputs.prewarm, specTtl: inputs.specTtl, tarballTtl: inputs.environmentTtl, tarballs, simple: inputs.simple },
    transaction: { history: { cmd: 'env-setup action', version: envSetupVersion(), updateSpecs: [] }, envVars: variables, runScripts: inputs.postLinkScripts },
    tracer,
    onRepodataProgress: (p) => log.onRepodataProgress(p),
    onInstallProgress: (e) => log.onInstallProgress(e),
    onEvent: (e) => log.onTransactionEvent(e),
    onPipStart: (command) => log.info(`pip: ${command}`),
    // whole lines only (output comes in arbitrary pieces); pip's output is debug, its failure is the error
    onPipOutput: (text) => {
      const lines = (pipPartial + text).split(/\r?\n/);
      pipPartial = lines.pop() ?? '';
      for (const line of lines) if (line !== '') log.debug(`pip: ${line}`);
    },
    beforeInstall: async ({ specHash }) => {
      if (!inputs.cachePackages || pkgs.persistent || store.down) return;
      const t0 = performance.now();
      pkgRestoredKey = await tracer.span('action.restore.packages', () => restorePackageCache(pkgs.dir, pkgKey(specHash), log));
      pkgRestoreMs = performance.now() - t0;
      packageCache = pkgRestoredKey === undefined ? 'miss' : pkgRestoredKey === pkgKey(specHash).key ? 'hit' : `partial (${pkgRestoredKey})`;
    },
  });
  if (pipPartial !== '') log.debug(`pip: ${pipPartial}`);
  if (!outcome.ok) {
    const where = fileExists ? { file: inputs.environmentFile } : {};
    core.error(`the environment cannot be solved:\n${outcome.failure.explanation.text}`, { title: 'env-setup: unsatisfiable environment', ...where });
    throw new ReportedError('the environment cannot be solved (see the explanation above)');
  }

  // the package cache, saved right away when this run downloaded packages
  const doc0 = tracer.toJSON();
  const downloads = doc0.counters['install.downloads'] ?? 0;
  if (outcome.transaction !== undefined && inputs.cachePackages) {
    if (pkgs.persistent) markToolCacheComplete(pkgs);
    else if (downloads > 0 && inputs.cacheWrite && !store.down && pkgRestoredKey !== pkgKey(outcome.specHash).key) {
      const saved = await tracer.span('action.save.packages', () => savePackageCache(pkgs.dir, pkgKey(outcome.specHash).key, log));
      packageCache = `${packageCache}${saved ? ', saved' : ', not saved'}`;
    }
  }
  for (const u of store.unsaved) if (u.reason !== 'this kind of entry is not cached') notes.push(`Not saved: ${u.key}: ${u.reason}.`);

  // activation and outputs
  if (inputs.activate && !inputs.prewarm) activate(prefix, name, variables);
  const timingsDir = join(runnerTemp(env), 'env-setup-timings');
  const cacheHit = outcome.path === 'tarball' ? 'environment' : outcome.spec.status === 'hit' || outcome.spec.status === 'stale' ? 'spec' : 'none';
  core.setOutput('environment-path', prefix);
  core.setOutput('cache-hit', cacheHit);
  core.setOutput('timings-path', timingsDir);

  // the run record, the timing export, the summary
  const tarballSize = outcome.tarball.key !== undefined && (outcome.tarball.saved || outcome.tarball.status === 'hit') ? store.knownSize(outcome.tarball.key) : undefined;
  const recordDoc = tracer.toJSON();
  if (recordKey !== undefined && inputs.cacheWrite) {
    await tracer.span('action.save.timings', () => writeRunRecord(store, recordKey, makeRunRecord(recordDoc, outcome.path, previous, { downloads, packageCacheRestoreMs: pkgRestoreMs, tarballSize })));
  }
  const specFile = writeSpecFileOutput(runnerTemp(env), outcome);
  core.setOutput('spec-file', specFile ?? '');
  core.saveState(STATE_UNSAVED, JSON.stringify(store.unsaved.filter((u) => u.retry)));
  const doc = tracer.toJSON();
  const files = writeTimingFiles(timingsDir, doc, { path: outcome.path, cacheHit, prefix, spec: outcome.spec, tarball: outcome.tarball, packageCache, notes });
  if (inputs.summary) await core.summary.addRaw(renderSummary({ outcome, doc, previous, notes, packageCache }), true).write();
  if (inputs.timingArtifact !== undefined) {
    const id = await uploadTimingArtifact(inputs.timingArtifact, timingsDir, files, log, env, dispatcher);
    if (id !== undefined) log.info(`timing artifact '${inputs.timingArtifact}' uploaded (id ${id})`);
  }
  for (const w of outcome.warnings) core.warning(w);
  for (const n of outcome.notices) core.notice(n);
  log.stages(doc);
  if (wantsPinSuggestions(outcome.stats?.pins ?? [], stageTimes(doc), outcome.packages.length)) log.pins(outcome.stats?.pins ?? []);
  log.info(`environment ready at ${prefix}: ${outcome.packages.length} packages, cache path ${outcome.path} (cache-hit: ${cacheHit}) in ${Math.round(doc.totalMs)} ms`);
}

/** The spec file of the environment (an @EXPLICIT list with hashes) for the `spec-file` output. */
function writeSpecFileOutput(temp: string, outcome: CreateOutcome): string | undefined {
  const path = join(temp, 'env-setup-spec-file.txt');
  const lines = ['# env-setup spec file', `# platform: ${outcome.packages[0]?.subdir ?? ''}`, '@EXPLICIT', ...outcome.packages.map((p) => stripCredentials(p.sha256 ? `${p.url}#sha256:${p.sha256}` : p.md5 ? `${p.url}#${p.md5}` : p.url))];
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

class ReportedError extends Error {}

/** Fails the step with a message a user can act on: file and line as an annotation, no stack trace. */
function report(e: unknown, log: ActionLog | undefined): void {
  if (e instanceof SpecError && e.file !== undefined) {
    core.error(e.message, { title: 'env-setup: invalid environment file', file: e.file, startLine: e.position?.line, startColumn: e.position?.column });
    core.setFailed(e.message);
  } else if (e instanceof InputError || e instanceof RunnerError || e instanceof ReportedError || e instanceof SpecError || e instanceof PipError) {
    core.setFailed(e.message);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    core.setFailed(`env-setup: ${message}`);
    if (e instanceof Error && e.stack) (log?.debug ?? core.debug)(e.stack);
  }
}
