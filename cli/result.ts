// What a CLI command returns, and the error for bad usage (exit code 2).

export interface CliResult {
  exitCode: number;
  text: string;
  /** Printed on stderr (errors and explanations), without --json. */
  errorText?: string;
  json: unknown;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
