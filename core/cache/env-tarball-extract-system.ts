// Extracts an environment tarball with the system's programs — `zstd -dc | tar -x` (GNU tar), the
// two joined by a pipe this process never reads (a file: `tar -x -I zstd -f FILE`, tar's own pipe;
// bytes that arrive: written into zstd's input) — into an empty folder, with the same rules and the
// same result as the in-process extractor (env-tarball-extract.ts). Chosen by
// env-tarball-system-tools.ts; about twice as fast, because node's zstd is half as fast as the
// program's (bench/RESULTS.md).
//
// Safety, in three layers:
//   GNU tar's defaults   no member outside the folder: names with `..` are refused, a leading `/`
//                        is removed (with a warning); a symbolic link whose target is absolute or
//                        has `..` stays an empty placeholder file until the end, so nothing is
//                        written through it; files are created anew (never written through a hard
//                        link); owners are not restored (`--no-same-owner`)
//   tar's listing (-vv)  every member's type, mode, size, name and link target, in order, as it
//                        starts (env-tarball-listing.ts; tar writes it to a deleted file, read
//                        every 20 ms): each name must be clean (path-safety.ts) and appear once, the
//                        manifest must come first and conda-meta before the files; only files,
//                        folders and links are allowed, each link's target must stay inside, no
//                        member may lie under a link or a file of the archive, nor replace a
//                        folder; more members or more bytes than the manifest declares (tar is
//                        stopped before it writes the member past them), a word from tar on
//                        stderr, or a non-zero exit fails the restore
//   after tar            before anything else touches the tree (links tar made real at its end):
//                        no link may lead outside through the other links (path-safety.ts's
//                        LinkTree, on the listed targets); folders listed without their owner's
//                        write access get it, the root gets its mode back
// The listing says everything tar made (the folders it adds are listed too), so the tree is not
// walked again (a walk of 24,600 entries was 80-110 ms of a 0.9 s restore: bench/RESULTS.md,
// session 18). Anything wrong fails the restore ('unsafe-path', 'corrupt', 'format'); the folder is
// the caller's to remove, nothing outside it was written. While tar runs, only the manifest and the
// records are read, each as a regular file (no link followed, no FIFO waited on, a size limit).
// What the in-process extractor finds at once and this one a little later: a bad member shows when
// tar's listing does (at the next read of it).
//
// The scan (when asked) hashes the files conda-meta lists that the listing has as regular files,
// from the page cache, never reading more than the record's size (or the manifest's byte count): a
// sparse file of terabytes is not read through. While tar runs, a background worker (the lowest
// priority, Linux: fs-batch.ts) hashes the files tar has finished — a member is complete once tar
// names the next one — on the CPU zstd and tar leave (together they keep about 1.4 of two CPUs
// busy); hashing at normal priority then slowed tar more than it saved (bench/RESULTS.md, sessions
// 16 and 23). A file it reads lies under folders the listing has as folders (a link there fails the
// restore before any batch after it is handed out), is opened without following a link, and no
// link tar has made yet can lead outside (GNU tar makes an absolute or `..` target a placeholder
// file until its end). The rest is hashed after tar by that worker and this thread, batch by batch
// (no other worker is started: each start costs about 100 ms of CPU, taken from tar); where there is
// no background worker, by one worker per CPU, started while tar runs.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, closeSync, openSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunInBackground, FsBatchPool, hashingPool } from '../install/fs-batch.ts';
import { STATE_DIR } from '../install/link-journal.ts';
import { LinkTree, normalizeEntryName, symlinkTargetProblem } from '../install/path-safety.ts';
import { damagedTarball, EnvTarballError, unopenableTarball, unreadableTarball } from './env-tarball-errors.ts';
import { StreamScan, type ExtractEnvironmentOptions, type ExtractEnvironmentResult } from './env-tarball-stream-scan.ts';
import { MANIFEST_MEMBER, parseManifest, type EnvTarballManifest } from './env-tarball-format.ts';
import { createdDirectory, LISTING_ENV, LISTING_OPTIONS, LISTING_POLL_MS, ListingFile, parseListingLine } from './env-tarball-listing.ts';
import { expectedFiles, readRecordFiles, readRegularFile, type ExpectedFile, type PrefixRecordFile } from './env-tarball-scan.ts';
import { toolsLabel, type SystemTools } from './env-tarball-system-tools.ts';

