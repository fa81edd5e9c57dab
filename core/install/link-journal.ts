// The write-ahead journal that makes a change to a prefix all-or-nothing. Before the transaction
// touches a path it appends what it is about to do to `conda-meta/.env-setup/journal.jsonl`:
//
//   {"op":"begin", …}                   who started, and whether the prefix / conda-meta were new
//   {"op":"move","path":P,"to":N}       P (a file, link or folder) is moved to backup/N
//   {"op":"create","paths":[P…]}        these paths are about to be created (nothing is there: what
//                                       was there has been moved first)
//   {"op":"mkdir","path":P}             an absent folder is about to be created
//   {"op":"rmdir","path":P}             an empty folder is about to be removed
//   {"op":"commit"}                     everything is in place: the backups can go
//
// Undoing walks the entries backwards: created paths are deleted, made folders removed when empty,
// removed folders made again, moved paths put back from the backup. An interrupted run (SIGKILL,
// power cut with the entries on disk) leaves the journal behind; the next run that takes the prefix
// lock finds it and rolls back — or, after a commit entry, only deletes the backups. Renames keep
// this cheap: the backup folder lives inside the prefix, on the same file system.
//
// conda, mamba and pixi read only `conda-meta/*.json`, `history`, `pinned` and `state`: the
// `.env-setup` folder is invisible to them, and it is removed once the transaction is over.

import { closeSync, fsyncSync, openSync } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeJsonSync } from './json-parts.ts';

/** env-setup's own folder inside a prefix (relative), holding the lock, the journal and the backups. */
export const STATE_DIR = 'conda-meta/.env-setup';

export interface JournalBegin {
  op: 'begin';
  pid: number;
  at: string;
  /** The prefix folder did not exist before this transaction. */
  createdPrefix: boolean;
  /** conda-meta did not exist before this transaction. */
  createdCondaMeta: boolean;
}

export type JournalEntry =
  | JournalBegin
  | { op: 'move'; path: string; to: string }
  | { op: 'create'; paths: string[] }
  | { op: 'mkdir'; path: string }
  | { op: 'rmdir'; path: string }
  | { op: 'commit' };

export interface JournalPaths {
  state: string;
  journal: string;
  backup: string;
  lock: string;
}

export function journalPaths(prefix: string): JournalPaths {
  const state = join(prefix, STATE_DIR);
  return { state, journal: join(state, 'journal.jsonl'), backup: join(state, 'backup'), lock: join(state, 'lock') };
}

const exists = async (path: string): Promise<boolean> => {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
};

export class Journal {
  readonly prefix: string;
  readonly paths: JournalPaths;
  readonly begin: JournalBegin;
  #fd: number | undefined;
  #next = 0;
  #entries: JournalEntry[] = [];

  private constructor(prefix: string, fd: number, begin: JournalBegin) {
    this.prefix = prefix;
    this.paths = journalPaths(prefix);
    this.#fd = fd;
    this.begin = begin;
  }

  /** Starts a journal in `prefix` (whose state folder exists, with the lock held). */
  static async open(prefix: string, flags: { createdPrefix: boolean; createdCondaMeta: boolean }): Promise<Journal> {
    const paths = journalPaths(prefix);
    await rm(paths.backup, { recursive: true, force: true });
    await mkdir(paths.backup, { recursive: true });
    const fd = openSync(paths.journal, 'w');
    const begin: JournalBegin = { op: 'begin', pid: process.pid, at: new Date().toISOString(), ...flags };
    const journal = new Journal(prefix, fd, begin);
    journal.#append(begin);
    fsyncSync(fd);
    return journal;
  }

