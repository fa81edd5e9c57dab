import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Version
} from "./chunk-NHLEP6IP.js";
import {
  channelNameMatches,
  channelOfPackageUrl,
  isKnownSubdir,
  splitChannel
} from "./chunk-ES7CHA43.js";
import {
  SpecError
} from "./chunk-ZNMD3YGT.js";

// core/spec/build-number-spec.ts
var RELATION = /^(==|!=|<=|>=|=|<|>)\s*([0-9]+)$/;
var BuildNumberSpec = class _BuildNumberSpec {
  /** undefined operator means any build number. */
  operator;
  value;
  text;
  constructor(operator, value, text) {
    this.operator = operator;
    this.value = value;
    this.text = text;
  }
  static parse(input) {
    if (typeof input === "number") {
      if (!Number.isInteger(input) || input < 0) throw bad(String(input), "a build number is a non-negative integer");
      return new _BuildNumberSpec("==", input, String(input));
    }
    const text = input.trim();
    if (text === "" || text === "*" || text === "=*" || text === "==*") return new _BuildNumberSpec(void 0, 0, "*");
    if (/^[0-9]+$/.test(text)) return new _BuildNumberSpec("==", Number(text), text);
    const m = RELATION.exec(text);
    if (m === null) throw bad(text, "expected an integer, optionally after one of '==', '=', '!=', '<', '<=', '>', '>='");
    const op = m[1] === "=" ? "==" : m[1];
    return new _BuildNumberSpec(op, Number(m[2]), `${m[1]}${m[2]}`);
  }
  matches(buildNumber) {
    const v = this.value;
    switch (this.operator) {
      case void 0:
        return true;
      case "==":
        return buildNumber === v;
      case "!=":
        return buildNumber !== v;
      case "<":
        return buildNumber < v;
      case "<=":
        return buildNumber <= v;
      case ">":
        return buildNumber > v;
      case ">=":
        return buildNumber >= v;
    }
  }
  get isAny() {
    return this.operator === void 0;
  }
  /** The build number when exactly one is allowed. */
  get exactValue() {
    return this.operator === "==" ? this.value : void 0;
  }
  /** Equal for equal meaning (`3` and `=3`). */
  get key() {
    return this.operator === void 0 ? "*" : `${this.operator}${this.value}`;
  }
  equals(other) {
    return this.operator === other.operator && (this.operator === void 0 || this.value === other.value);
  }
  toString() {
    return this.text;
  }
};
function bad(text, why) {
  return new SpecError(`invalid build number spec '${text}': ${why}`, { input: text });
}

// core/spec/record-like.ts
function recordFeatures(value) {
  if (value === void 0) return [];
  if (typeof value !== "string") return value.map((x) => x.trim()).filter((x) => x !== "");
  return value.replaceAll(",", " ").split(" ").filter((x) => x !== "");
}

// core/spec/string-matcher.ts
var StringMatcher = class _StringMatcher {
  kind;
  /** The pattern as it will be printed (lower-cased for case-insensitive matchers). */
  pattern;
  regex;
  caseInsensitive;
  constructor(kind, pattern, regex, caseInsensitive) {
    this.kind = kind;
    this.pattern = pattern;
    this.regex = regex;
    this.caseInsensitive = caseInsensitive;
  }
  static parse(pattern, options = {}) {
    const ci = options.caseInsensitive === true;
    if (options.allowRegex !== false && pattern.length >= 2 && pattern.startsWith("^") && pattern.endsWith("$")) {
      try {
        return new _StringMatcher("regex", pattern, new RegExp(pattern, ci ? "i" : ""), ci);
      } catch (e) {
        throw new SpecError(`invalid regular expression '${pattern}': ${e.message}`, { input: pattern });
      }
    }
    const text = ci ? pattern.toLowerCase() : pattern;
    if (text.includes("*")) {
      return new _StringMatcher("glob", text, globToRegExp(text), ci);
    }
    return new _StringMatcher("exact", text, void 0, ci);
  }
  matches(value) {
    const v = this.caseInsensitive ? value.toLowerCase() : value;
    if (this.kind === "exact") return v === this.pattern;
    return this.regex.test(v);
  }
  /** The value when the matcher accepts exactly one string, else undefined. */
  get exactValue() {
    return this.kind === "exact" ? this.pattern : void 0;
  }
  /** True for the glob `*`, which accepts everything. */
  get matchesAll() {
    return this.kind === "glob" && /^\*+$/.test(this.pattern);
  }
  /** The regex source equivalent to this matcher (anchored), for merging patterns. */
  get regexSource() {
    if (this.kind === "regex") return this.pattern.slice(1, -1);
    if (this.kind === "glob") return escapeRegExp(this.pattern).replaceAll("\\*", ".*");
    return escapeRegExp(this.pattern);
  }
  toString() {
    return this.pattern;
  }
};
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&");
}
function globToRegExp(glob) {
  return new RegExp("^(?:" + escapeRegExp(glob).replaceAll("\\*", ".*") + ")$", "s");
}

