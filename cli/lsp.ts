// `env-setup lsp --stdio`: the language server of the VS Code extension (extension/server), for
// any editor that speaks LSP (Neovim, Helix, Zed, …), talking JSON-RPC over stdin/stdout. It runs
// until the client sends `exit` (or closes stdin).

import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from '../extension/server/server.ts';
import { UsageError } from './result.ts';

export function runLsp(args: readonly string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--stdio');
  if (unknown.length > 0) throw new UsageError(`unknown option '${unknown[0]}' for 'lsp'; the server talks over stdio: env-setup lsp --stdio`);
  if (!args.includes('--stdio')) throw new UsageError("'lsp' needs --stdio: env-setup lsp --stdio (the only transport it offers)");
  // stdout carries the protocol: anything else printed there would corrupt it
  console.log = console.info = (...values: unknown[]) => process.stderr.write(`${values.map(String).join(' ')}\n`);
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  return new Promise((resolve) => {
    connection.onExit(() => resolve(0));
    process.stdin.on('end', () => resolve(0));
    startServer(connection);
  });
}