const MANIFEST_LIMIT = 1 << 20;
const STDERR_LIMIT = 16 * 1024;

type FileType = 'file' | 'softlink' | 'dir';

/**
 * tar's record size, in 512-byte blocks (`-b`): 256 KiB reads from the pipe instead of the default
 * 10 KiB. tar reads its standard input record by record whatever the archive was written with
 * (short reads are reblocked), so only the number of read calls changes: a 380 MB environment
 * restored in 0.70 s instead of 0.95 s, with a fifth less CPU (bench/RESULTS.md, session 17).
 */
const BLOCKING_FACTOR = 512;

/** tar's options after `-x` (and `-I zstd`), before the archive. */
const TAR_OPTIONS = [...LISTING_OPTIONS, '-p', '-b', String(BLOCKING_FACTOR), '--no-same-owner', '--warning=no-timestamp'];

/** Member types (the first letter of the listing's mode) an environment may hold: file, hard link, symbolic link, folder. */
const LISTED_TYPES = new Set(['-', 'h', 'l', 'd']);

/** Files per hashing batch. */
const HASH_BATCH = 128;

/** Batches run on this thread (one per turn of the event loop). */
const thisThread = new FsBatchPool(0);

let sharedBackgroundPool: FsBatchPool | null | undefined;

/** The worker hashing while tar runs, at the lowest priority; none where a thread cannot be given one (see canRunInBackground). */
function backgroundHashPool(): FsBatchPool | undefined {
  sharedBackgroundPool ??= canRunInBackground() ? new FsBatchPool(1, { background: true }) : null;
  return sharedBackgroundPool ?? undefined;
}

/** Batches the background worker holds at once: one running, one waiting (the rest stay here, for whoever is free first). */
const BACKGROUND_IN_FLIGHT = 2;

