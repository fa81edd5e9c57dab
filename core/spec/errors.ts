// Errors raised when conda's spec language (versions, specs, records, environment files) is misused.
// Every error carries a readable message; file-level errors also name the file, line and column.

export interface SourcePosition {
  /** 1-based line number. */
  line: number;
  /** 1-based column number. */
  column: number;
}

export class SpecError extends Error {
  /** The text that could not be read, when there is one. */
  readonly input: string | undefined;
  /** Where in a file the problem is, when the text came from a file. */
  readonly file: string | undefined;
  readonly position: SourcePosition | undefined;

  constructor(message: string, options: { input?: string; file?: string; position?: SourcePosition; cause?: unknown } = {}) {
    const where = options.file
      ? `${options.file}${options.position ? `:${options.position.line}:${options.position.column}` : ''}: `
      : '';
    super(where + message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SpecError';
    this.input = options.input;
    this.file = options.file;
    this.position = options.position;
  }
}
