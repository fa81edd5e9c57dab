// CEP 24 preprocessing selectors on environment file entries (`- pywin32  # [win]`,
// `- sel(linux): libgcc`): whether an entry applies to a target platform. The platform names
// conda-build knows (`linux`, `osx`, `win`, `unix`, `linux64`, `aarch64`, `arm64`, `x86_64`, …),
// combined with `not`, `and`, `or` and parentheses; anything else (versions, variables) is unknown.

/** Does the selector hold on `subdir`? `undefined` when the expression uses something other than platform names. */
export function selectorHolds(expression: string, subdir: string): boolean | undefined {
  const [os = '', arch = ''] = subdir.split('-');
  const facts: Record<string, boolean> = {
    linux: os === 'linux',
    osx: os === 'osx',
    win: os === 'win',
    unix: os === 'linux' || os === 'osx' || os === 'freebsd' || os === 'emscripten',
    x86: arch === '32' || arch === '64',
    x86_64: arch === '64',
    aarch64: arch === 'aarch64',
    arm64: arch === 'arm64',
    ppc64le: arch === 'ppc64le',
    s390x: arch === 's390x',
    armv7l: arch === 'armv7l',
    linux32: subdir === 'linux-32',
    linux64: subdir === 'linux-64',
    win32: subdir === 'win-32',
    win64: subdir === 'win-64',
    osx64: subdir === 'osx-64',
  };
  const tokens = expression.match(/\(|\)|[A-Za-z_][A-Za-z0-9_]*|\S/g) ?? [];
  let i = 0;
  const parseOr = (): boolean | undefined => {
    let value = parseAnd();
    while (tokens[i] === 'or') {
      i++;
      const right = parseAnd();
      value = value === true || right === true ? true : value === undefined || right === undefined ? undefined : false;
    }
    return value;
  };
  const parseAnd = (): boolean | undefined => {
    let value = parseNot();
    while (tokens[i] === 'and') {
      i++;
      const right = parseNot();
      value = value === false || right === false ? false : value === undefined || right === undefined ? undefined : true;
    }
    return value;
  };
  const parseNot = (): boolean | undefined => {
    if (tokens[i] === 'not') {
      i++;
      const value = parseNot();
      return value === undefined ? undefined : !value;
    }
    if (tokens[i] === '(') {
      i++;
      const value = parseOr();
      if (tokens[i] !== ')') throw new Error('unbalanced');
      i++;
      return value;
    }
    const token = tokens[i++];
    return token !== undefined && token in facts ? facts[token] : undefined;
  };
  try {
    const value = parseOr();
    return i === tokens.length ? value : undefined;
  } catch {
    return undefined;
  }
}
