// fetchPackages: makes every package of a solution present, extracted and intact in the package
// cache, and returns their folders — the first half of an install (linking into a prefix comes
// after, from these folders). For each package, in parallel:
//
//   1. an extracted folder already in the cache, naming the same archive and intact, is used as is;
//   2. otherwise, under the package's lock (so runs sharing the cache never step on each other):
//      look again (another run may just have made it), else take the archive from the cache if it
//      passes verification, else download it (streamed, hashed, resumed on retry; a mismatch deletes
//      it and downloads once more, then fails naming the package, expected and actual hash);
//   3. extract it into a temporary folder with info/repodata_record.json, renamed into place.
//
// Downloads and extractions each have their own bound (`concurrency`, `extractConcurrency`), so
// extraction of one package overlaps the download of the next. Every stage is a span of the tracer
// (`install.fetch` › `install.package` › `install.lock` / `install.download` / `install.verify` /
// `install.extract`); failures are InstallErrors (see errors.ts); the first one stops the others.

import { availableParallelism } from 'node:os';
import { appendFile, copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Dispatcher } from 'undici';
import { createDispatcher, type NetworkSettings } from '../channel/network.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../channel/retry.ts';
import { redactUrl, stripCredentials } from '../spec/url-credentials.ts';
import { Tracer } from '../timing/tracer.ts';
import { compactCacheIndex, recordCacheEntry } from './cache-index.ts';
import { downloadArchive } from './download.ts';
import { InstallError } from './errors.ts';
import type { PackageInfo } from './link-package-info.ts';
import { readPackageInfoCached } from './package-manifest-cache.ts';
import { fsBatchPool } from './fs-batch.ts';
import { writeStamp } from './package-stamp.ts';
import { extractPackageArchive, type ExtractLimits, type ExtractResult } from './extract-package.ts';
import { acquireLock, type LockOptions } from './package-lock.ts';
import { checkExtracted, exists, makeExtractionDir, moveIntoPlace, removeLeftovers, type CacheCheck, type ExtractedCheck } from './package-cache.ts';
import { PkgsDirLayout, resolvePkgsDir, type PackagePaths } from './pkgs-dir.ts';
import type { InstallProgress, PackageSource } from './progress.ts';
import { buildRepodataRecord, readIndexJson, writeRepodataRecord, type RepodataRecordJson } from './repodata-record.ts';
import { TaskPool } from './task-pool.ts';
import { checkedHash, hashesToCompute, hashFile, verifyProblem, type ArchiveFacts, type VerifyMode } from './verify.ts';

/**
 * A package to fetch: a repodata record (the solver's SolvedPackage, a PackageRecord, a lock-file
 * entry) with at least `url`. `fn` defaults to the URL's last segment. Every other field it has is
 * kept in info/repodata_record.json.
 */
export interface FetchRecord {
  url?: string | undefined;
  fn?: string | undefined;
  md5?: string | undefined;
  sha256?: string | undefined;
  size?: number | undefined;
  name?: string | undefined;
  version?: string | undefined;
  build?: string | undefined;
  channel?: string | undefined;
  subdir?: string | undefined;
}

export interface FetchPackagesOptions {
  /** The package cache; default from CONDA_PKGS_DIRS or the user's cache folder (see pkgs-dir.ts). */
  pkgsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** How downloads and cached archives are checked: 'sha256' (default), 'md5' or 'size'. */
  verify?: VerifyMode;
  /** Downloads at once. Default 8. */
  concurrency?: number;
  /** Extractions at once. Default: the number of CPUs, at least 2. */
  extractConcurrency?: number;
  /** The undici dispatcher to use (kept open); else one is made from `network` and closed at the end. */
  dispatcher?: Dispatcher;
  network?: NetworkSettings;
  retry?: RetryPolicy;
  /** Milliseconds to wait for response headers. Default 30 000. */
  headersTimeoutMs?: number;
  /** Milliseconds to wait between two chunks of a body. Default 60 000. */
  bodyTimeoutMs?: number;
  /** Use only the cache: a package that is not there is InstallError 'offline-miss'. */
  offline?: boolean;
  /** How a cached extracted folder is checked before reuse: 'paths' (default: every file of info/paths.json is there with its size) or 'record' (repodata_record.json only, as conda does). */
  cacheCheck?: CacheCheck;
  /**
   * With the 'paths' check, a cached folder whose stamp (package-stamp.ts) is valid is not looked
   * at file by file here: its result carries the stamp (`stamps`), and runTransaction compares each
   * file with it as it links the file — one lstat per file instead of two, as `cp -al` does. A file
   * that changed then fails the transaction with InstallError 'cache-changed' (the prefix restored);
   * the caller fetches again without this, which checks in full and extracts again what is damaged
   * (installPackages does). Default false.
   */
  checkWhileLinking?: boolean;
  /** Keep archives in the cache after extraction, as conda does. Default true. */
  keepArchives?: boolean;
  /** Zip-bomb limits per package (default: see extract-package.ts). */
  limits?: Partial<ExtractLimits>;
  /** Package lock settings (stale after, give up after). */
  lock?: Pick<LockOptions, 'staleMs' | 'timeoutMs'>;
  tracer?: Tracer;
  onProgress?: (event: InstallProgress) => void;
  signal?: AbortSignal;
}

