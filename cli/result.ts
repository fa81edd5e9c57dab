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

/** The value of the option `flag`, `args[at]` (`-f FILE`: the argument after it); a UsageError when it is missing. */
export function optionValue(args: readonly string[], at: number, flag: string): string {
  const v = args[at];
  if (v === undefined) throw new UsageError(`${flag} needs a value`);
  return v;
}