  #append(entry: JournalEntry): void {
    if (this.#fd === undefined) throw new Error('the journal is closed');
    // a package's `create` entry lists all its paths: written in parts through the window, not as one big string
    writeJsonSync(this.#fd, [entry], 0, '\n');
    this.#entries.push(entry);
  }

  /** Several entries in one write. */
  #appendAll(entries: readonly JournalEntry[]): void {
    if (this.#fd === undefined) throw new Error('the journal is closed');
    if (entries.length === 0) return;
    writeJsonSync(this.#fd, entries, 0, '\n');
    this.#entries.push(...entries);
  }

  #full(rel: string): string {
    return join(this.prefix, rel);
  }

  /** Moves whatever is at `rel` to the backup; false when nothing was there. */
  async moveAside(rel: string): Promise<boolean> {
    const full = this.#full(rel);
    if (!(await exists(full))) return false;
    const to = String(this.#next++);
    this.#append({ op: 'move', path: rel, to });
    await rename(full, join(this.paths.backup, to));
    return true;
  }

  /** Records that `rels` are about to be created. */
  creating(rels: readonly string[]): void {
    if (rels.length > 0) this.#append({ op: 'create', paths: [...rels] });
  }

  /** Creates the absent folder `rel` (its parent exists). */
  async mkdir(rel: string): Promise<void> {
    this.#append({ op: 'mkdir', path: rel });
    await mkdir(this.#full(rel));
  }

  /** Records that the absent folders `rels` (parents first) are about to be created by the caller (one `mkdir` entry each, in one write). */
  makingDirs(rels: readonly string[]): void {
    this.#appendAll(rels.map((path): JournalEntry => ({ op: 'mkdir', path })));
  }

  /** Removes the empty folder `rel`. */
  async rmdir(rel: string): Promise<void> {
    this.#append({ op: 'rmdir', path: rel });
    await rmdir(this.#full(rel));
  }

  /** Everything is in place: marks the journal committed, then deletes the backups and the journal. */
  async commit(): Promise<void> {
    this.#append({ op: 'commit' });
    fsyncSync(this.#fd!);
    this.#close();
    await finishCommitted(this.paths);
  }

  /** Undoes everything recorded, then deletes the backups and the journal. */
  async rollback(): Promise<string[]> {
    this.#close();
    return undo(this.prefix, this.#entries);
  }

  #close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

async function finishCommitted(paths: JournalPaths): Promise<void> {
  await rm(paths.backup, { recursive: true, force: true });
  await rm(paths.journal, { force: true });
}

/** Reads a journal file; a torn last line (the process died while writing it) is ignored. */
export function parseJournal(text: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      break;
    }
  }
  return entries;
}

/** Undoes `entries` in `prefix` (see the header); returns the problems met (paths that could not be restored). */
async function undo(prefix: string, entries: readonly JournalEntry[]): Promise<string[]> {
  const paths = journalPaths(prefix);
  const problems: string[] = [];
  const full = (rel: string) => join(prefix, rel);
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.op === 'create') {
      for (const rel of [...e.paths].reverse()) {
        await attempt(`remove ${rel}`, async () => {
          const st = await lstat(full(rel));
          if (st.isDirectory()) await rmdir(full(rel));
          else await rm(full(rel), { force: true });
        });
      }
    } else if (e.op === 'mkdir') {
      await attempt(`remove folder ${e.path}`, () => rmdir(full(e.path)));
    } else if (e.op === 'rmdir') {
      await attempt(`restore folder ${e.path}`, () => mkdir(full(e.path), { recursive: true }));
    } else if (e.op === 'move') {
      const from = join(paths.backup, e.to);
      if (!(await exists(from))) continue;
      await attempt(`restore ${e.path}`, async () => {
        await rm(full(e.path), { recursive: true, force: true });
        await mkdir(dirname(full(e.path)), { recursive: true });
        await rename(from, full(e.path));
      });
    }
  }
  await rm(paths.backup, { recursive: true, force: true });
  await rm(paths.journal, { force: true });
  return problems;
}

export type RecoveryOutcome = { kind: 'none' } | { kind: 'rolled-back' | 'completed'; begin: JournalBegin | undefined; problems: string[] };

/**
 * Finishes what an interrupted transaction left in `prefix` (the caller holds the prefix lock): a
 * committed journal only has its backups deleted; any other is rolled back.
 */
export async function recoverJournal(prefix: string): Promise<RecoveryOutcome> {
  const paths = journalPaths(prefix);
  let text: string;
  try {
    text = await readFile(paths.journal, 'utf8');
  } catch {
    // no journal; a backup folder alone is what a commit left half deleted
    if (await exists(paths.backup)) await rm(paths.backup, { recursive: true, force: true });
    return { kind: 'none' };
  }
  const entries = parseJournal(text);
  const begin = entries.find((e): e is JournalBegin => e.op === 'begin');
  if (entries.some((e) => e.op === 'commit')) {
    await finishCommitted(paths);
    return { kind: 'completed', begin, problems: [] };
  }
  const problems = await undo(prefix, entries);
  return { kind: 'rolled-back', begin, problems };
}