export interface FetchedPackage {
  fn: string;
  /** `<name>-<version>-<build>`. */
  dist: string;
  /** The extracted package: `<pkgs>/<dist>`. */
  dir: string;
  /** The archive `<pkgs>/<fn>`, when it is kept. */
  archive: string | undefined;
  /** The content of `<dir>/info/repodata_record.json`. */
  record: RepodataRecordJson;
  source: PackageSource;
  /** Bytes downloaded for this package in this call. */
  downloadedBytes: number;
  /**
   * The package's manifest, when the cached folder was just checked file by file against it (the
   * 'paths' check): every file there with its type and size. runTransaction then links from it
   * without reading and checking the folder again.
   */
  checked?: PackageInfo | undefined;
  /**
   * With `checkWhileLinking`: `checked` was not looked at file by file; these are the [size,
   * mtimeMs, ino] its files (manifest order) were stamped with, for linking to compare them with.
   */
  stamps?: Float64Array | undefined;
}

interface Job {
  record: Readonly<FetchRecord>;
  url: string;
  displayUrl: string;
  paths: PackagePaths;
}

interface Context {
  layout: PkgsDirLayout;
  verify: VerifyMode;
  cacheCheck: CacheCheck;
  checkWhileLinking: boolean;
  keepArchives: boolean;
  offline: boolean;
  limits: Partial<ExtractLimits> | undefined;
  retry: RetryPolicy;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  lock: FetchPackagesOptions['lock'];
  downloads: TaskPool;
  extractions: TaskPool;
  /** The dispatcher, made (once) when the first download needs it. */
  dispatcher: () => Promise<Dispatcher>;
  tracer: Tracer;
  progress: (event: InstallProgress) => void;
  signal: AbortSignal;
}