/** Extracts `options.archive` into `options.root` with `tools` (see the header). */
export async function extractWithSystemTools(options: ExtractEnvironmentOptions, tools: SystemTools): Promise<ExtractEnvironmentResult> {
  const source = options.archive;
  const archive = typeof source === 'string' ? source : source.name;
  options.signal?.throwIfAborted();
  const root = options.root;
  const rootMode = statSync(root).mode & 0o7777;
  const env = { ...process.env, ...LISTING_ENV };
  // a file is read by tar's own zstd (`-I`), the two joined by a pipe tar makes; bytes that arrive
  // are written into a zstd of our own, joined to tar by what node makes for a child's output (a
  // socket pair, which costs tar more than a pipe: bench/RESULTS.md, session 17)
  if (typeof source === 'string') {
    try {
      closeSync(openSync(source, 'r'));
    } catch (error) {
      throw unopenableTarball(archive, error as NodeJS.ErrnoException);
    }
  }
  let listing: ListingFile;
  try {
    listing = new ListingFile();
  } catch (error) {
    throw new EnvTarballError('io', `cannot restore ${archive}: no file for tar's listing in ${tmpdir()} (${(error as Error).message})`, { cause: error });
  }
  let zstd: ChildProcess | undefined;
  let tar: ChildProcess;
  try {
    if (typeof source === 'string') {
      // --force-local: a colon in the path does not name a remote host
      tar = spawn(tools.tar, ['-x', '-I', tools.zstd, ...TAR_OPTIONS, '--force-local', '-f', source, '-C', root], { stdio: ['ignore', listing.write, 'pipe'], env });
    } else {
      zstd = spawn(tools.zstd, ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'], env });
      tar = spawn(tools.tar, ['-x', ...TAR_OPTIONS, '-f', '-', '-C', root], { stdio: [zstd.stdout!, listing.write, 'pipe'], env });
      // the pipe is theirs: this process keeps no end of it open (a tar that dies stops zstd)
      zstd.stdout!.destroy();
    }
  } catch (error) {
    zstd?.kill('SIGKILL');
    listing.close();
    throw new EnvTarballError('io', `cannot restore ${archive}: ${toolsLabel(tools)} could not be started (${(error as Error).message})`, { cause: error });
  } finally {
    closeSync(listing.write);
  }
  const zstdErr = zstd === undefined ? Promise.resolve('') : collect(zstd);
  const tarErr = collect(tar);
  const exits = Promise.all([zstd === undefined ? Promise.resolve([0, null] as const) : exitOf(zstd), exitOf(tar)]);

  let failure: EnvTarballError | Error | undefined;
  let sourceFailure: Error | undefined;
  const stop = (error: EnvTarballError | Error) => {
    failure ??= error;
    zstd?.kill('SIGKILL');
    tar.kill('SIGKILL');
    if (typeof source !== 'string') source.cancel?.();
  };
  const onAbort = () => stop(options.signal!.reason instanceof Error ? options.signal!.reason : new Error('the restore was cancelled'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const corrupt = (entry: string | undefined, problem: string): EnvTarballError => damagedTarball(archive, entry, problem);
  const unsafe = (entry: string, problem: string): EnvTarballError => new EnvTarballError('unsafe-path', `the environment tarball ${archive}: ${entry} ${problem}; it will not be used`, { file: entry });

  // the listing, line by line
  let manifest: EnvTarballManifest | undefined;
  let members = 0;
  let inCondaMeta = true;
  let previous: string | undefined;
  const names = new Set<string>();
  const background = options.scan ? backgroundHashPool() : undefined;
  // the hashing workers start while tar runs (they take tens of milliseconds); with a background
  // worker, it and this thread are all (each worker's start costs about 100 ms of CPU, taken from tar)
  const pool = background ?? hashingPool();
  if (options.scan) pool.warm();
  let records: PrefixRecordFile[] | undefined;
  // the scan's hashing while tar runs: the files tar has finished (a member is complete when tar
  // names the next one) that the records list, hashed by the background worker
  let expected: Map<string, ExpectedFile> | undefined;
  /** The member tar is writing now. */
  let current: string | undefined;
  const ready: string[] = [];
  /** Files handed to the background worker. */
  const sent = new Set<string>();
  const hashed = new Map<string, { size: number; sha256: string | null }>();
  const backgroundBatches: Promise<string[]>[] = [];
  let backgroundBusy = 0;
  let tarDone = false;
  const limitOf = (want: ExpectedFile) => want.size ?? manifest!.bytes;
  const hashBatch = (by: FsBatchPool, part: string[]) =>
    by.contents(root, part, Float64Array.from(part, (p) => limitOf(expected!.get(p)!))).then(({ digests, sizes }) => {
      part.forEach((p, i) => hashed.set(p, { size: sizes[i]!, sha256: digests[i] ?? null }));
    });
  const finished = (path: string) => {
    const want = expected?.get(path);
    if (want?.sha256 !== undefined && types.get(path) === 'file') ready.push(path);
  };
  const feedBackground = () => {
    while (background !== undefined && !tarDone && failure === undefined && backgroundBusy < BACKGROUND_IN_FLIGHT && ready.length >= HASH_BATCH) {
      const part = ready.splice(0, HASH_BATCH);
      for (const p of part) sent.add(p);
      backgroundBusy++;
      // a batch the worker could not run is hashed again after tar (its paths are answered)
      backgroundBatches.push(
        hashBatch(background, part).then(
          () => [],
          () => part,
        ).finally(() => {
          backgroundBusy--;
          feedBackground();
        }),
      );
    }
  };
  let bytes = 0;
  // what tar made, from its listing: the type of every path, the links' targets, and the folders
  // whose listed mode leaves their owner without write access (made writable after tar)
  const types = new Map<string, FileType>();
  const linkTargets = new Map<string, string>();
  const lockedFolders: [string, number][] = [];
  /** The first hard link to nothing tar made. */
  let unlinked: string | undefined;
  /**
   * The folders a member lies in are folders (tar makes the missing ones): not links, not files. A
   * folder already known was checked so when it came, and stays a folder (a member replacing it is
   * refused), so its parent's word is enough.
   */
  const placeUnder = (path: string) => {
    const slash = path.lastIndexOf('/');
    if (slash < 0 || types.get(path.slice(0, slash)) === 'dir') return;
    for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
      const folder = path.slice(0, i);
      const type = types.get(folder);
      if (type === undefined) types.set(folder, 'dir');
      else if (type === 'softlink') throw unsafe(path, `was written through the symbolic link ${folder}`);
      else if (type === 'file') throw corrupt(path, `lies under the file ${folder}`);
    }
  };
  const onLine = (line: string) => {
    // (a folder tar makes for a member whose folder is not in the archive: already in `types`)
    if (createdDirectory(line) !== undefined) return;
    const listed = parseListingLine(line);
    if (listed === undefined) throw unsafe(line, 'is a line of tar\'s listing env-setup cannot read back');
    const raw = listed.name.length > 1 && listed.name.endsWith('/') ? listed.name.slice(0, -1) : listed.name;
    if (manifest === undefined) {
      if (members === 0 && previous === undefined) {
        if (raw !== MANIFEST_MEMBER) throw new EnvTarballError('format', `${archive} is not an env-setup environment tarball (its first member is ${raw}, not ${MANIFEST_MEMBER})`, { file: raw });
        previous = raw;
        return;
      }
      // the manifest is complete once tar names the next member
      manifest = readManifest(root, archive);
    }
    const name = normalizeEntryName(raw);
    if (!name.ok) throw unsafe(raw, name.reason);
    const path = name.path;
    if (++members > manifest.entries) throw corrupt(path, `is one more than the ${manifest.entries} members its manifest declares`);
    if (names.has(path)) throw corrupt(path, 'appears twice');
    names.add(path);
    previous = path;
    // tar names a member as it starts it: one past the declared bytes is stopped before it fills the disk
    if (listed.type === '-' && (bytes += listed.size) > manifest.bytes) throw corrupt(path, `takes the content past the ${manifest.bytes} bytes its manifest declares`);
    if (!LISTED_TYPES.has(listed.type)) throw unsafe(path, 'is not a file, folder or link (a device, FIFO or socket); an environment holds only files, folders and links');
    if (path === '') return;
    placeUnder(path);
    if (listed.type !== 'd' && types.get(path) === 'dir') throw corrupt(path, 'replaces a folder of the same name');
    if (listed.type === '-') types.set(path, 'file');
    else if (listed.type === 'd') {
      types.set(path, 'dir');
      if ((listed.mode & 0o700) !== 0o700) lockedFolders.push([path, listed.mode]);
    } else if (listed.type === 'l') {
      const target = listed.target ?? '';
      const problem = symlinkTargetProblem(path, target);
      if (problem) throw unsafe(path, problem.replace('outside the package', 'outside the environment'));
      types.set(path, 'softlink');
      linkTargets.set(path, target);
    } else {
      // a hard link: what it links to, as tar made it (a link to a symbolic link is one too)
      const target = normalizeEntryName(listed.target ?? '');
      const to = target.ok ? target.path : undefined;
      const type = to === undefined ? undefined : types.get(to);
      if (type === 'dir') throw corrupt(path, `is a hard link to the folder ${listed.target}`);
      // to nothing tar made: tar fails it, and its words say whether the target was outside
      if (type === undefined) unlinked ??= path;
      else {
        types.set(path, type);
        if (type === 'softlink') linkTargets.set(path, linkTargets.get(to!)!);
      }
    }
    const condaMeta = path === 'conda-meta' || path.startsWith('conda-meta/');
    if (inCondaMeta && !condaMeta) {
      inCondaMeta = false;
      // every conda-meta member before this one is complete: the records are read while tar goes on
      if (options.scan) {
        records = recordsIn(root);
        expected = expectedFiles(records);
      }
    } else if (!inCondaMeta && condaMeta) throw corrupt(path, 'comes after the files of the environment, where conda-meta comes first');
    // the member before this one is complete
    if (current !== undefined) finished(current);
    current = path;
  };
  const readListing = (end = false) => {
    if (failure !== undefined) return;
    try {
      listing.read(onLine, end);
    } catch (error) {
      stop(error as Error);
    }
    feedBackground();
  };
  const polling = setInterval(readListing, LISTING_POLL_MS);

  // the compressed bytes, when they arrive from elsewhere
  const feeding = typeof source === 'string' || zstd === undefined ? Promise.resolve() : feed(source.chunks, zstd).catch((error: unknown) => {
    if (failure === undefined && zstd!.exitCode === null) {
      sourceFailure = error as Error;
      stop(error as Error);
    }
  });

  try {
    const [[zstdCode], [tarCode]] = await exits.finally(() => {
      tarDone = true;
      clearInterval(polling);
      // both programs are done: a download still going has nobody to go to
      if (typeof source !== 'string' && zstd?.stdin?.writableFinished !== true) source.cancel?.();
    });
    await feeding;
    readListing(true);
    if (sourceFailure !== undefined) throw unreadableTarball(archive, sourceFailure);
    if (failure !== undefined) throw failure;
    const zstdSaid = (await zstdErr).trim().replace(/^zstd: /gm, '');
    const tarSaid = (await tarErr).trim();
    if (zstdCode !== 0) throw corrupt(undefined, `cannot be decompressed (zstd: ${firstLines(zstdSaid) || `exit ${zstdCode}`})`);
    if (tarCode !== 0 || tarSaid !== '') {
      // tar's own zstd (-I) speaks on tar's stderr: its lines are the ones not from tar
      const zstdLines = tarSaid.split('\n').filter((line) => line !== '' && !/^[^\s:]*tar: /.test(line));
      if (zstd === undefined && zstdLines.length > 0) throw corrupt(undefined, `cannot be decompressed (zstd: ${firstLines(zstdLines.join('\n').replace(/^zstd: /gm, '').trim())})`);
      const said = firstLines(tarSaid) || `exit ${tarCode}`;
      // GNU tar's words for a name or link target outside the folder (it wrote nothing there)
      if (/Removing leading|Member name contains|hard link target/i.test(tarSaid)) throw new EnvTarballError('unsafe-path', `the environment tarball ${archive} has a member outside the environment (${tools.tar}: ${said}); it will not be used`);
      throw corrupt(undefined, `was refused by ${tools.tar} (${said})`);
    }
    if (unlinked !== undefined) throw corrupt(unlinked, 'is a hard link to nothing before it in the archive');
    if (manifest === undefined) {
      if (previous === MANIFEST_MEMBER) manifest = readManifest(root, archive);
      else throw new EnvTarballError('format', `${archive} is not an env-setup environment tarball (it has no manifest)`);
    }
    if (members !== manifest.entries) throw corrupt(undefined, `has ${members} members where its manifest declares ${manifest.entries}`);
    // before anything else touches the tree (links tar made real at its end): no link leads out
    // through the others; then the modes
    const links = new LinkTree();
    for (const [path, target] of linkTargets) links.add(path, target);
    const escape = links.findEscape();
    if (escape) throw unsafe(escape.path, `is a symbolic link (to ${escape.target}) that leads outside the environment through other links of it`);
    chmodSync(root, rootMode);
    for (const [path, mode] of lockedFolders) chmodSync(join(root, path), (mode & 0o7777) | 0o700);
    // env-setup's own state is never packed, and never restored
    if (types.get('conda-meta') === 'dir') rmSync(join(root, STATE_DIR), { recursive: true, force: true });
    if (!options.scan) return { manifest, files: manifest.files, bytes: manifest.bytes, scan: undefined };
    // (read while tar ran: a record is a regular file, and none can change after it is complete —
    // a member is never written twice, nor through a link; so are the files hashed meanwhile)
    expected ??= expectedFiles(records ?? recordsIn(root));
    // the rest: only what the listing has as a file is read, never more bytes than the record (or
    // the manifest) allows; batch by batch, by the background worker (nothing holds it back now)
    // and this thread, or by the workers of one per CPU
    const rest: string[] = [];
    for (const [path, want] of expected) if (want.sha256 !== undefined && types.get(path) === 'file' && !sent.has(path)) rest.push(path);
    const parts = Array.from({ length: Math.ceil(rest.length / HASH_BATCH) }, (_, k) => rest.slice(k * HASH_BATCH, (k + 1) * HASH_BATCH));
    const retried: string[] = [];
    const take = async (by: FsBatchPool) => {
      for (let part = parts.shift(); part !== undefined; part = parts.shift()) {
        // a batch the background worker could not run is hashed here
        await hashBatch(by, part).catch((error: unknown) => {
          if (by !== background) throw error;
          retried.push(...part);
        });
      }
    };
    const takers = background !== undefined ? [background, background, thisThread] : Array.from({ length: 2 * pool.size }, () => pool);
    const [missed] = await Promise.all([Promise.all(backgroundBatches), ...takers.map(take)]);
    const missedDuringTar = missed.flat();
    retried.push(...missedDuringTar);
    if (retried.length > 0) await hashBatch(thisThread, retried);
    const scan = new StreamScan(expected);
    for (const path of expected.keys()) {
      const type = types.get(path);
      if (type === undefined) continue;
      const facts = hashed.get(path);
      if (type !== 'file' || facts === undefined) scan.seen.set(path, { type });
      else {
        // a file larger than allowed is not read: its size tells, or (no size recorded) its digest
        scan.seen.set(path, { type: 'file', size: facts.size < 0 ? undefined : facts.size, sha256: facts.sha256 ?? 'unread' });
        if (facts.sha256 !== null) scan.bytes += facts.size;
      }
    }
    return { manifest, files: manifest.files, bytes: manifest.bytes, scan, hashedInBackground: sent.size - missedDuringTar.length };
  } catch (error) {
    if (error instanceof EnvTarballError) throw error;
    if (options.signal?.aborted) throw error;
    throw new EnvTarballError('io', `cannot restore ${archive}: ${(error as Error).message}`, { cause: error });
  } finally {
    clearInterval(polling);
    listing.close();
    options.signal?.removeEventListener('abort', onAbort);
    zstd?.kill('SIGKILL');
    tar.kill('SIGKILL');
  }
}

/** The records in conda-meta (none when it is not a folder: the listing then says what it is). */
function recordsIn(root: string): PrefixRecordFile[] {
  try {
    return readRecordFiles(root);
  } catch {
    return [];
  }
}

/** Writes `chunks` into zstd's input, waiting whenever the pipe is full; only the source's own failures are thrown. */
async function feed(chunks: AsyncIterable<Buffer>, zstd: ChildProcess): Promise<void> {
  const input = zstd.stdin!;
  // a zstd that stopped reading (it failed, or was stopped) is reported by its exit
  let closed = false;
  input.on('error', () => (closed = true));
  input.on('close', () => (closed = true));
  const writable = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        input.off('drain', done);
        input.off('close', done);
        resolve();
      };
      input.on('drain', done);
      input.on('close', done);
    });
  for await (const chunk of chunks) {
    if (closed) return;
    if (!input.write(chunk)) await writable();
  }
  input.end();
}

/** Reads the manifest member tar wrote (a regular file, never through a link), removes it, and checks it. */
function readManifest(root: string, archive: string): EnvTarballManifest {
  const path = join(root, MANIFEST_MEMBER);
  const text = readRegularFile(path, MANIFEST_LIMIT);
  if (text === undefined) throw new EnvTarballError('format', `${archive} cannot be restored: its manifest is not a regular file of at most ${MANIFEST_LIMIT} bytes`, { file: MANIFEST_MEMBER });
  try {
    unlinkSync(path);
  } catch (error) {
    throw new EnvTarballError('io', `cannot restore ${archive}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseManifest(text);
  if (typeof parsed === 'string') throw new EnvTarballError('format', `${archive} cannot be restored: ${parsed}`, { file: MANIFEST_MEMBER });
  return parsed;
}

function collect(child: ChildProcess): Promise<string> {
  let text = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    if (text.length < STDERR_LIMIT) text += s;
  });
  return once(child.stderr!, 'close').then(() => text, () => text);
}

function exitOf(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve([code, signal]));
  });
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join('; ');
}
