// A real LSP client for tests: starts `env-setup lsp --stdio` as a child process and talks
// JSON-RPC to it with vscode-languageserver-protocol, answering the server's requests
// (progress tokens, workspace edits, refreshes) and keeping every notification it sends, so a test
// can wait for the diagnostics or status it expects instead of sleeping.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type ApplyWorkspaceEditParams,
  createProtocolConnection,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const bin = fileURLToPath(new URL('../../bin/env-setup.js', import.meta.url));

export interface StatusParams {
  uri: string;
  version: number;
  state: string;
  message: string;
}

interface Waiter<T> {
  test: (value: T) => boolean;
  resolve: (value: T) => void;
}

/** Keeps every value of one notification and hands out the first that passes a test (past or future). */
class Log<T> {
  readonly all: T[] = [];
  readonly #waiters: Waiter<T>[] = [];
  push(value: T): void {
    this.all.push(value);
    for (const w of [...this.#waiters]) {
      if (w.test(value)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(value);
      }
    }
  }
  /** The first value from `from` on (an index into `all`) that passes; waits for it. */
  next(test: (value: T) => boolean, from = 0, what = 'notification'): Promise<T> {
    const found = this.all.slice(from).find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { test, resolve };
      this.#waiters.push(waiter);
      // a test that never sees it fails with a message rather than hanging until the runner's timeout
      const timer = setTimeout(() => reject(new Error(`no ${what} came that matched, after ${this.all.length} of them: ${JSON.stringify(this.all.slice(-3)).slice(0, 2000)}`)), 60_000);
      timer.unref();
    });
  }
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  readonly diagnostics = new Log<PublishDiagnosticsParams>();
  readonly status = new Log<StatusParams>();
  readonly progress = new Log<unknown>();
  readonly edits: ApplyWorkspaceEditParams[] = [];
  stderr = '';

  /** `args`: what node runs; default the CLI from the sources (`env-setup lsp --stdio`), a bundled server for the .vsix test. */
  constructor(env: NodeJS.ProcessEnv, args: readonly string[] = [bin, 'lsp', '--stdio'], cwd?: string) {
    this.child = spawn(process.execPath, args, { env: { ...process.env, ...env }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => this.diagnostics.push(p));
    this.connection.onNotification('envSetup/status', (p: StatusParams) => this.status.push(p));
    this.connection.onNotification('$/progress', (p: unknown) => this.progress.push(p));
    this.connection.onNotification('window/showMessage', () => {});
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('workspace/applyEdit', (p: ApplyWorkspaceEditParams) => {
      this.edits.push(p);
      return { applied: true };
    });
    this.connection.listen();
  }

  /** Diagnostics of a document version that pass `test`. */
  diagnosticsFor(uri: string, version: number, test: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.next((p) => p.uri === uri && p.version === version && test(p), 0, `diagnostics for ${uri} v${version}`);
  }

  /** The status once the document version has been solved (or found unsatisfiable). */
  solved(uri: string, version: number): Promise<StatusParams> {
    return this.status.next((s) => s.uri === uri && s.version === version && (s.state === 'solved' || s.state === 'unsatisfiable'), 0, `a solve of ${uri} v${version}`);
  }

  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.on('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