/** Makes every record's package present and extracted in the package cache; results in the order of `records`. */
export async function fetchPackages(records: readonly Readonly<FetchRecord>[], options: FetchPackagesOptions = {}): Promise<FetchedPackage[]> {
  const tracer = options.tracer ?? Tracer.disabled();
  const layout = new PkgsDirLayout(resolvePkgsDir({ pkgsDir: options.pkgsDir, env: options.env }));
  const jobs = records.map((r) => toJob(r, layout));
  // the file-system workers check cached folders (and link afterwards): started now, they are ready by then
  if (jobs.length > 0) fsBatchPool().warm();
  const unique = uniqueJobs(jobs);
  await prepareCacheDir(layout);

  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort(options.signal?.reason);
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let dispatcher: Promise<Dispatcher> | undefined = options.dispatcher === undefined ? undefined : Promise.resolve(options.dispatcher);
  let ownDispatcher = false;
  const ctx: Context = {
    layout,
    verify: options.verify ?? 'sha256',
    cacheCheck: options.cacheCheck ?? 'paths',
    checkWhileLinking: options.checkWhileLinking ?? false,
    keepArchives: options.keepArchives ?? true,
    offline: options.offline ?? false,
    limits: options.limits,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 60_000,
    lock: options.lock,
    downloads: new TaskPool(options.concurrency ?? 8),
    extractions: new TaskPool(options.extractConcurrency ?? Math.max(2, availableParallelism())),
    dispatcher: () => {
      if (!dispatcher) {
        dispatcher = createDispatcher(options.network);
        ownDispatcher = true;
      }
      return dispatcher;
    },
    tracer,
    progress: options.onProgress ?? (() => undefined),
    signal: abort.signal,
  };

  try {
    return await tracer.span(
      'install.fetch',
      async (span) => {
        const quick = await lookAll(unique, ctx);
        const toFetch = unique.filter((_, i) => !quick[i]!.ok);
        const downloadBytes = toFetch.reduce((sum, j) => sum + (j.record.size ?? 0), 0);
        ctx.progress({ type: 'plan', packages: unique.length, cached: unique.length - toFetch.length, toDownload: toFetch.length, downloadBytes });
        span.addAttributes({ packages: unique.length, cached: unique.length - toFetch.length, verify: ctx.verify });

        let firstError: unknown;
        const settled = await Promise.allSettled(
          unique.map((job, i) =>
            fetchOne(job, quick[i]!, ctx).catch((error: unknown) => {
              if (firstError === undefined) {
                firstError = error;
                abort.abort(error);
              }
              throw error;
            }),
          ),
        );
        if (firstError !== undefined) throw firstError;
        const byDist = new Map<string, FetchedPackage>();
        for (const s of settled) if (s.status === 'fulfilled') byDist.set(s.value.dist, s.value);
        const downloaded = [...byDist.values()].filter((p) => p.source === 'download');
        const downloadedBytes = downloaded.reduce((sum, p) => sum + p.downloadedBytes, 0);
        span.addAttributes({ downloaded: downloaded.length, bytes: downloadedBytes });
        ctx.progress({ type: 'finish', packages: unique.length, downloaded: downloaded.length, downloadedBytes });
        await compactCacheIndex(layout.root).catch(() => false);
        return jobs.map((j) => byDist.get(j.paths.dist)!);
      },
      { pkgs_dir: layout.root },
    );
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (ownDispatcher) await dispatcher?.then((d) => d.close()).catch(() => undefined);
  }
}

function toJob(record: Readonly<FetchRecord>, layout: PkgsDirLayout): Job {
  const url = record.url;
  const label = record.fn ?? (record.name ? `${record.name}-${record.version ?? '?'}-${record.build ?? '?'}` : 'a record');
  if (typeof url !== 'string' || url === '') throw new InstallError('bad-record', `${label} has no URL to download it from`, { package: record.fn });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InstallError('bad-record', `${label}: "${redactUrl(url)}" is not a URL`, { package: record.fn });
  }
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) {
    throw new InstallError('bad-record', `${label}: cannot download from ${parsed.protocol} URLs (${redactUrl(url)})`, { package: record.fn });
  }
  const fn = record.fn ?? decodeURIComponent(basename(parsed.pathname));
  const paths = layout.package(fn);
  if (!paths) throw new InstallError('bad-record', `${label}: "${fn}" is not a conda package file name (<name>-<version>-<build>.conda or .tar.bz2)`, { package: fn });
  return { record, url, displayUrl: redactUrl(url), paths };
}

/** One job per extracted folder; two records for one folder must name the same archive. */
function uniqueJobs(jobs: Job[]): Job[] {
  const byDist = new Map<string, Job>();
  for (const job of jobs) {
    const seen = byDist.get(job.paths.dist);
    if (!seen) {
      byDist.set(job.paths.dist, job);
      continue;
    }
    const differ =
      seen.paths.fn !== job.paths.fn ||
      (seen.record.sha256 && job.record.sha256 && seen.record.sha256.toLowerCase() !== job.record.sha256.toLowerCase()) ||
      (seen.record.md5 && job.record.md5 && seen.record.md5.toLowerCase() !== job.record.md5.toLowerCase());
    if (differ) {
      throw new InstallError('bad-record', `two different packages would be extracted to ${job.paths.dist}: ${seen.displayUrl} and ${job.displayUrl}`, { package: job.paths.fn });
    }
  }
  return [...byDist.values()];
}

async function prepareCacheDir(layout: PkgsDirLayout): Promise<void> {
  try {
    await mkdir(layout.own, { recursive: true });
    // conda's marker of a writable package cache
    await writeFile(layout.urlsTxt, '', { flag: 'a' });
  } catch (error) {
    throw new InstallError('cache', `the package cache ${layout.root} cannot be used: ${(error as Error).message} (set CONDA_PKGS_DIRS or pass another folder)`, {
      file: layout.root,
      cause: error,
    });
  }
}

