// How the client starts the language server: the bundled server script beside the client (or the
// `envSetup.serverPath` override), run by VS Code's own Node over IPC, with the inspector on in
// debug sessions. No `vscode` import here, so the glue is testable outside VS Code.

import { isAbsolute, join } from 'node:path';

export interface LaunchPlan {
  module: string;
  /** Arguments for the Node running the server in debug mode. */
  debugExecArgv: string[];
}

export function serverLaunch(extensionDir: string, serverPath: unknown): LaunchPlan {
  const override = typeof serverPath === 'string' ? serverPath.trim() : '';
  const module = override === '' ? join(extensionDir, 'server.js') : isAbsolute(override) ? override : join(extensionDir, override);
  return { module, debugExecArgv: ['--nolazy', '--inspect=6009'] };
}

/** The settings the server reads, from the `envSetup` section (VS Code's WorkspaceConfiguration.get shape). */
export function serverSettings(get: (key: string) => unknown): Record<string, unknown> {
  const keys = ['channels', 'platforms', 'offline', 'cacheDir', 'solveDebounceMs', 'inlayHints', 'pinHintMinCandidates'];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = get(key);
    if (value !== undefined) out[key] = value;
  }
  return { envSetup: out };
}
