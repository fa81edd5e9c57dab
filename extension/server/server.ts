// The env-setup language server: diagnostics, code actions, hover, completion, inlay hints and a
// code lens for conda environment files, over any LSP connection (VS Code's client starts it over
// IPC or stdio; `env-setup lsp --stdio` serves Neovim, Helix, Zed and the rest).
//
// Per open file: on each change the file is read (core's tolerant reader) and checked against the
// channel indexes that are loaded, and the diagnostics go out at once; the environment is solved
// after `solveDebounceMs` of quiet on the solver thread (solver-thread.ts), so checks, completion
// and hover are answered while it runs, and a solve the user typed past is cancelled.
// Indexes load in the background (with `$/progress`) and are shared by files with the same
// channels and platform. `envSetup/status` notifications say what each file's solve came to.

import {
  CodeActionKind,
  CodeLensRefreshRequest,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import manifest from '../package.json' with { type: 'json' };
import { PIN_ALL_KIND, codeActions } from './code-actions.ts';
import { WRITE_SPEC_FILE, codeLenses } from './code-lens.ts';
import { completion } from './completion.ts';
import { indexRequestOf, platformsOf } from './document-context.ts';
import { type DocumentModel, isEnvironmentFile, readDocument, SOURCE } from './document-model.ts';
import { type DocumentSolve, solveDocument } from './document-solve.ts';
import { hover } from './hover.ts';
import { IndexStore, type LoadProgress, type ReadyIndex } from './index-store.ts';
import { inlayHints } from './inlay-hints.ts';
import { type CheckResult, checkPackages } from './package-checks.ts';
import { pinHints } from './pin-hints.ts';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings.ts';
import { SolverThread } from './solver-thread.ts';
import { specFileEdit } from './spec-file-command.ts';
import { unsatDiagnostics } from './unsat-diagnostics.ts';

/** `envSetup/status`: where a file's check stands (for a status bar, and for tests to wait on). */
export const STATUS_NOTIFICATION = 'envSetup/status';

export interface StatusParams {
  uri: string;
  version: number;
  state: 'loading' | 'solved' | 'unsatisfiable' | 'failed';
  message: string;
}

interface FileState {
  model: DocumentModel;
  checks: CheckResult | undefined;
  solve: DocumentSolve | undefined;
  /** Why the channels are not ready, when they are not (loading, or the load failed). */
  waiting: { message: string; failed: boolean } | undefined;
  timer: NodeJS.Timeout | undefined;
  generation: number;
  /** The indexes the last solve (or the one scheduled) used: a load that changes nothing for the file does not solve it again. */
  solvedWith: readonly ReadyIndex[];
}

export interface ServerOptions {
  /** Environment for channel configuration (.condarc, proxies, cache dir). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const files = new Map<string, FileState>();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let progressSupported = false;
  let inlayRefresh = false;
  let lensRefresh = false;

  const solver = new SolverThread({ env: options.env });
  const store = new IndexStore({
    env: options.env,
    startProgress: (title) => {
      // solves follow the load: the solver thread loads its modules meanwhile
      solver.prepare();
      return startProgress(title);
    },
    onSettled: () => {
      for (const uri of files.keys()) update(uri, true);
    },
  });

  function startProgress(title: string): LoadProgress {
    if (!progressSupported) return { report: () => {}, done: () => {} };
    let last: string | undefined;
    let finished = false;
    const reporter = connection.window.createWorkDoneProgress().then(
      (r) => {
        r.begin(title, undefined, last);
        if (finished) r.done();
        return r;
      },
      () => undefined,
    );
    return {
      report: (message) => {
        last = message;
        void reporter.then((r) => r?.report(message));
      },
      done: () => {
        finished = true;
        void reporter.then((r) => r?.done());
      },
    };
  }

  /** The platform indexes of a file that are ready, in platform order, and what the others are waiting on. */
  function indexesOf(model: DocumentModel): { ready: Map<string, ReadyIndex>; waiting: FileState['waiting'] } {
    const ready = new Map<string, ReadyIndex>();
    let waiting: FileState['waiting'];
    for (const platform of platformsOf(model, settings)) {
      const state = store.get(indexRequestOf(model, settings, platform));
      if (state.state === 'ready') ready.set(platform, state.ready);
      else if (state.state === 'failed') waiting = { message: state.message, failed: true };
      else waiting ??= { message: `loading the channels for ${platform}…`, failed: false };
    }
    return { ready, waiting };
  }

  /** Re-reads and re-checks a file, publishes its diagnostics, and (re)schedules its solve. */
  function update(uri: string, indexesChanged = false): void {
    const doc = documents.get(uri);
    if (doc === undefined) return;
    let file = files.get(uri);
    if (file === undefined || file.model.version !== doc.version || file.model.text !== doc.getText() || indexesChanged) {
      const model = file !== undefined && file.model.version === doc.version && file.model.text === doc.getText() ? file.model : readDocument(uri, doc.version, doc.getText());
      const changed = file === undefined || file.model !== model;
      file ??= { model, checks: undefined, solve: undefined, waiting: undefined, timer: undefined, generation: 0, solvedWith: [] };
      file.model = model;
      files.set(uri, file);
      const { ready, waiting } = indexesOf(model);
      file.waiting = waiting;
      file.checks = model.env === undefined || ready.size === 0 ? undefined : checkPackages(model, ready);
      if (changed) {
        file.generation++;
        // the running solve is of a version that is gone
        solver.cancel(uri);
      }
      publish(file);
      const same = !changed && file.solvedWith.length === ready.size && [...ready.values()].every((r, i) => file!.solvedWith[i] === r);
      if (waiting === undefined && ready.size > 0 && !same) {
        file.solvedWith = [...ready.values()];
        scheduleSolve(uri, file, changed ? settings.solveDebounceMs : 0);
      }
      else if (waiting !== undefined) status(file, waiting.failed ? 'failed' : 'loading', waiting.message);
    }
  }

  function publish(file: FileState): void {
    const { model } = file;
    const diagnostics: Diagnostic[] = [...model.problems, ...(file.checks?.diagnostics ?? [])];
    if (file.waiting?.failed) {
      const channels = model.env?.channels[0];
      diagnostics.push({
        range: channels ? { start: { line: channels.range.start.line - 1, character: channels.range.start.column - 1 }, end: { line: channels.range.end.line - 1, character: channels.range.end.column - 1 } } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        code: 'channels',
        message: file.waiting.message,
      });
    }
    const solve = file.solve;
    if (solve !== undefined && solve.version === model.version) {
      diagnostics.push(...unsatDiagnostics(model, solve));
      const primary = solve.platforms[0];
      const ready = primary === undefined ? undefined : indexesOf(model).ready.get(primary.platform);
      if (primary !== undefined && ready !== undefined) diagnostics.push(...pinHints(primary, ready, settings.pinHintMinCandidates));
    }
    void connection.sendDiagnostics({ uri: model.uri, version: model.version, diagnostics });
  }

  function status(file: FileState, state: StatusParams['state'], message: string): void {
    void connection.sendNotification(STATUS_NOTIFICATION, { uri: file.model.uri, version: file.model.version, state, message } satisfies StatusParams);
  }

  function scheduleSolve(uri: string, file: FileState, delay: number): void {
    clearTimeout(file.timer);
    const generation = file.generation;
    file.timer = setTimeout(() => void runSolve(uri, file, generation), delay);
  }

  async function runSolve(uri: string, file: FileState, generation: number): Promise<void> {
    const stale = () => file.generation !== generation || files.get(uri) !== file;
    if (stale() || file.model.env === undefined) return;
    const { ready, waiting } = indexesOf(file.model);
    if (waiting !== undefined || ready.size === 0) return;
    const checks = file.checks ?? checkPackages(file.model, ready);
    const solve = await solveDocument(solver, file.model, ready, checks.failing);
    if (solve === undefined || stale()) return;
    if ('failed' in solve) {
      status(file, 'failed', solve.failed);
      return;
    }
    file.solve = solve;
    publish(file);
    const failed = solve.platforms.filter((p) => !p.solution.ok).map((p) => p.platform);
    const summary = solve.platforms.map((p) => `${p.platform}: ${p.solution.ok ? `${p.solution.packages.length} ${p.solution.packages.length === 1 ? 'package' : 'packages'}` : 'cannot be solved'} in ${Math.round(p.ms)} ms`).join('; ');
    status(file, failed.length > 0 ? 'unsatisfiable' : 'solved', summary);
    if (inlayRefresh) void connection.languages.inlayHint.refresh().catch(() => {});
    if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => {});
  }

  function primaryOf(file: FileState) {
    const solve = file.solve;
    const primary = solve?.platforms[0];
    const ready = indexesOf(file.model).ready.get(primary?.platform ?? platformsOf(file.model, settings)[0]!);
    return { primary, ready };
  }

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions);
    progressSupported = params.capabilities.window?.workDoneProgress === true;
    inlayRefresh = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    lensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['=', '<', '>', ' ', '-', ':'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, PIN_ALL_KIND] },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [WRITE_SPEC_FILE] },
      },
      serverInfo: { name: 'env-setup', version: manifest.version },
    };
  });

  connection.onDidChangeConfiguration((params) => {
    const next = readSettings(params.settings, settings);
    const reload = JSON.stringify([next.channels, next.platforms, next.offline, next.cacheDir]) !== JSON.stringify([settings.channels, settings.platforms, settings.offline, settings.cacheDir]);
    settings = next;
    if (reload) {
      store.clear();
      solver.clear();
    }
    for (const [uri, file] of files) {
      file.solvedWith = [];
      update(uri, true);
    }
  });

  documents.onDidChangeContent(({ document }) => {
    if (!isEnvironmentFile(document.uri, document.getText())) {
      solver.cancel(document.uri);
      if (files.delete(document.uri)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      return;
    }
    update(document.uri);
  });
  documents.onDidClose(({ document }) => {
    const file = files.get(document.uri);
    if (file !== undefined) clearTimeout(file.timer);
    files.delete(document.uri);
    solver.cancel(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onHover((params) => {
    const file = files.get(params.textDocument.uri);
    if (file === undefined) return null;
    const { primary, ready } = primaryOf(file);
    return hover(file.model, params.position, ready, primary, file.waiting?.message);
  });

  connection.onCompletion((params) => {
    const file = files.get(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (file === undefined || doc === undefined) return null;
    // complete on the text as it is now, even if the last change has not been checked yet
    const model = file.model.version === doc.version ? file.model : readDocument(doc.uri, doc.version, doc.getText());
    const { ready } = primaryOf(file);
    const channels = [...settings.channels, ...(model.env?.channels.map((c) => c.value) ?? [])];
    return completion(model, params.position, ready, channels);
  });

  connection.onCodeAction((params) => {
    const file = files.get(params.textDocument.uri);
    if (file === undefined) return [];
    const { primary } = primaryOf(file);
    return codeActions(file.model, params, file.solve?.version === file.model.version ? primary : undefined);
  });

  connection.languages.inlayHint.on((params) => {
    const file = files.get(params.textDocument.uri);
    if (file === undefined || !settings.inlayHints) return [];
    return inlayHints(file.model, primaryOf(file).primary, params.range);
  });

  connection.onCodeLens((params) => {
    const file = files.get(params.textDocument.uri);
    if (file === undefined) return [];
    const state = file.waiting?.message ?? (file.model.env === undefined ? undefined : 'solving…');
    return codeLenses(file.model.uri, file.solve, state);
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== WRITE_SPEC_FILE) return null;
    const [uri, platform] = (params.arguments ?? []) as [string | undefined, string | undefined];
    const file = uri === undefined ? undefined : files.get(uri);
    const solve = file?.solve?.platforms.find((p) => platform === undefined || p.platform === platform);
    const ready = file === undefined || solve === undefined ? undefined : indexesOf(file.model).ready.get(solve.platform);
    const written = file === undefined || solve === undefined || ready === undefined ? undefined : specFileEdit(file.model.uri, solve, ready, manifest.version);
    if (written === undefined) {
      void connection.window.showErrorMessage('env-setup: there is no solved environment to write yet; fix the problems in the file first');
      return null;
    }
    const applied = await connection.workspace.applyEdit({ label: 'Write spec file', edit: written.edit });
    if (!applied.applied) void connection.window.showErrorMessage(`env-setup: could not write ${written.uri}${applied.failureReason ? `: ${applied.failureReason}` : ''}`);
    return { uri: written.uri, applied: applied.applied };
  });

  connection.onShutdown(() => solver.close());

  documents.listen(connection);
  connection.listen();
}
