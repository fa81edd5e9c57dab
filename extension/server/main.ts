// Entry point of the bundled language server (dist/extension/server.js): the VS Code client starts
// it with --node-ipc or --stdio, which createConnection reads from the command line.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.ts';

startServer(createConnection(ProposedFeatures.all));