// core/spec/match-spec-format.ts
function fnUnlessDerived(fn, url) {
  if (fn === void 0 || url === void 0) return fn;
  const base = url.slice(url.lastIndexOf("/") + 1);
  let decoded = base;
  try {
    decoded = decodeURIComponent(base);
  } catch {
  }
  return fn === base || fn === decoded ? void 0 : fn;
}
function quoteIfNeeded(key, value) {
  return /[, =]/.test(value) ? `${key}='${value}'` : `${key}=${value}`;
}
function pyList(items) {
  return "[" + [...items].sort().map((x) => `'${x}'`).join(", ") + "]";
}
function renderCanonical(m) {
  const builder = [];
  const brackets = [];
  const channelExact = m.channel !== void 0 && !m.channel.includes("*");
  if (channelExact) builder.push(m.channel);
  else if (m.channel !== void 0 && m.channel !== "*") brackets.push(quoteIfNeeded("channel", m.channel));
  if (m.subdir !== void 0) {
    if (channelExact && isKnownSubdir(m.subdir)) builder.push(`/${m.subdir}`);
    else brackets.push(quoteIfNeeded("subdir", m.subdir));
  }
  const ns = m.namespace !== void 0 && m.namespace !== "" ? m.namespace : "";
  builder.push(builder.length > 0 ? `:${ns}:${m.name}` : ns !== "" ? `${ns}:${m.name}` : m.name);
  let versionExact = false;
  if (m.version !== void 0 && !m.version.isAny) {
    const v = m.version.toString();
    if (/[><$^|,]/.test(v)) brackets.push(`version='${v}'`);
    else if (v.startsWith("!=") || v.startsWith("~=")) {
      if (m.build !== void 0) brackets.push(`version='${v}'`);
      else builder.push(v);
    } else if (m.version.root.kind !== "operator") {
      brackets.push(`version='${v}'`);
    } else if (v.endsWith(".*")) builder.push("=" + v.slice(0, -2));
    else if (v.endsWith("*")) builder.push("=" + v.slice(0, -1));
    else if (v.startsWith("==")) {
      builder.push(v);
      versionExact = true;
    } else if (v.startsWith("=")) {
      builder.push(v);
    } else {
      builder.push("==" + v);
      versionExact = true;
    }
  }
  if (m.build !== void 0) {
    const b = m.build.toString();
    if (/[><$^|,]/.test(b)) brackets.push(`build='${b}'`);
    else if (b.includes("*")) brackets.push(`build=${b}`);
    else if (versionExact) builder.push("=" + b);
    else brackets.push(`build=${b}`);
  }
  if (m.buildNumber !== void 0) brackets.push(quoteIfNeeded("build_number", m.buildNumber.toString()));
  if (m.trackFeatures !== void 0) brackets.push(quoteIfNeeded("track_features", [...m.trackFeatures].sort().join(" ")));
  if (m.features !== void 0) brackets.push(quoteIfNeeded("features", [...m.features].sort().join(" ")));
  const namesFile = m.channel !== void 0 && m.subdir !== void 0 && m.exactValue("version") !== void 0 && m.exactValue("build") !== void 0;
  if (m.url !== void 0 && !namesFile) brackets.push(quoteIfNeeded("url", m.url));
  if (m.md5 !== void 0) brackets.push(quoteIfNeeded("md5", m.md5));
  if (m.sha256 !== void 0) brackets.push(quoteIfNeeded("sha256", m.sha256));
  if (m.license !== void 0) brackets.push(quoteIfNeeded("license", m.license.toString()));
  if (m.licenseFamily !== void 0) brackets.push(quoteIfNeeded("license_family", m.licenseFamily.toString()));
  const fn = fnUnlessDerived(m.fn, m.url);
  if (fn !== void 0) brackets.push(quoteIfNeeded("fn", fn));
  if (m.when !== void 0) brackets.push(quoteIfNeeded("when", m.when));
  if (m.extras !== void 0) brackets.push(`extras=${pyList(m.extras)}`);
  if (m.flags !== void 0) brackets.push(`flags=${pyList(m.flags)}`);
  if (brackets.length > 0) builder.push(`[${brackets.join(",")}]`);
  let out = builder.join("");
  if (m.optional || m.target !== void 0) {
    const opts = [m.target !== void 0 ? `target=${m.target}` : void 0, m.optional ? "optional" : void 0].filter((x) => x !== void 0);
    out += `(${opts.join(",")})`;
  }
  return out;
}

