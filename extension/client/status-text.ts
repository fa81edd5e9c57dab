// The status bar text for the server's `envSetup/status` notifications. No `vscode` import here.

export interface StatusParams {
  uri: string;
  version: number;
  state: 'loading' | 'solved' | 'unsatisfiable' | 'failed';
  message: string;
}

export function statusText(status: StatusParams): { text: string; tooltip: string } {
  const icon = { loading: '$(sync~spin)', solved: '$(check)', unsatisfiable: '$(error)', failed: '$(warning)' }[status.state];
  const short = status.state === 'solved' ? 'solved' : status.state === 'unsatisfiable' ? 'cannot be solved' : status.state === 'loading' ? 'loading channels' : 'channels failed';
  return { text: `${icon} conda: ${short}`, tooltip: status.message };
}
