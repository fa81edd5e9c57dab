import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// core/spec/errors.ts
var SpecError = class extends Error {
  /** The text that could not be read, when there is one. */
  input;
  /** Where in a file the problem is, when the text came from a file. */
  file;
  position;
  constructor(message, options = {}) {
    const where = options.file ? `${options.file}${options.position ? `:${options.position.line}:${options.position.column}` : ""}: ` : "";
    super(where + message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "SpecError";
    this.input = options.input;
    this.file = options.file;
    this.position = options.position;
  }
};

export {
  SpecError
};