/** The no-lock first look at every package's extracted folder. */
async function lookAll(jobs: Job[], ctx: Context): Promise<ExtractedCheck[]> {
  const pool = new TaskPool(16);
  return ctx.tracer.span('install.plan', () => Promise.all(jobs.map((job) => pool.run(() => checkExtracted(job.paths, wanted(job), ctx.cacheCheck, ctx.checkWhileLinking)))));
}

function wanted(job: Job): { url: string; sha256?: string | undefined; md5?: string | undefined } {
  return { url: job.url, sha256: job.record.sha256, md5: job.record.md5 };
}

function fetchOne(job: Job, quick: ExtractedCheck, ctx: Context): Promise<FetchedPackage> {
  const { paths } = job;
  return ctx.tracer.span(
    'install.package',
    async (span) => {
      const ready = (record: RepodataRecordJson, source: PackageSource, downloadedBytes: number, checked?: PackageInfo, stamps?: Float64Array): FetchedPackage => {
        span.addAttributes({ source, bytes: downloadedBytes });
        ctx.tracer.counter(source === 'extracted-cache' ? 'install.cache.hits' : source === 'archive-cache' ? 'install.cache.archives' : 'install.downloads');
        ctx.progress({ type: 'ready', fn: paths.fn, source });
        const archive = ctx.keepArchives && source !== 'extracted-cache' ? paths.archive : undefined;
        const out: FetchedPackage = { fn: paths.fn, dist: paths.dist, dir: paths.extracted, archive, record, source, downloadedBytes };
        if (checked !== undefined) out.checked = checked;
        if (checked !== undefined && stamps !== undefined) out.stamps = stamps;
        return out;
      };
      if (quick.ok) return ready(quick.record, 'extracted-cache', 0, quick.info, quick.stamps);

      const lock = await ctx.tracer.span('install.lock', async (lockSpan) => {
        const held = await acquireLock(paths.lock, {
          ...ctx.lock,
          what: paths.fn,
          signal: ctx.signal,
          onWait: () => ctx.progress({ type: 'waiting', fn: paths.fn }),
        });
        lockSpan.setAttribute('waited_ms', held.waitedMs);
        return held;
      });
      try {
        const again = await checkExtracted(paths, wanted(job), ctx.cacheCheck, ctx.checkWhileLinking);
        if (again.ok) return ready(again.record, 'extracted-cache', 0, again.info, again.stamps);
        await removeLeftovers(ctx.layout, paths);

        let facts = (await exists(paths.archive)) ? await verifyCachedArchive(job, ctx) : undefined;
        let source: PackageSource = facts ? 'archive-cache' : 'download';
        let downloadedBytes = 0;
        if (!facts) {
          const got = await downloadVerified(job, ctx);
          facts = got.facts;
          downloadedBytes = got.networkBytes;
        }
        let record: RepodataRecordJson;
        let checked: PackageInfo | undefined;
        try {
          ({ record, checked } = await extractInto(job, facts, ctx));
        } catch (error) {
          // An archive from the cache that verified (or could only be size-checked) but does not
          // extract is replaced once by a fresh download.
          const damaged = error instanceof InstallError && (error.kind === 'corrupt' || error.kind === 'truncated');
          if (source !== 'archive-cache' || !damaged || ctx.offline) throw error;
          await rm(paths.archive, { force: true });
          const got = await downloadVerified(job, ctx);
          facts = got.facts;
          downloadedBytes = got.networkBytes;
          source = 'download';
          ({ record, checked } = await extractInto(job, facts, ctx));
        }
        if (!ctx.keepArchives) await rm(paths.archive, { force: true });
        await recordCacheEntry(ctx.layout.root, {
          dist: paths.dist,
          fn: paths.fn,
          url: typeof record.url === 'string' ? record.url : undefined,
          sha256: typeof record.sha256 === 'string' ? record.sha256 : undefined,
          md5: typeof record.md5 === 'string' ? record.md5 : undefined,
          size: facts.size,
          archive: ctx.keepArchives,
          extracted: true,
        }).catch(() => undefined);
        return ready(record, source, downloadedBytes, checked);
      } finally {
        await lock.release();
      }
    },
    { package: paths.fn },
  );
}

