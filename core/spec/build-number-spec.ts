// Build-number specs (`3`, `>=2`, `!=1`, `*`): conda's BuildNumberMatch, limited to integers.

import { SpecError } from './errors.ts';

export type BuildNumberOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

const RELATION = /^(==|!=|<=|>=|=|<|>)\s*([0-9]+)$/;

export class BuildNumberSpec {
  /** undefined operator means any build number. */
  readonly operator: BuildNumberOperator | undefined;
  readonly value: number;
  private readonly text: string;

  private constructor(operator: BuildNumberOperator | undefined, value: number, text: string) {
    this.operator = operator;
    this.value = value;
    this.text = text;
  }

  static parse(input: string | number): BuildNumberSpec {
    if (typeof input === 'number') {
      if (!Number.isInteger(input) || input < 0) throw bad(String(input), 'a build number is a non-negative integer');
      return new BuildNumberSpec('==', input, String(input));
    }
    const text = input.trim();
    if (text === '' || text === '*' || text === '=*' || text === '==*') return new BuildNumberSpec(undefined, 0, '*');
    if (/^[0-9]+$/.test(text)) return new BuildNumberSpec('==', Number(text), text);
    const m = RELATION.exec(text);
    if (m === null) throw bad(text, "expected an integer, optionally after one of '==', '=', '!=', '<', '<=', '>', '>='");
    const op = (m[1] === '=' ? '==' : m[1]) as BuildNumberOperator;
    return new BuildNumberSpec(op, Number(m[2]), `${m[1]}${m[2]}`);
  }

  matches(buildNumber: number): boolean {
    const v = this.value;
    switch (this.operator) {
      case undefined:
        return true;
      case '==':
        return buildNumber === v;
      case '!=':
        return buildNumber !== v;
      case '<':
        return buildNumber < v;
      case '<=':
        return buildNumber <= v;
      case '>':
        return buildNumber > v;
      case '>=':
        return buildNumber >= v;
    }
  }

  get isAny(): boolean {
    return this.operator === undefined;
  }

  /** The build number when exactly one is allowed. */
  get exactValue(): number | undefined {
    return this.operator === '==' ? this.value : undefined;
  }

  /** Equal for equal meaning (`3` and `=3`). */
  get key(): string {
    return this.operator === undefined ? '*' : `${this.operator}${this.value}`;
  }

  equals(other: BuildNumberSpec): boolean {
    return this.operator === other.operator && (this.operator === undefined || this.value === other.value);
  }

  toString(): string {
    return this.text;
  }
}

function bad(text: string, why: string): SpecError {
  return new SpecError(`invalid build number spec '${text}': ${why}`, { input: text });
}
