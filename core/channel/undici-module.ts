// undici, loaded when first needed: a run that never goes to the network (a spec-file or tarball
// hit, `list`, `run`) does not pay for loading it, about 60 ms of every start here (bench/RESULTS.md,
// session 20). Modules that use it at run time take it from here; type imports stay static.

type Undici = typeof import('undici');

let loading: Promise<Undici> | undefined;

/**
 * The undici module (loaded once). Its CommonJS exports object: node's own import gives it as
 * `default` beside named exports, and a bundle split into chunks (the Action's) gives only `default`.
 */
export function loadUndici(): Promise<Undici> {
  loading ??= import('undici').then((m) => ((m as { default?: Undici }).default ?? m) as Undici);
  return loading;
}