/** Verifies the archive already in the cache; a failing one is deleted (undefined is returned). */
async function verifyCachedArchive(job: Job, ctx: Context): Promise<ArchiveFacts | undefined> {
  const { paths, record } = job;
  return ctx.tracer.span(
    'install.verify',
    async (span) => {
      const facts = await hashFile(paths.archive, hashesToCompute(ctx.verify, record), ctx.signal);
      const problem = verifyProblem(ctx.verify, record, facts);
      span.addAttributes({ ok: problem === undefined, bytes: facts.size });
      if (!problem) return facts;
      await rm(paths.archive, { force: true });
      return undefined;
    },
    { package: paths.fn, source: 'cache', mode: ctx.verify, algorithm: checkedHash(ctx.verify, record) ?? 'size' },
  );
}

/** Downloads and verifies the archive; a mismatch deletes it and downloads once more from scratch, then fails. */
async function downloadVerified(job: Job, ctx: Context): Promise<{ facts: ArchiveFacts; networkBytes: number }> {
  const { paths, record } = job;
  if (ctx.offline) {
    throw new InstallError('offline-miss', `${paths.fn} is not in the package cache ${ctx.layout.root}, and this run is offline`, { package: paths.fn, url: job.displayUrl });
  }
  await mkdir(ctx.layout.partialDir, { recursive: true });
  let networkBytes = 0;
  for (let round = 1; ; round++) {
    let facts: ArchiveFacts;
    try {
      const result = await ctx.downloads.run(() =>
        ctx.tracer.span(
          'install.download',
          async (span) => {
            ctx.progress({ type: 'download-start', fn: paths.fn, total: record.size });
            const r = await fetchArchive(job, ctx, round === 1);
            span.addAttributes({ bytes: r.networkBytes, size: r.size, attempts: r.attempts, resumed_bytes: r.resumedBytes });
            ctx.tracer.counter('install.download.bytes', r.networkBytes);
            ctx.progress({ type: 'download-done', fn: paths.fn, bytes: r.size });
            return r;
          },
          { package: paths.fn, url: job.displayUrl, round },
        ),
      );
      networkBytes += result.networkBytes;
      facts = result;
    } catch (error) {
      if (!(error instanceof InstallError && error.kind === 'size' && round === 1)) throw error;
      await discardPartial(paths);
      ctx.progress({ type: 'download-retry', fn: paths.fn, attempt: 2, reason: error.message });
      continue;
    }
    const problem = ctx.tracer.span('install.verify', () => verifyProblem(ctx.verify, record, facts), {
      package: paths.fn,
      source: 'download',
      mode: ctx.verify,
      algorithm: checkedHash(ctx.verify, record) ?? 'size',
    });
    if (!problem) {
      await rename(paths.partial, paths.archive);
      await rm(paths.partialMeta, { force: true });
      await appendFile(ctx.layout.urlsTxt, `${stripCredentials(job.url)}\n`).catch(() => undefined);
      return { facts, networkBytes };
    }
    await discardPartial(paths);
    if (round >= 2) {
      const what = problem.kind === 'size' ? 'size' : `${problem.algorithm}`;
      throw new InstallError(
        problem.kind,
        `${paths.fn}: ${what} mismatch: expected ${problem.expected}, got ${problem.actual} (downloaded twice from ${job.displayUrl}; the file was deleted)`,
        { package: paths.fn, url: job.displayUrl, expected: problem.expected, actual: problem.actual },
      );
    }
    ctx.progress({ type: 'download-retry', fn: paths.fn, attempt: 2, reason: `${problem.algorithm ?? 'size'} mismatch` });
  }
}

async function discardPartial(paths: PackagePaths): Promise<void> {
  await rm(paths.partial, { force: true });
  await rm(paths.partialMeta, { force: true });
}