// core/spec/match-spec-brackets.ts
function fail(input, why) {
  return new SpecError(`invalid match spec '${input}': ${why}`, { input });
}
function parseBracketList(s, open, input) {
  const pairs = /* @__PURE__ */ new Map();
  let i = open + 1;
  const skipSpace = () => {
    while (i < s.length && (s[i] === " " || s[i] === "	")) i++;
  };
  for (; ; ) {
    skipSpace();
    if (i >= s.length) throw fail(input, "missing ']' after the bracket section");
    if (s[i] === "]") return { pairs, end: i + 1 };
    const keyStart = i;
    while (i < s.length && /[A-Za-z0-9_-]/.test(s[i])) i++;
    const key = s.slice(keyStart, i);
    skipSpace();
    const glued = key === "version" || key === "build_number" ? /^(?:[<>]=?|!=|~=|==)/.exec(s.slice(i)) : null;
    if (glued !== null) {
      const start = i;
      while (i < s.length && s[i] !== "," && s[i] !== "]" && s[i] !== " ") i++;
      if (pairs.has(key)) throw fail(input, `'${key}' is given twice in brackets`);
      pairs.set(key, { kind: "scalar", text: s.slice(start, i) });
      skipSpace();
      if (s[i] === ",") i++;
      continue;
    }
    if (key === "" || s[i] !== "=") {
      const word = s.slice(keyStart).split(/[,\]]/)[0].trim();
      throw fail(input, `expected key=value in brackets, found '${word}'${word && !word.includes("=") ? ` (for extras write extras=[${word}])` : ""}`);
    }
    i++;
    skipSpace();
    let value;
    const c = s[i];
    if (c === '"' || c === "'") {
      const close = findClosingQuote(s, i, c);
      if (close < 0) throw fail(input, `unterminated quote in the value of '${key}'`);
      const text = s.slice(i + 1, close);
      i = close + 1;
      value = text.startsWith("[") && text.endsWith("]") && (key === "extras" || key === "flags") ? { kind: "list", items: splitList(text.slice(1, -1), input, key) } : { kind: "scalar", text };
    } else if (c === "[") {
      const close = findClosingBracket(s, i);
      if (close < 0) throw fail(input, `unbalanced '[' in the value of '${key}'`);
      value = { kind: "list", items: splitList(s.slice(i + 1, close), input, key) };
      i = close + 1;
    } else {
      const start = i;
      let depth = 0;
      while (i < s.length) {
        const ch = s[i];
        if (ch === "[") depth++;
        else if (ch === "]") {
          if (depth === 0) break;
          depth--;
        } else if ((ch === "," || ch === " ") && depth === 0) break;
        else if ((ch === '"' || ch === "'") && depth > 0) {
          const close = s.indexOf(ch, i + 1);
          if (close > 0) i = close;
        }
        i++;
      }
      value = { kind: "scalar", text: s.slice(start, i) };
    }
    if (value.kind === "scalar" && value.text.trim() === "" && key !== "when") throw fail(input, `'${key}' has an empty value`);
    if (value.kind === "scalar" && value.text.trim() === "" && key === "when") throw fail(input, "'when' needs a condition");
    if (pairs.has(key)) throw fail(input, `'${key}' is given twice in brackets`);
    pairs.set(key, value);
    skipSpace();
    if (s[i] === ",") i++;
    else if (s[i] !== "]" && i < s.length && !/[A-Za-z]/.test(s[i])) throw fail(input, `unexpected '${s[i]}' in brackets`);
  }
}
function findClosingQuote(s, open, q) {
  let depth = 0;
  for (let j = open + 1; j < s.length; j++) {
    const ch = s[j];
    if (ch === "\\") {
      j++;
      continue;
    }
    if (ch === "[" || ch === "(") depth++;
    else if ((ch === "]" || ch === ")") && depth > 0) depth--;
    if (ch !== q || depth > 0) continue;
    let k = j + 1;
    while (k < s.length && s[k] === " ") k++;
    if (k >= s.length || s[k] === "," || s[k] === "]") return j;
    if (k > j + 1 && /^[A-Za-z0-9_-]+=/.test(s.slice(k))) return j;
  }
  return -1;
}
function findClosingBracket(s, open) {
  let depth = 0;
  let quote;
  for (let j = open; j < s.length; j++) {
    const ch = s[j];
    if (quote) {
      if (ch === quote) quote = void 0;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[") depth++;
    else if (ch === "]" && --depth === 0) return j;
  }
  return -1;
}
function splitList(body, input, key) {
  const raw = body.split(",").map((x) => x.trim());
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop();
  if (raw.length === 0) throw fail(input, `'${key}' has an empty list`);
  return raw.map((x) => {
    if (x === "") throw fail(input, `'${key}' has an empty item`);
    const m = /^(['"])(.*)\1$/.exec(x);
    return m ? m[2] : x;
  });
}

// core/spec/package-name.ts
var NAME = /^[a-z0-9_][a-z0-9_.-]*$/;
var DOUBLED = /\.\.|--|\.-|-\./;
function packageNameProblem(name, glob = false) {
  const n = name.toLowerCase();
  if (n === "") return "the package name is empty";
  if (glob && n.includes("*")) {
    const letters = n.replaceAll("*", "");
    if (letters === "") return void 0;
    if (!/^[a-z0-9_.-]+$/.test(letters)) return `'${name}' has characters a package name cannot have (use a-z, 0-9, '_', '-', '.')`;
    return void 0;
  }
  if (!NAME.test(n)) {
    if (/^[.-]/.test(n)) return `'${name}' starts with '${n[0]}'; package names start with a letter, digit or '_'`;
    return `'${name}' has characters a package name cannot have (use a-z, 0-9, '_', '-', '.')`;
  }
  if (DOUBLED.test(n)) return `'${name}' repeats a separator ('..', '--')`;
  return void 0;
}
function assertPackageName(name, input, glob = false) {
  const problem = packageNameProblem(name, glob);
  if (problem !== void 0) throw new SpecError(`invalid package name in '${input}': ${problem}`, { input });
}

// core/spec/version-spec.ts
var RELATION2 = /^(==|!=|<=|>=|~=|=|<|>)(?![=<>!~])(\S+)$/;
var NEEDS_TREE = /[()|,^$]/;
var OPERATOR_START = /* @__PURE__ */ new Set(["=", "<", ">", "!", "~"]);
var VersionSpec = class _VersionSpec {
  root;
  text;
  constructor(root, text) {
    this.root = root;
    this.text = text;
  }
  static parse(text, options = {}) {
    const strict = options.strict === true;
    const trimmed = text.trim();
    if (trimmed === "") throw invalid(text, "empty version spec");
    const root = NEEDS_TREE.test(trimmed) ? parseTree(trimmed, text, strict) : parseLeaf(trimmed, text, strict);
    return new _VersionSpec(root, render(root, false));
  }
  /** The spec matching every version. */
  static ANY = new _VersionSpec({ kind: "any" }, "*");
  /** Does the version (a Version or its text) satisfy the spec? Unparsable versions match only regex and exact-string leaves. */
  matches(version) {
    return matchNode(this.root, version);
  }
  /** True when the spec names exactly one version (`==1.2` or bare `1.2`). */
  get isExact() {
    return this.root.kind === "operator" && this.root.operator === "==" || this.root.kind === "exact-string";
  }
  /** The version string of an exact spec, else undefined. */
  get exactValue() {
    if (this.root.kind === "exact-string") return this.root.text;
    if (this.root.kind === "operator" && this.root.operator === "==") return this.root.version.source;
    return void 0;
  }
  get isAny() {
    return this.root.kind === "any";
  }
  /** Conda's canonical spelling, which parses back to the same spec. */
  toString() {
    return this.text;
  }
  /** Same meaning, written differently or not: compares the normalized trees. */
  equals(other) {
    return normalizedKey(this.root) === normalizedKey(other.root);
  }
  /** A string that is equal for specs written differently with the same tree (`1.2` vs `==1.2`, `1.2*` vs `=1.2`). */
  get key() {
    return normalizedKey(this.root);
  }
};
function invalid(text, why) {
  return new SpecError(`invalid version spec '${text}': ${why}`, { input: text });
}
function tokenize(spec) {
  const tokens = [];
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c === " " || c === "	") {
      i++;
    } else if (c === "(" || c === ")" || c === "|" || c === ",") {
      tokens.push(c);
      i++;
    } else if (c === "^" && spec.indexOf("$", i) > 0) {
      const end = spec.indexOf("$", i);
      tokens.push(spec.slice(i, end + 1));
      i = end + 1;
    } else {
      let j = i;
      while (j < spec.length && !"()|,".includes(spec[j])) j++;
      tokens.push(spec.slice(i, j).trim());
      i = j;
    }
  }
  return tokens;
}
function treeify(spec, original) {
  const tokens = tokenize(spec);
  const output = [];
  const stack = ["("];
  const apply = (stop) => {
    while (stack.length > 0 && !stop.includes(stack[stack.length - 1])) {
      if (output.length < 2) throw invalid(original, "an operator is missing an operand");
      const op = stack.pop();
      const right = output.pop();
      const left = output.pop();
      const items = [];
      for (const side of [left, right]) {
        if (typeof side !== "string" && side.op === op) items.push(...side.items);
        else items.push(side);
      }
      output.push({ op, items });
    }
  };
  for (const tok of [...tokens, ")"]) {
    if (tok === "|") {
      apply("(");
      stack.push("|");
    } else if (tok === ",") {
      apply("|(");
      stack.push(",");
    } else if (tok === "(") {
      stack.push("(");
    } else if (tok === ")") {
      apply("(");
      if (stack.length === 0 || stack[stack.length - 1] !== "(") throw invalid(original, "unbalanced ')'");
      stack.pop();
    } else {
      if (tok === "") throw invalid(original, "empty expression");
      output.push(tok);
    }
  }
  if (stack.length > 0) throw invalid(original, "unbalanced '('");
  if (output.length !== 1) throw invalid(original, "unable to read the expression");
  return output[0];
}
function parseTree(spec, original, strict) {
  const build = (t) => {
    if (typeof t === "string") return parseLeaf(t, original, strict);
    return { kind: t.op === "|" ? "or" : "and", children: t.items.map(build) };
  };
  return build(treeify(spec, original));
}
function parseLeaf(leaf, original, strict) {
  const text = leaf.trim();
  if (text === "") throw invalid(original, "empty expression");
  if (text[0] === "^" || text[text.length - 1] === "$") {
    if (text[0] !== "^" || text[text.length - 1] !== "$") throw invalid(original, "regex specs must start with '^' and end with '$'");
    let regex;
    try {
      regex = new RegExp(text);
    } catch (e) {
      throw invalid(original, `bad regular expression: ${e.message}`);
    }
    return { kind: "regex", regex, text };
  }
  if (OPERATOR_START.has(text[0])) {
    const m = RELATION2.exec(text.replace(/^([=<>!~]+)\s+/, "$1"));
    if (m === null) throw invalid(original, `invalid operator in '${text}'`);
    let operator = m[1];
    let versionText = m[2];
    if (versionText === "*" || versionText === "*.*") {
      if (strict) throw invalid(original, `'${text}': '*' cannot follow an operator; write '*'`);
      if (operator === ">" || operator === "<" || operator === "!=") throw invalid(original, `'${text}' matches no version`);
      return { kind: "any" };
    }
    if (versionText.endsWith(".*")) {
      if (strict && operator !== "!=") throw invalid(original, `'${operator}' with '.*' is ambiguous; write '${operator}${versionText.slice(0, -2)}' or '${versionText}'`);
      if (operator === "~=") throw invalid(original, "'~=' cannot be combined with '.*'");
      if (operator === "!=") operator = "!=startswith";
      versionText = versionText.slice(0, -2);
    } else if (versionText.endsWith("*")) {
      if (strict) throw invalid(original, `'${text}': '*' cannot follow an operator`);
      if (operator === "=") versionText = versionText.replace(/\*+$/, "").replace(/\.$/, "");
    }
    if (strict && versionText.includes("*")) throw invalid(original, `'${text}': '*' cannot follow an operator`);
    const version = parseVersion(versionText, original);
    const shown = operator === "!=startswith" ? `!=${versionText}.*` : operator === "=" && text.endsWith("*") ? `=${versionText}.*` : text;
    return { kind: "operator", operator, version, text: shown };
  }
  if (text === "*") return { kind: "any" };
  if (strict && /^\*(\.\*)+$/.test(text)) throw invalid(original, `'${text}' is ambiguous in strict mode; write '*'`);
  const body = text.replace(/\*+$/, "");
  if (body.includes("*")) {
    if (strict) throw invalid(original, `'${text}': '*' may only end a version pattern`);
    const rx = "^(?:" + text.replace(/[.+]/g, (c) => "\\" + c).replaceAll("*", ".*") + ")$";
    return { kind: "regex", regex: new RegExp(rx), text };
  }
  if (text.endsWith("*")) {
    let prefix = body.endsWith(".") ? body.slice(0, -1) : body;
    if (strict && (body.endsWith("*") || /\.\*\.?$/.test(text.slice(0, -1)))) throw invalid(original, `'${text}' repeats '.*'`);
    if (prefix === "") return { kind: "any" };
    return { kind: "operator", operator: "=", version: parseVersion(prefix, original), text: prefix + ".*" };
  }
  if (text.includes("@")) return { kind: "exact-string", text };
  if (strict) throw invalid(original, `a bare version is ambiguous in strict mode; write '==${text}' or '${text}.*'`);
  return { kind: "operator", operator: "==", version: parseVersion(text, original), text };
}
function parseVersion(text, original) {
  try {
    return Version.parse(text);
  } catch (e) {
    throw invalid(original, e.message);
  }
}
function matchNode(node, version) {
  switch (node.kind) {
    case "any":
      return typeof version !== "string" || Version.tryParse(version) !== void 0;
    case "regex":
      return node.regex.test(typeof version === "string" ? version : version.source);
    case "exact-string":
      return (typeof version === "string" ? version : version.source) === node.text;
    case "and":
      for (const c of node.children) if (!matchNode(c, version)) return false;
      return true;
    case "or":
      for (const c of node.children) if (matchNode(c, version)) return true;
      return false;
    case "operator": {
      const v = typeof version === "string" ? Version.tryParse(version) : version;
      if (v === void 0) return false;
      return applyOperator(node.operator, v, node.version);
    }
  }
}
function applyOperator(op, v, target) {
  switch (op) {
    case "==":
      return v.compare(target) === 0;
    case "!=":
      return v.compare(target) !== 0;
    case "<":
      return v.compare(target) < 0;
    case "<=":
      return v.compare(target) <= 0;
    case ">":
      return v.compare(target) > 0;
    case ">=":
      return v.compare(target) >= 0;
    case "=":
      return v.startsWith(target);
    case "!=startswith":
      return !v.startsWith(target);
    case "~=":
      if (v.compare(target) < 0) return false;
      const prefix = compatiblePrefix(target);
      return prefix === null || v.startsWith(prefix);
  }
}
var prefixCache = /* @__PURE__ */ new WeakMap();
function compatiblePrefix(target) {
  let p = prefixCache.get(target);
  if (p === void 0) {
    const parts = target.normalized.split(".");
    p = parts.length > 1 ? Version.parse(parts.slice(0, -1).join(".")) : null;
    prefixCache.set(target, p);
  }
  return p;
}
function render(node, inAnd) {
  switch (node.kind) {
    case "any":
      return "*";
    case "operator":
    case "regex":
    case "exact-string":
      return node.text;
    case "or": {
      const s = node.children.map((c) => render(c, false)).join("|");
      return inAnd ? `(${s})` : s;
    }
    case "and":
      return node.children.map((c) => render(c, true)).join(",");
  }
}
function normalizedKey(node) {
  switch (node.kind) {
    case "any":
      return "*";
    case "operator": {
      const op = node.operator === "=" ? "=" : node.operator;
      return `${op}${node.version.normalized}`;
    }
    case "regex":
      return `re:${node.regex.source}`;
    case "exact-string":
      return `s:${node.text}`;
    case "and":
    case "or":
      return `${node.kind}(${node.children.map(normalizedKey).join(";")})`;
  }
}

// core/spec/match-spec-parse.ts
var BRACKET_KEYS = /* @__PURE__ */ new Set([
  "name",
  "version",
  "build",
  "build_number",
  "channel",
  "subdir",
  "md5",
  "sha256",
  "license",
  "license_family",
  "track_features",
  "features",
  "fn",
  "url",
  "when",
  "extras",
  "flags",
  "namespace"
]);
var PACKAGE_FILE = /\.(conda|tar\.bz2)(#[0-9a-fA-F]{32}|#sha256:[0-9a-fA-F]{64}|#[0-9a-fA-F]{64})?$/;
var VERSION_BUILD = /((?:.+?)[^><!,|]?)(?:(?<![=!|,<>~])(?:[ =])([^-=,|<>~]+?))?$/;
var NAME_REST = /^([^ =<>!~]+)?([><!=~ ].*)?$/s;
var CACHE_LIMIT = 2e5;
var specCache = /* @__PURE__ */ new Map();
var versionCache = /* @__PURE__ */ new Map();
var buildCache = /* @__PURE__ */ new Map();
var FAST = /^([a-z0-9_][a-z0-9_.-]*)(?: ([^\s=[\]#:@()'"]+|[<>!=~]=[^\s=[\]#:@()'"]+|[<>][^\s=[\]#:@()'"]+))?(?: ([^\s\-=,|<>~[\]#:@()'"]+))?$/;
var DOUBLED_SEPARATORS = /\.\.|--|\.-|-\./;
function parseFast(text) {
  const m = FAST.exec(text);
  if (m === null) return void 0;
  const name = m[1];
  const version = m[2];
  const build = m[3];
  if (DOUBLED_SEPARATORS.test(name) || version !== void 0 && /[=<>!~,|]$/.test(version) || version === "if") return void 0;
  const p = emptyParsed();
  p.name = name;
  p.nameMatcher = exactName(name);
  if (version !== void 0) {
    let v = versionCache.get(version);
    if (v === void 0) {
      try {
        v = VersionSpec.parse(/^\*(\.\*)+$/.test(version) ? "*" : version);
      } catch {
        return void 0;
      }
      if (versionCache.size >= CACHE_LIMIT) versionCache.clear();
      versionCache.set(version, v);
    }
    p.version = v;
  }
  if (build !== void 0) {
    let b = buildCache.get(build);
    if (b === void 0) {
      b = StringMatcher.parse(build);
      if (buildCache.size >= CACHE_LIMIT) buildCache.clear();
      buildCache.set(build, b);
    }
    p.build = b;
  }
  return p;
}
var nameCache = /* @__PURE__ */ new Map();
function exactName(name) {
  let m = nameCache.get(name);
  if (m === void 0) {
    m = StringMatcher.parse(name, { caseInsensitive: true });
    if (nameCache.size >= CACHE_LIMIT) nameCache.clear();
    nameCache.set(name, m);
  }
  return m;
}
var ANY_NAME = StringMatcher.parse("*");
function emptyParsed() {
  return {
    name: "*",
    nameMatcher: ANY_NAME,
    version: void 0,
    build: void 0,
    buildNumber: void 0,
    channel: void 0,
    subdir: void 0,
    md5: void 0,
    sha256: void 0,
    license: void 0,
    licenseFamily: void 0,
    trackFeatures: void 0,
    features: void 0,
    fn: void 0,
    url: void 0,
    when: void 0,
    extras: void 0,
    flags: void 0,
    namespace: void 0,
    optional: false,
    target: void 0
  };
}
function parsedOf(s) {
  const p = emptyParsed();
  for (const k of Object.keys(p)) {
    if (k === "nameMatcher") continue;
    p[k] = s[k];
  }
  p.nameMatcher = s.name === "*" ? ANY_NAME : StringMatcher.parse(s.name, { caseInsensitive: true });
  return p;
}
function fail2(input, why) {
  return new SpecError(`invalid match spec '${input}': ${why}`, { input });
}
function parseSpec(input, options) {
  const p = emptyParsed();
  let s = input.trim();
  if (s === "") {
    if (options.strict) throw fail2(input, "empty spec");
    return p;
  }
  if (/^[A-Za-z0-9_.-]+@$/.test(s)) {
    p.trackFeatures = [s.slice(0, -1)];
    return p;
  }
  if (PACKAGE_FILE.test(s)) return parsePackageFile(s, input, p);
  const hash = s.indexOf("#");
  if (hash >= 0) s = s.slice(0, hash).trim();
  const cond = s.indexOf(" if ");
  if (cond >= 0) s = s.slice(0, cond);
  if (s === "") throw fail2(input, "nothing before the comment");
  const mambaChannel = /^([^[\s:]+)\[([a-z0-9-]+)\]::/.exec(s);
  let channelText;
  let subdirFromChannel;
  if (mambaChannel) {
    channelText = mambaChannel[1];
    subdirFromChannel = mambaChannel[2];
    s = s.slice(mambaChannel[0].length);
  }
  let brackets;
  const open = s.indexOf("[");
  if (open >= 0) {
    const result = parseBracketList(s, open, input);
    brackets = result.pairs;
    const after = s.slice(result.end);
    if (after.includes("[")) throw fail2(input, "only one bracket section is allowed");
    s = s.slice(0, open) + after;
  }
  const parens = /\(([^()]*)\)\s*$/.exec(s);
  if (parens && /^\s*(?:[A-Za-z0-9_-]+=[^,()]*|optional)(?:\s*,\s*(?:[A-Za-z0-9_-]+=[^,()]*|optional))*\s*$/.test(parens[1])) {
    for (const item of parens[1].split(",").map((x) => x.trim())) {
      if (item === "optional") p.optional = true;
      else if (item.startsWith("target=")) p.target = item.slice(7);
    }
    s = s.slice(0, parens.index);
  }
  const lastColon = s.lastIndexOf(":");
  if (lastColon >= 0) {
    const head = s.slice(0, lastColon);
    const prev = head.lastIndexOf(":");
    const beforeAuthority = prev >= 0 && head.slice(prev, prev + 3) === "://";
    if (prev >= 0 && !beforeAuthority) {
      channelText = head.slice(0, prev);
      p.namespace = head.slice(prev + 1);
    } else {
      p.namespace = head;
    }
    s = s.slice(lastColon + 1);
    if (channelText !== void 0) {
      if (!isValidChannelText(channelText)) throw fail2(input, `invalid channel '${channelText}'`);
    }
  }
  if (channelText !== void 0 && channelText !== "") {
    const c = channelText.includes("*") ? { name: channelText.split("/")[0], subdir: channelText.split("/")[1] } : splitChannel(channelText);
    p.channel = c.name;
    p.subdir = subdirFromChannel ?? c.subdir;
  }
  s = s.replace(/([=<>!~])\s+(?=[^\s=<>!~,|])/g, "$1");
  let rest;
  let nameText;
  if (options.nameless) {
    rest = s.trim();
  } else {
    const m = NAME_REST.exec(s.trimStart());
    if (m === null || m[1] === void 0) throw fail2(input, "no package name found");
    nameText = m[1];
    rest = m[2]?.trim();
  }
  if (nameText !== void 0) setName(p, nameText, input, options);
  let positionalVersion = false;
  let positionalBuild = false;
  if (rest !== void 0 && rest !== "" && rest !== "=") {
    if (rest.includes("[")) throw fail2(input, "only one bracket section is allowed");
    const vb = VERSION_BUILD.exec(rest);
    let version;
    let build;
    if (vb) {
      version = vb[1];
      build = vb[2]?.trim();
      if (options.strict && build !== void 0 && rest[vb.index + vb[1].length] === "=") {
        throw fail2(input, `'${rest}' joins version and build with '='; strict mode wants '${vb[1].replace(/^=(?!=)/, "")} ${build}' or brackets`);
      }
    } else {
      version = rest;
    }
    version = version?.replaceAll(" ", "");
    if (version !== void 0 && /^\*(\.\*)+$/.test(version)) version = "*";
    if (version !== void 0 && options.strict) checkStrictVersion(version, input);
    if (version !== void 0) version = sanitizeVersion(version, build);
    if (version !== void 0 && version !== "") {
      applyField(p, "version", { kind: "scalar", text: version }, input, false, options);
      positionalVersion = true;
    }
    if (build !== void 0 && build !== "") {
      applyField(p, "build", { kind: "scalar", text: build }, input, false, options);
      positionalBuild = true;
    }
  }
  if (brackets) {
    let bracketChannel;
    for (const [key, value] of brackets) {
      if (key === "name") {
        if (nameText === void 0 && value.kind === "scalar") setName(p, value.text, input, options);
        continue;
      }
      if (options.strict && (key === "version" && positionalVersion || key === "build" && positionalBuild)) {
        throw fail2(input, `'${key}' is given both before and inside the brackets`);
      }
      if (key === "channel") {
        if (value.kind !== "scalar") throw fail2(input, "channel takes one value");
        bracketChannel = value.text.includes("*") ? { name: value.text, subdir: void 0 } : splitChannel(value.text);
        continue;
      }
      applyField(p, key, value, input, true, options);
    }
    if (bracketChannel) {
      p.channel = bracketChannel.name;
      if (bracketChannel.subdir !== void 0 && !brackets.has("subdir")) p.subdir = bracketChannel.subdir;
    }
  }
  return p;
}
function isValidChannelText(text) {
  if (text.includes("::") || text.includes("\\")) return false;
  const rest = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^\/?[A-Za-z]:(?=\/)/, "").replace(/:\d+(?=\/|$)/, "");
  return !rest.includes(":");
}
function setName(p, nameText, input, options) {
  const isRegex = nameText.startsWith("^") && nameText.endsWith("$");
  if (options.exactNamesOnly && (isRegex || nameText.includes("*"))) throw fail2(input, `'${nameText}' is not an exact package name`);
  if (!isRegex) assertPackageName(nameText, input, true);
  p.nameMatcher = nameText === "*" ? ANY_NAME : StringMatcher.parse(nameText, { caseInsensitive: true });
  p.name = isRegex ? nameText : nameText.toLowerCase();
}
function checkStrictVersion(text, input) {
  try {
    VersionSpec.parse(text, { strict: true });
  } catch (e) {
    throw fail2(input, e.message);
  }
}
function sanitizeVersion(version, build) {
  if (version === "==" || version === "=") return version;
  if (!version.startsWith("=")) return version;
  const bare = version.replace(/^=+/, "");
  if (version.startsWith("==") && build === void 0) return bare;
  if (!/[=,|]/.test(bare)) {
    if (build === void 0 && !bare.endsWith("*")) return bare + "*";
    return bare;
  }
  return version;
}
function scalar(value, key, input) {
  if (value.kind !== "scalar") throw fail2(input, `'${key}' takes a single value, not a list`);
  return value.text;
}
function listOf(value) {
  if (value.kind === "list") return value.items;
  return value.text.replaceAll(" ", ",").split(",").map((x) => x.trim()).filter((x) => x !== "");
}
function applyField(p, key, value, input, fromBrackets, options) {
  if (!BRACKET_KEYS.has(key)) {
    throw fail2(input, `unknown field '${key}'; use one of ${[...BRACKET_KEYS].join(", ")}`);
  }
  switch (key) {
    case "version": {
      let text = scalar(value, key, input);
      if (fromBrackets && options.strict) checkStrictVersion(text, input);
      if (fromBrackets) text = sanitizeVersion(text, void 0);
      try {
        p.version = VersionSpec.parse(text);
      } catch (e) {
        throw fail2(input, e.message);
      }
      return;
    }
    case "build":
      p.build = StringMatcher.parse(scalar(value, key, input));
      return;
    case "build_number":
      try {
        p.buildNumber = BuildNumberSpec.parse(scalar(value, key, input));
      } catch (e) {
        throw fail2(input, e.message);
      }
      return;
    case "channel": {
      const c = splitChannel(scalar(value, key, input));
      p.channel = c.name;
      if (c.subdir !== void 0) p.subdir = c.subdir;
      return;
    }
    case "subdir":
      p.subdir = scalar(value, key, input);
      return;
    case "md5":
      p.md5 = scalar(value, key, input);
      if (options.strict && !/^[0-9a-fA-F]{32}$/.test(p.md5)) throw fail2(input, `md5 '${p.md5}' is not 32 hex digits`);
      return;
    case "sha256":
      p.sha256 = scalar(value, key, input);
      if (options.strict && !/^[0-9a-fA-F]{64}$/.test(p.sha256)) throw fail2(input, `sha256 '${p.sha256}' is not 64 hex digits`);
      return;
    case "license":
      p.license = StringMatcher.parse(scalar(value, key, input), { caseInsensitive: true });
      return;
    case "license_family":
      p.licenseFamily = StringMatcher.parse(scalar(value, key, input), { caseInsensitive: true });
      return;
    case "track_features":
      p.trackFeatures = listOf(value);
      return;
    case "features":
      p.features = listOf(value);
      return;
    case "fn":
      p.fn = scalar(value, key, input);
      return;
    case "url":
      p.url = scalar(value, key, input);
      return;
    case "namespace":
      p.namespace = scalar(value, key, input);
      return;
    case "when": {
      const text = scalar(value, key, input).trim().replace(/\\(["'])/g, "$1");
      if (text === "") throw fail2(input, "'when' needs a condition");
      validateCondition(text, input);
      p.when = text;
      return;
    }
    case "extras":
    case "flags": {
      const items = value.kind === "list" ? value.items : [value.text];
      if (items.length === 0 || items.some((x) => x === "")) throw fail2(input, `'${key}' needs one or more names`);
      if (key === "extras") p.extras = items;
      else p.flags = items;
      return;
    }
  }
}
function validateCondition(text, input) {
  const atoms = text.replace(/[()]/g, " ").split(/\s+(?:and|or)\s+/);
  for (const atom of atoms) {
    const a = atom.trim();
    if (a === "") throw fail2(input, `empty operand in condition '${text}'`);
    let spec;
    try {
      spec = MatchSpec.parse(a);
    } catch (e) {
      throw fail2(input, `bad condition '${text}': ${e.message}`);
    }
    if (spec.when !== void 0) throw fail2(input, `conditions cannot be nested ('${text}')`);
  }
}
function parsePackageFile(s, input, p) {
  let url = s;
  const hashAt = url.lastIndexOf("#");
  if (hashAt > 0 && /^#(sha256:)?[0-9a-fA-F]{32,64}$/.test(url.slice(hashAt))) {
    const h = url.slice(hashAt + 1);
    if (h.length === 32) p.md5 = h.toLowerCase();
    else p.sha256 = h.replace(/^sha256:/, "").toLowerCase();
    url = url.slice(0, hashAt);
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = pathToFileUrl(url);
  const fileName = decodeURIComponent(url.slice(url.lastIndexOf("/") + 1));
  const stem = fileName.replace(/\.(conda|tar\.bz2)$/, "");
  const channel = channelOfPackageUrl(url);
  p.url = url;
  p.fn = fileName;
  if (channel === void 0) return p;
  const parts = stem.split("-");
  if (parts.length < 3) throw fail2(input, `'${fileName}' is not a package file name (name-version-build)`);
  const build = parts.pop();
  const version = parts.pop();
  const name = parts.join("-");
  setName(p, name, input, {});
  p.version = VersionSpec.parse(version);
  p.build = StringMatcher.parse(build);
  p.channel = channel.name;
  p.subdir = channel.subdir;
  return p;
}
function pathToFileUrl(path) {
  let s = path.replaceAll("\\", "/");
  if (s.startsWith("~/")) s = (process.env.HOME ?? "") + s.slice(1);
  if (/^[A-Za-z]:\//.test(s)) return "file:///" + s;
  if (!s.startsWith("/")) s = process.cwd().replaceAll("\\", "/") + "/" + s;
  return "file://" + s;
}

// core/spec/match-spec-merge.ts
function mergeGlobPatterns(a, b) {
  if (a === b) return a;
  let self = a;
  let other = b;
  const isPattern = (p) => p.includes("*") || p.startsWith("^") && p.endsWith("$");
  if (!isPattern(self) && isPattern(other)) [self, other] = [other, self];
  if (!other.includes("*") && !(other.startsWith("^") && other.endsWith("$"))) {
    return toRegExp(self).test(other) ? other : void 0;
  }
  const oneStar = (p) => p.split("*").length === 2;
  if (oneStar(self) && oneStar(other) && (self[0] === "*" && other[0] === "*" || self.endsWith("*") && other.endsWith("*"))) {
    const s = self.replaceAll("*", "");
    const o = other.replaceAll("*", "");
    if (o.includes(s)) return other;
    if (s.includes(o)) return self;
    return void 0;
  }
  const parts = [self, other].map((p) => p.startsWith("^") && p.endsWith("$") ? p.slice(1, -1) : p.includes("*") ? escapeRegExp(p).replaceAll("\\*", ".*") : p);
  return `^(?=${parts[0]})(?:${parts[1]})$`;
}
function toRegExp(p) {
  if (p.startsWith("^") && p.endsWith("$")) return new RegExp(p);
  return new RegExp("^(?:" + escapeRegExp(p).replaceAll("\\*", ".*") + ")$");
}

// core/spec/match-spec.ts
var MatchSpec = class _MatchSpec {
  /** Package name (lower case), `*` when any name matches. */
  name;
  version;
  build;
  buildNumber;
  /** Canonical channel name (`conda-forge`, `defaults`, or a base URL); `*` means any channel. */
  channel;
  subdir;
  md5;
  sha256;
  license;
  licenseFamily;
  trackFeatures;
  features;
  fn;
  url;
  /** Condition (`__win`, `python >=3.10 and __linux`) under which the dependency applies. */
  when;
  extras;
  flags;
  namespace;
  optional;
  target;
  /** The text this spec was parsed from, if any. */
  original;
  nameMatcher;
  channelMatcher;
  canonical;
  constructor(p, original) {
    this.name = p.name;
    this.nameMatcher = p.nameMatcher;
    this.version = p.version;
    this.build = p.build;
    this.buildNumber = p.buildNumber;
    this.channel = p.channel;
    this.channelMatcher = p.channel !== void 0 && p.channel.includes("*") ? StringMatcher.parse(p.channel) : void 0;
    this.subdir = p.subdir;
    this.md5 = p.md5;
    this.sha256 = p.sha256;
    this.license = p.license;
    this.licenseFamily = p.licenseFamily;
    this.trackFeatures = p.trackFeatures;
    this.features = p.features;
    this.fn = p.fn;
    this.url = p.url;
    this.when = p.when;
    this.extras = p.extras;
    this.flags = p.flags;
    this.namespace = p.namespace;
    this.optional = p.optional;
    this.target = p.target;
    this.original = original;
  }
  /** Parse a match spec; throws SpecError saying what is wrong. Specs are immutable, so repeated texts share one object. */
  static parse(text, options) {
    if (options === void 0 || !options.strict && !options.nameless && !options.exactNamesOnly) {
      let m = specCache.get(text);
      if (m === void 0) {
        m = new _MatchSpec(parseFast(text) ?? parseSpec(text, {}), text);
        if (specCache.size >= CACHE_LIMIT) specCache.clear();
        specCache.set(text, m);
      }
      return m;
    }
    return new _MatchSpec(parseSpec(text, options), text);
  }
  /** The general parser alone, without the fast path or the cache (tests compare the two). */
  static parseGeneral(text, options = {}) {
    return new _MatchSpec(parseSpec(text, options), text);
  }
  /** Forget cached specs (benchmarks measure cold parsing with it). */
  static clearCache() {
    specCache.clear();
    versionCache.clear();
    buildCache.clear();
    nameCache.clear();
  }
  /** Parse, or undefined when the text is not a valid spec. */
  static tryParse(text, options = {}) {
    try {
      return _MatchSpec.parse(text, options);
    } catch {
      return void 0;
    }
  }
  /** Build a spec from fields (as conda's `MatchSpec(name=…, version=…)`), optionally on top of a parsed spec. */
  static fromFields(fields, base) {
    const p = base ? parsedOf(base) : emptyParsed();
    const input = JSON.stringify(fields);
    for (const [key, raw] of Object.entries(fields)) {
      if (raw === void 0) continue;
      if (key === "optional") p.optional = raw === true;
      else if (key === "target") p.target = String(raw);
      else if (key === "name") setName(p, String(raw), input, {});
      else applyField(p, key, Array.isArray(raw) ? { kind: "list", items: raw.map(String) } : { kind: "scalar", text: String(raw) }, input, false, {});
    }
    return new _MatchSpec(p, base?.original);
  }
  /** Does a repodata-style record satisfy every field of the spec? */
  matches(record) {
    if (this.name !== "*" && !this.nameMatcher.matches(record.name)) return false;
    if (this.version !== void 0 && !this.version.isAny && !this.version.matches(record.version)) return false;
    if (this.build !== void 0 && !this.build.matches(record.build ?? "")) return false;
    if (this.buildNumber !== void 0 && !this.buildNumber.matches(record.build_number ?? 0)) return false;
    if (this.channel !== void 0 && this.channel !== "*") {
      const rc = record.channel;
      if (rc === void 0 || rc === null) return false;
      if (this.channelMatcher !== void 0 ? !this.channelMatcher.matches(splitChannel(rc).name) : !channelNameMatches(this.channel, rc)) return false;
    }
    if (this.subdir !== void 0 && record.subdir !== this.subdir) return false;
    if (this.md5 !== void 0 && record.md5 !== this.md5) return false;
    if (this.sha256 !== void 0 && record.sha256 !== this.sha256) return false;
    if (this.license !== void 0 && !this.license.matches(record.license ?? "")) return false;
    if (this.licenseFamily !== void 0 && !this.licenseFamily.matches(record.license_family ?? "")) return false;
    if (this.trackFeatures !== void 0 && !sameSet(this.trackFeatures, recordFeatures(record.track_features))) return false;
    if (this.features !== void 0 && !sameSet(this.features, recordFeatures(record.features))) return false;
    if (this.fn !== void 0 && record.fn !== this.fn) return false;
    if (this.url !== void 0 && record.url !== this.url) return false;
    if (this.flags !== void 0) {
      const have = record.flags ?? [];
      for (const f of this.flags) {
        const m = StringMatcher.parse(f);
        if (!have.some((h) => m.matches(h))) return false;
      }
    }
    return true;
  }
  /** True for virtual packages (`__glibc`, `__cuda`, …). */
  get isVirtual() {
    return this.nameMatcher.kind === "regex" ? this.name.startsWith("^__") : this.name.startsWith("__");
  }
  /** The value when the field is given exactly (`==1.2`, an exact build string), else undefined. */
  exactValue(field) {
    switch (field) {
      case "name":
        return this.nameMatcher.exactValue;
      case "version":
        return this.version?.exactValue;
      case "build":
        return this.build?.exactValue;
      case "build_number": {
        const v = this.buildNumber?.exactValue;
        return v === void 0 ? void 0 : String(v);
      }
      case "channel":
        return this.channel === void 0 || this.channel.includes("*") ? void 0 : this.channel;
      default:
        return this[field];
    }
  }
  /** conda-build's old strictness: 1 name only, 2 name and version, 3 anything more. */
  get strictness() {
    const extra = this.fieldNames().filter((f) => f !== "name" && f !== "version" && f !== "build");
    if (extra.length > 0 || this.nameMatcher.exactValue === void 0 || this.build !== void 0) return 3;
    return this.version !== void 0 ? 2 : 1;
  }
  /** mamba's "simple" spec: an exact name with at most a plain version range and a build string. */
  get isSimple() {
    if (this.nameMatcher.exactValue === void 0) return false;
    if (this.fieldNames().some((f) => f !== "name" && f !== "version" && f !== "build")) return false;
    if (this.namespace !== void 0 && this.namespace !== "") return false;
    const root = this.version?.root;
    if (root === void 0 || root.kind === "any" || root.kind === "operator") return true;
    if (root.kind === "and" && root.children.length === 2) return root.children.every((c) => c.kind === "operator");
    return false;
  }
  /** Names of the fields this spec constrains, in conda's field order. */
  fieldNames() {
    const out = [];
    if (this.channel !== void 0) out.push("channel");
    if (this.subdir !== void 0) out.push("subdir");
    out.push("name");
    if (this.version !== void 0) out.push("version");
    if (this.build !== void 0) out.push("build");
    if (this.buildNumber !== void 0) out.push("build_number");
    if (this.trackFeatures !== void 0) out.push("track_features");
    if (this.features !== void 0) out.push("features");
    if (this.url !== void 0) out.push("url");
    if (this.md5 !== void 0) out.push("md5");
    if (this.sha256 !== void 0) out.push("sha256");
    if (this.license !== void 0) out.push("license");
    if (this.licenseFamily !== void 0) out.push("license_family");
    if (this.fn !== void 0) out.push("fn");
    if (this.when !== void 0) out.push("when");
    if (this.extras !== void 0) out.push("extras");
    if (this.flags !== void 0) out.push("flags");
    return out;
  }
  /** conda's canonical string (`str(MatchSpec)`). */
  toString() {
    this.canonical ??= renderCanonical(this);
    return this.canonical;
  }
  /** conda-build's `name version build` form. */
  condaBuildForm() {
    const parts = [this.name];
    const version = this.version?.toString();
    const build = this.build?.toString();
    if (build !== void 0) parts.push(version ?? "*", build);
    else if (version !== void 0) parts.push(version);
    return parts.join(" ");
  }
  /** `conda env export` form: `name=version=build`, no channel. */
  condaEnvForm() {
    let s = this.toString();
    const i = s.indexOf("::");
    if (i >= 0) s = s.slice(i + 2);
    return s.replace("==", "=");
  }
  /** Same constraints (versions compared by meaning: `1.2` equals `==1.2`). */
  equals(other) {
    return this.key === other.key;
  }
  get key() {
    return JSON.stringify([
      this.name,
      this.version?.isAny ? void 0 : this.version?.key,
      this.build?.pattern,
      this.buildNumber?.key,
      this.channel === "*" ? void 0 : this.channel,
      this.subdir,
      this.md5,
      this.sha256,
      this.license?.pattern,
      this.licenseFamily?.pattern,
      sortedCopy(this.trackFeatures),
      sortedCopy(this.features),
      fnUnlessDerived(this.fn, this.url),
      this.url,
      this.when,
      sortedCopy(this.extras),
      sortedCopy(this.flags),
      this.optional,
      this.target
    ]);
  }
  /** conda's MatchSpec.merge: combine specs for the same name into one; throws SpecError on a conflict. */
  static merge(specs) {
    const sorted = [...specs].sort((a, b) => a.toString() < b.toString() ? -1 : a.toString() > b.toString() ? 1 : 0);
    const groups = /* @__PURE__ */ new Map();
    const unmergeable = [];
    for (const s of sorted) {
      if (s.name === "*" || s.nameMatcher.exactValue === void 0) {
        unmergeable.push(s);
        continue;
      }
      const g = groups.get(s.name);
      if (g) g.push(s);
      else groups.set(s.name, [s]);
    }
    const merged = [];
    for (const group of groups.values()) merged.push(group.reduce((a, b) => new _MatchSpec(mergeParsed(a, b), void 0)));
    return [...merged, ...unmergeable];
  }
};
function mergeParsed(a, b) {
  if (a.optional !== b.optional || a.target !== b.target) throw new SpecError(`cannot merge '${a}' and '${b}': different options`);
  const conflict = (field, x, y) => new SpecError(`cannot merge '${a}' and '${b}': ${field} '${String(x)}' conflicts with '${String(y)}'`);
  const p = parsedOf(a);
  const q = parsedOf(b);
  if (p.version !== void 0 && q.version !== void 0 && !p.version.isAny && !q.version.isAny) {
    const parts = [p.version.toString(), q.version.toString()].sort();
    p.version = VersionSpec.parse(parts.join(","));
  } else if (p.version === void 0 || p.version.isAny) {
    p.version = q.version ?? p.version;
  }
  if (p.build !== void 0 && q.build !== void 0) {
    const merged = mergeGlobPatterns(p.build.toString(), q.build.toString());
    if (merged === void 0) throw conflict("build", p.build, q.build);
    p.build = StringMatcher.parse(merged);
  } else p.build ??= q.build;
  if (p.channel !== void 0 && q.channel !== void 0 && p.channel !== q.channel) {
    const merged = mergeGlobPatterns(p.channel, q.channel);
    if (merged === void 0) throw conflict("channel", p.channel, q.channel);
    p.channel = merged;
  } else p.channel ??= q.channel;
  if (p.buildNumber !== void 0 && q.buildNumber !== void 0) {
    if (p.buildNumber.toString() !== q.buildNumber.toString()) throw conflict("build_number", p.buildNumber, q.buildNumber);
  } else p.buildNumber ??= q.buildNumber;
  for (const key of ["subdir", "md5", "sha256", "fn", "url", "when", "namespace"]) {
    const x = p[key];
    const y = q[key];
    if (x !== void 0 && y !== void 0 && x !== y) throw conflict(key, x, y);
    p[key] ??= y;
  }
  for (const key of ["license", "licenseFamily"]) {
    const x = p[key];
    const y = q[key];
    if (x !== void 0 && y !== void 0 && x.pattern !== y.pattern) throw conflict(key, x, y);
    p[key] ??= y;
  }
  for (const key of ["trackFeatures", "features", "extras", "flags"]) {
    const x = p[key];
    const y = q[key];
    if (x !== void 0 && y !== void 0 && !sameSet(x, y)) throw conflict(key, x.join(" "), y.join(" "));
    p[key] ??= y;
  }
  return p;
}
function sortedCopy(list) {
  return list === void 0 ? void 0 : [...list].sort();
}
function sameSet(a, b) {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

export {
  MatchSpec
};
