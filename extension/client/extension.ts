// The VS Code extension: starts the env-setup language server (extension/server, bundled as
// server.js) for conda environment files, passes it the `envSetup.*` settings, and shows each
// file's solve in the status bar. All the logic is in the server; this is glue.

import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { documentSelector } from './document-selector.ts';
import { serverLaunch, serverSettings } from './server-launch.ts';
import { type StatusParams, statusText } from './status-text.ts';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  context.subscriptions.push(status);
  const statuses = new Map<string, StatusParams>();
  const showStatus = () => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = uri === undefined ? undefined : statuses.get(uri);
    if (s === undefined) return status.hide();
    const { text, tooltip } = statusText(s);
    status.text = text;
    status.tooltip = tooltip;
    status.show();
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(showStatus));

  const start = async () => {
    const config = vscode.workspace.getConfiguration('envSetup');
    const plan = serverLaunch(context.extensionPath, config.get('serverPath'));
    const serverOptions: ServerOptions = {
      run: { module: plan.module, transport: TransportKind.ipc },
      debug: { module: plan.module, transport: TransportKind.ipc, options: { execArgv: plan.debugExecArgv } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(config.get<unknown[]>('files') ?? []),
      initializationOptions: serverSettings((key) => config.get(key)),
      synchronize: { configurationSection: 'envSetup' },
    };
    client = new LanguageClient('envSetup', 'env-setup', serverOptions, clientOptions);
    client.onNotification('envSetup/status', (s: StatusParams) => {
      statuses.set(s.uri, s);
      showStatus();
    });
    await client.start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('envSetup.restartServer', async () => {
      await client?.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // which files are served is fixed when the client starts
      if (e.affectsConfiguration('envSetup.files') || e.affectsConfiguration('envSetup.serverPath')) {
        await client?.stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