/** One download (http/https through undici, or a copy for file:// URLs), refusing more bytes than the record's size. */
async function fetchArchive(job: Job, ctx: Context, resume: boolean): Promise<ArchiveFacts & { attempts: number; resumedBytes: number; networkBytes: number }> {
  const { paths, record } = job;
  const hashes = hashesToCompute(ctx.verify, record);
  const onBytes = (bytes: number, total: number | undefined): void => {
    if (record.size !== undefined && bytes > record.size) {
      throw new InstallError('size', `${paths.fn}: the download is larger than the ${record.size} bytes of its record`, {
        package: paths.fn,
        url: job.displayUrl,
        expected: `${record.size} bytes`,
        actual: `more than ${record.size} bytes`,
      });
    }
    ctx.progress({ type: 'download-progress', fn: paths.fn, bytes, total: total ?? record.size });
  };
  if (job.url.startsWith('file:')) {
    const source = new URL(job.url);
    try {
      await copyFile(source, paths.partial);
    } catch (error) {
      throw new InstallError('http', `${paths.fn}: cannot read ${job.displayUrl}: ${(error as Error).message}`, { package: paths.fn, url: job.displayUrl, cause: error });
    }
    const facts = await hashFile(paths.partial, hashes, ctx.signal);
    onBytes(facts.size, facts.size);
    return { ...facts, attempts: 1, resumedBytes: 0, networkBytes: 0 };
  }
  return downloadArchive({
    url: job.url,
    displayUrl: job.displayUrl,
    dest: paths.partial,
    metaPath: paths.partialMeta,
    what: paths.fn,
    dispatcher: await ctx.dispatcher(),
    retry: ctx.retry,
    headersTimeoutMs: ctx.headersTimeoutMs,
    bodyTimeoutMs: ctx.bodyTimeoutMs,
    hashes,
    resume,
    expectedSize: record.size,
    onBytes,
    onRetry: (attempt, reason) => ctx.progress({ type: 'download-retry', fn: paths.fn, attempt, reason }),
    signal: ctx.signal,
  });
}

/**
 * Extracts the verified archive into a temporary folder, writes repodata_record.json, moves it into
 * place. Also returns the package's manifest when every path of it is there with its type (the
 * extraction knows what it wrote), so the transaction need not look at the files again.
 */
async function extractInto(job: Job, facts: ArchiveFacts, ctx: Context): Promise<{ record: RepodataRecordJson; checked: PackageInfo | undefined }> {
  const { paths } = job;
  return ctx.extractions.run(() =>
    ctx.tracer.span(
      'install.extract',
      async (span) => {
        ctx.progress({ type: 'extract-start', fn: paths.fn });
        const tmp = await makeExtractionDir(ctx.layout, paths);
        try {
          // bytes just checked against the record's sha256 or md5 need no zip CRC-32 on top
          const hashVerified = checkedHash(ctx.verify, job.record) !== undefined;
          const result = await extractPackageArchive(paths.archive, paths.format, tmp, { what: paths.fn, limits: ctx.limits, hashVerified });
          const indexJson = await readIndexJson(tmp);
          if (!indexJson) throw new InstallError('corrupt', `${paths.fn} has no readable info/index.json; it is not a conda package`, { package: paths.fn, file: 'info/index.json' });
          const record = buildRepodataRecord(job.record as Readonly<Record<string, unknown>>, indexJson, {
            fn: paths.fn,
            url: job.url,
            md5: facts.md5,
            sha256: facts.sha256,
            size: facts.size,
          });
          await writeRepodataRecord(tmp, record);
          const checked = await manifestAsExtracted(tmp, paths, result, hashVerified);
          await moveIntoPlace(ctx.layout, paths, tmp);
          span.addAttributes({ files: result.files, bytes: result.bytes, format: result.format });
          ctx.tracer.counter('install.extract.files', result.files);
          ctx.tracer.counter('install.extract.bytes', result.bytes);
          ctx.progress({ type: 'extract-done', fn: paths.fn, files: result.files, bytes: result.bytes });
          return { record, checked };
        } catch (error) {
          await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
          throw error;
        }
      },
      { package: paths.fn },
    ),
  );
}

/**
 * The package's manifest (info/paths.json) if the extraction wrote every path of it with the type it
 * says; else undefined (linking then looks, and names what is wrong). Stamps the folder when its
 * content is a hash-verified archive's, so reusing it later needs no hashing.
 */
async function manifestAsExtracted(tmp: string, paths: PackagePaths, result: ExtractResult, hashVerified: boolean): Promise<PackageInfo | undefined> {
  let info: PackageInfo | undefined;
  try {
    info = await readPackageInfoCached(tmp, paths.fn);
  } catch {
    return undefined;
  }
  if (info === undefined) return undefined;
  // only an archive checked by its hash vouches for the content (with `verify: size`, the next
  // reuse hashes every file instead); a stamp that cannot be written only costs that hashing
  if (hashVerified) await writeStamp(fsBatchPool(), tmp, info.paths).catch(() => undefined);
  const want = { hardlink: 'file', softlink: 'link' } as const;
  const manifest = info.paths;
  for (let i = 0; i < manifest.length; i++) {
    const type = manifest.type(i);
    if (type !== 'directory' && result.kindOf(manifest.path(i)) !== want[type]) return undefined;
  }
  info.dir = paths.extracted;
  return info;
}
