// One check per kind of case in ../shared/conformance (versions, version specs, match specs):
// each returns undefined when our result agrees with the reference, or a sentence saying how it differs.

import { BuildNumberSpec } from '../../core/spec/build-number-spec.ts';
import { MatchSpec, type MatchSpecFields, type MatchSpecOptions } from '../../core/spec/match-spec.ts';
import { StringMatcher } from '../../core/spec/string-matcher.ts';
import { Version } from '../../core/spec/version.ts';
import { VersionSpec, type VersionSpecNode } from '../../core/spec/version-spec.ts';

// deno-lint-ignore no-explicit-any
export type Case = Record<string, any>;
export type Check = (c: Case) => string | undefined;

const throws = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
};

const strictOf = (c: Case, i = 0): boolean => (Array.isArray(c.strictness) ? c.strictness[i] : c.strictness) === 'strict';

// ---- versions ------------------------------------------------------------------------------------

function atomsOf(v: Version): unknown[] {
  const conv = (a: unknown) => (a === Infinity ? '+inf' : a === 'DEV' ? 'DEV' : typeof a === 'bigint' ? Number(a) : a);
  return v.version.map((c) => c.map(conv));
}

export const versionChecks: Record<string, Check> = {
  ordered(c) {
    const list: string[] = c.ordered;
    const vs = list.map((s) => Version.parse(s));
    for (let i = 1; i < vs.length; i++) {
      const cmp = vs[i - 1]!.compare(vs[i]!);
      if (cmp > 0 || (c.strict && cmp === 0)) return `'${list[i - 1]}' vs '${list[i]}' compares ${cmp}`;
    }
    return undefined;
  },
  equal(c) {
    const [a, b] = c.equal;
    const cmp = Version.parse(a).compare(Version.parse(b));
    return cmp === 0 ? undefined : `compares ${cmp}`;
  },
  not_equal(c) {
    const [a, b] = c.not_equal;
    return Version.parse(a).compare(Version.parse(b)) !== 0 ? undefined : 'compares equal';
  },
  invalid(c) {
    return throws(() => Version.parse(c.invalid)) === undefined ? 'parsed without error' : undefined;
  },
  valid(c) {
    const err = throws(() => Version.parse(c.valid));
    if (err) return err;
    if (c.str !== undefined && Version.parse(c.valid).toString() !== c.str) return `prints ${Version.parse(c.valid).toString()}`;
    return undefined;
  },
  starts_with(c) {
    const got = Version.parse(c.version).startsWith(Version.parse(c.prefix));
    return got === c.expected ? undefined : `startsWith gave ${got}`;
  },
  parsed(c) {
    const v = Version.parse(c.version);
    const got = JSON.stringify(atomsOf(v));
    const want = JSON.stringify(c.parsed);
    if (got !== want) return `parsed as ${got}`;
    if (c.local !== undefined) {
      const local = JSON.stringify(v.local.map((x) => x.map((a) => (typeof a === 'bigint' ? Number(a) : a))));
      if (local !== JSON.stringify(c.local)) return `local parsed as ${local}`;
    }
    // conda's str(VersionOrder) is the normalized text; rattler prints the text as written
    const shown = c.source.repo === 'conda/conda' ? v.normalized : v.toString();
    if (c.str !== undefined && shown !== c.str) return `prints '${shown}'`;
    return undefined;
  },
};

// ---- version specs -------------------------------------------------------------------------------

function treeOf(n: VersionSpecNode): unknown {
  switch (n.kind) {
    case 'any':
      return { op: 'any' };
    case 'operator': {
      const op = n.operator === '=' ? 'startswith' : n.operator === '!=startswith' ? 'notstartswith' : n.operator;
      return { op, version: n.version.source };
    }
    case 'regex':
      return { op: 'regex', pattern: n.text };
    case 'exact-string':
      return { op: 'exact', text: n.text };
    case 'and':
    case 'or':
      return { op: n.kind, items: n.children.map(treeOf) };
  }
}

export const versionSpecChecks: Record<string, Check> = {
  match(c) {
    const got = VersionSpec.parse(c.spec, { strict: strictOf(c) }).matches(c.version);
    return got === c.matches ? undefined : `matches gave ${got}`;
  },
  invalid(c) {
    return throws(() => VersionSpec.parse(c.spec, { strict: strictOf(c) })) === undefined ? 'parsed without error' : undefined;
  },
  valid(c) {
    return throws(() => VersionSpec.parse(c.spec, { strict: strictOf(c) }));
  },
  is_exact(c) {
    const got = VersionSpec.parse(c.spec).isExact;
    return got === c.expected ? undefined : `isExact gave ${got}`;
  },
  equivalent(c) {
    const [a, b] = c.equivalent;
    const x = VersionSpec.parse(a, { strict: strictOf(c, 0) });
    const y = VersionSpec.parse(b, { strict: strictOf(c, 1) });
    return x.equals(y) ? undefined : `'${x.key}' differs from '${y.key}'`;
  },
  not_equivalent(c) {
    const [a, b] = c.not_equivalent;
    return VersionSpec.parse(a).equals(VersionSpec.parse(b)) ? 'compare equal' : undefined;
  },
  canonical(c) {
    const spec = VersionSpec.parse(c.spec, { strict: strictOf(c) });
    // another tool's display form: it must read back as the same spec
    if (!String(c.form).startsWith('conda')) return spec.equals(VersionSpec.parse(c.canonical)) ? undefined : `'${c.canonical}' reads as a different spec than '${spec}'`;
    const got = spec.toString();
    return got === c.canonical ? undefined : `printed '${got}'`;
  },
  is_explicitly_free(c) {
    const got = c.spec.trim() === '' ? true : VersionSpec.parse(c.spec).isAny;
    return got === c.expected ? undefined : `isAny gave ${got}`;
  },
  parsed(c) {
    const got = JSON.stringify(treeOf(VersionSpec.parse(c.spec, { strict: strictOf(c) }).root));
    const want = JSON.stringify(c.parsed);
    return got === want ? undefined : `parsed as ${got}`;
  },
};

// ---- match specs ---------------------------------------------------------------------------------

function optionsOf(c: Case): MatchSpecOptions {
  const o: MatchSpecOptions = { strict: strictOf(c) };
  if (c.nameless) o.nameless = true;
  // rattler refuses glob and regex names unless told otherwise; conda and mamba accept them
  if (c.source?.repo === 'conda/rattler' && !c.nameless) o.exactNamesOnly = c.options?.exact_names_only ?? true;
  return o;
}

function specOf(c: Case): MatchSpec {
  if (c.spec_fields) return MatchSpec.fromFields(c.spec_fields as MatchSpecFields);
  if (c.input === undefined && c.spec === undefined) return MatchSpec.fromFields(c.fields as MatchSpecFields);
  const base = MatchSpec.parse(c.input ?? c.spec, optionsOf(c));
  return c.fields ? MatchSpec.fromFields(c.fields as MatchSpecFields, base) : base;
}

function fromArg(x: string | Case): MatchSpec {
  if (typeof x === 'string') return MatchSpec.parse(x);
  const { input, ...fields } = x;
  return input !== undefined ? MatchSpec.fromFields(fields, MatchSpec.parse(input)) : MatchSpec.fromFields(fields);
}

/** Our value for a field, written the way the conformance data writes it. */
function fieldValue(m: MatchSpec, field: string): unknown {
  switch (field) {
    case 'name':
      return m.name;
    case 'version':
      return m.version?.toString();
    case 'build':
      return m.build?.toString();
    case 'build_number':
      return m.buildNumber?.toString();
    case 'channel':
      return m.channel;
    case 'subdir':
      return m.subdir;
    case 'track_features':
      return m.trackFeatures;
    case 'features':
      return m.features;
    case 'license':
      return m.license?.toString();
    case 'license_family':
      return m.licenseFamily?.toString();
    case 'optional':
      return m.optional;
    case 'extras':
      return m.extras;
    case 'flags':
      return m.flags;
    case 'when':
      return m.when;
    case 'namespace':
      return m.namespace === '' ? undefined : m.namespace;
    default:
      return (m as unknown as Record<string, unknown>)[field];
  }
}

function sameField(m: MatchSpec, field: string, want: unknown): string | undefined {
  const got = fieldValue(m, field);
  if (want === null) return got === undefined || (field === 'version' && m.version?.isAny) || (field === 'name' && got === '*') ? undefined : `${field} is '${String(got)}', expected none`;
  if (field === 'version' && typeof want === 'string') {
    if (m.version === undefined) return VersionSpec.parse(want).isAny ? undefined : `version missing, expected '${want}'`;
    const w = VersionSpec.parse(want);
    return m.version.equals(w) ? undefined : `version '${m.version}' differs from '${want}'`;
  }
  if (field === 'build_number' && (typeof want === 'string' || typeof want === 'number')) {
    if (m.buildNumber === undefined) return `build_number missing`;
    return m.buildNumber.equals(BuildNumberSpec.parse(want)) ? undefined : `build_number '${m.buildNumber}' differs from '${want}'`;
  }
  if (field === 'subdir' && Array.isArray(want)) return want.length === 1 && want[0] === got ? undefined : `subdir '${String(got)}', expected ${JSON.stringify(want)}`;
  if (field === 'channel' && typeof want === 'string' && /^[^[]+\[[^\]]+\]$/.test(want)) {
    // mamba writes `conda-forge[noarch]` for channel conda-forge, subdir noarch
    const [, ch, sub] = /^([^[]+)\[([^\]]+)\]$/.exec(want)!;
    return ch === got && sub === m.subdir ? undefined : `channel '${String(got)}' subdir '${m.subdir}', expected '${want}'`;
  }
  if (Array.isArray(want)) {
    const g = Array.isArray(got) ? [...(got as string[])].sort() : got;
    return JSON.stringify(g) === JSON.stringify([...want].sort()) ? undefined : `${field} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
  }
  if (field === 'channel' && typeof want === 'string' && typeof got === 'string') return got === want ? undefined : `channel '${got}', expected '${want}'`;
  return got === want ? undefined : `${field} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
}

export const matchSpecChecks: Record<string, Check> = {
  parse(c) {
    if (c.error) return throws(() => MatchSpec.parse(c.input, optionsOf(c))) === undefined ? `parsed without error as '${MatchSpec.parse(c.input, optionsOf(c))}'` : undefined;
    const m = MatchSpec.parse(c.input, optionsOf(c));
    if (c.valid) return undefined;
    for (const [field, want] of Object.entries(c.expect ?? {})) {
      if (field === 'channel_base_url' || field === 'channel_location') continue;
      const d = sameField(m, field, want);
      if (d) return d;
    }
    // round trip: the canonical string parses back to an equal spec (conda drops url/fn when the
    // channel is printed, so package-URL specs are compared without them)
    if (m.url !== undefined) return undefined;
    const again = MatchSpec.parse(m.toString());
    if (!again.equals(m)) return `'${m}' does not parse back to the same spec`;
    return undefined;
  },
  canonical(c) {
    const m = specOf(c);
    const form: string = c.form;
    // mamba's and rattler's display forms: we print conda's form, and must read theirs as the same spec
    if (!form.startsWith('conda')) {
      const theirs = MatchSpec.parse(c.canonical);
      return theirs.equals(m) ? undefined : `'${c.canonical}' reads as '${theirs}', not '${m}'`;
    }
    const got = form.includes('conda_build_form') ? m.condaBuildForm() : form.includes('conda_env_form') ? m.condaEnvForm() : m.toString();
    if (got !== c.canonical) return `printed '${got}'`;
    if (m.url !== undefined) return undefined;
    const again = MatchSpec.parse(m.toString());
    return again.equals(m) ? undefined : `'${m}' does not parse back to the same spec`;
  },
  match(c) {
    const got = specOf(c).matches(c.record);
    return got === c.matches ? undefined : `matches gave ${got}`;
  },
  exact_value(c) {
    const m = specOf(c);
    const got = m.exactValue(c.field) ?? null;
    return got === c.expected ? undefined : `exact ${c.field} is ${JSON.stringify(got)}`;
  },
  field_equal(c) {
    const [a, b] = (c.inputs as string[]).map((x) => MatchSpec.parse(x));
    const f: string = c.field === 'channel.name' ? 'channel' : c.field;
    const x = fieldValue(a!, f);
    const y = fieldValue(b!, f);
    if (f === 'version') return a!.version!.equals(b!.version!) ? undefined : `'${x}' vs '${y}'`;
    return x === y ? undefined : `'${String(x)}' vs '${String(y)}'`;
  },
  strictness(c) {
    const got = specOf(c).strictness;
    return got === c.expected ? undefined : `strictness ${got}`;
  },
  equivalent(c) {
    const [a, b] = c.equivalent as (string | Case)[];
    const opts = (i: number): MatchSpecOptions => ({ strict: strictOf(c, i) });
    const parse = (x: string | Case, i: number): MatchSpec => {
      if (typeof x === 'object' && x.drop_name) return MatchSpec.parse(x.input, opts(i));
      if (typeof x === 'object' && x.nameless) return MatchSpec.parse(x.input, { ...opts(i), nameless: true });
      return typeof x === 'string' ? MatchSpec.parse(x, opts(i)) : fromArg(x);
    };
    let x = parse(a!, 0);
    let y = parse(b!, 1);
    if (c.field === 'version') return x.version!.equals(y.version!) ? undefined : `'${x.version}' vs '${y.version}'`;
    if (typeof a === 'object' && a.drop_name) x = MatchSpec.fromFields({ name: '*' }, x);
    if (typeof b === 'object' && b.drop_name) y = MatchSpec.fromFields({ name: '*' }, y);
    return x.equals(y) ? undefined : `'${x}' vs '${y}'`;
  },
  not_equivalent(c) {
    const [a, b] = c.not_equivalent as (string | Case)[];
    return fromArg(a!).equals(fromArg(b!)) ? 'compare equal' : undefined;
  },
  merge(c) {
    const specs = (c.specs as (string | Case)[]).map((s) => (typeof s === 'string' ? MatchSpec.parse(s) : MatchSpec.fromFields(s as MatchSpecFields)));
    let merged: MatchSpec[];
    try {
      merged = MatchSpec.merge(specs);
    } catch (e) {
      return c.error ? undefined : `merge failed: ${(e as Error).message}`;
    }
    if (c.error) return `merged without error into ${merged.join(' ; ')}`;
    if (c.single_result && merged.length !== 1) return `gave ${merged.length} specs`;
    if (c.expected) {
      const got = merged.map(String);
      const want: string[] = c.expected;
      const same = c.order_significant === false ? JSON.stringify([...got].sort()) === JSON.stringify([...want].sort()) : JSON.stringify(got) === JSON.stringify(want);
      if (!same) return `gave ${JSON.stringify(got)}`;
    }
    if (c.expected_build !== undefined && merged[0]!.build?.toString() !== c.expected_build) return `build '${merged[0]!.build}'`;
    if (c.expected_channel !== undefined && merged[0]!.channel !== c.expected_channel) return `channel '${merged[0]!.channel}'`;
    for (const m of c.matches ?? []) {
      const target = m.merged ? merged.find((s) => s.name === m.merged)! : merged[0]!;
      if (target.matches(m.record) !== m.matches) return `merged '${target}' matches ${JSON.stringify(m.record)}: ${!m.matches}`;
    }
    return undefined;
  },
  is_simple(c) {
    const got = MatchSpec.parse(c.input).isSimple;
    return got === c.expected ? undefined : `isSimple gave ${got}`;
  },
  is_virtual(c) {
    const got = MatchSpec.parse(c.input).isVirtual;
    return got === c.expected ? undefined : `isVirtual gave ${got}`;
  },
  build_number_match(c) {
    const got = BuildNumberSpec.parse(c.spec).matches(c.build_number);
    return got === c.matches ? undefined : `matches gave ${got}`;
  },
  build_number_invalid(c) {
    return throws(() => BuildNumberSpec.parse(c.spec)) === undefined ? 'parsed without error' : undefined;
  },
  build_number_canonical(c) {
    // mamba's display form: it must read back as the same spec
    return BuildNumberSpec.parse(c.spec).equals(BuildNumberSpec.parse(c.canonical)) ? undefined : `'${c.canonical}' differs from '${c.spec}'`;
  },
  build_number_equivalent(c) {
    const [a, b] = c.equivalent;
    return BuildNumberSpec.parse(a).equals(BuildNumberSpec.parse(b)) ? undefined : 'differ';
  },
  build_number_not_equivalent(c) {
    const [a, b] = c.not_equivalent;
    return BuildNumberSpec.parse(a).equals(BuildNumberSpec.parse(b)) ? 'compare equal' : undefined;
  },
  string_match(c) {
    const m = matcherOf(c);
    const got = m.matches(c.value);
    return got === c.matches ? undefined : `matches gave ${got}`;
  },
  string_invalid(c) {
    return throws(() => matcherOf(c)) === undefined ? 'parsed without error' : undefined;
  },
  string_canonical(c) {
    if (!String(c.form).startsWith('conda') && c.matcher !== 'regex') {
      const a = matcherOf(c);
      const b = StringMatcher.parse(c.canonical, { caseInsensitive: String(c.matcher).startsWith('rattler') });
      return a.kind === b.kind && a.regexSource === b.regexSource ? undefined : `'${c.canonical}' reads as a different matcher than '${a}'`;
    }
    const got = matcherOf(c).toString();
    return got === c.canonical ? undefined : `printed '${got}'`;
  },
  split_version_build(c) {
    if (c.error) return throws(() => MatchSpec.parse(c.input, { nameless: true, strict: strictOf(c) })) === undefined ? 'parsed without error' : undefined;
    const m = MatchSpec.parse(c.input, { nameless: true, strict: strictOf(c) });
    return sameField(m, 'version', c.version) ?? sameField(m, 'build', c.build);
  },
  bracket_parse(c) {
    const input: string = c.input;
    const prefixed = input.startsWith('[') ? 'x' + input : input;
    if (c.error) return throws(() => MatchSpec.parse(prefixed)) === undefined ? 'parsed without error' : undefined;
    const m = MatchSpec.parse(prefixed);
    for (const [k, v] of c.pairs as [string, string][]) {
      const d = sameField(m, k, v);
      if (d) return d;
    }
    return undefined;
  },
};

function matcherOf(c: Case): StringMatcher {
  const kind: string = c.matcher;
  if (kind.startsWith('rattler')) return StringMatcher.parse(c.pattern, { caseInsensitive: true });
  if (kind === 'glob') return StringMatcher.parse(c.pattern, { allowRegex: false });
  if (kind === 'regex') {
    const p: string = c.pattern;
    return StringMatcher.parse(p.startsWith('^') && p.endsWith('$') ? p : `^${p}$`);
  }
  return StringMatcher.parse(c.pattern);
}
