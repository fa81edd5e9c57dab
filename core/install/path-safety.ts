// The rules that keep an archive inside its package folder. Entry names must be relative and free
// of `..` (a leading `./` is fine: some packages are made that way); a symbolic link's target must be
// non-empty, relative, and — resolved the way the kernel would, through the other links of the same
// archive — stay inside the folder. `LinkTree` does that last check once every link of a package is
// known, since a link made early can be turned outward by one made later (`x -> a/b/../..` and then
// `a/b -> ..`). Both `/` and `\` count as separators, so a name that would escape on Windows is
// refused everywhere.

const SEPARATOR = /[/\\]/;

function isAbsoluteName(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name);
}

export type NameCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Whether a name is already clean: relative (not `X:` either), `/`-separated, no empty, `.` or `..`
 * segment, no `\` or NUL. A loop over the characters: this runs for every entry of every package
 * (extraction, manifests), and is several times faster than the equivalent regular expression.
 */
export function isCleanName(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  const c0 = name.charCodeAt(0) | 0x20;
  if (n >= 2 && name.charCodeAt(1) === 0x3a && c0 >= 0x61 && c0 <= 0x7a) return false;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 0x2f;
    if (c === 0x2f) {
      const len = i - start;
      if (len === 0) return false;
      if (len <= 2 && name.charCodeAt(start) === 0x2e && (len === 1 || name.charCodeAt(start + 1) === 0x2e)) return false;
      start = i + 1;
    } else if (c === 0x5c || c === 0) return false;
  }
  return true;
}

/** An entry name as a clean relative path (`./lib//a.so` → `lib/a.so`; the root itself is ''). */
export function normalizeEntryName(name: string): NameCheck {
  if (isCleanName(name)) return { ok: true, path: name };
  if (name.includes('\0')) return { ok: false, reason: 'has a NUL character in its name' };
  if (isAbsoluteName(name)) return { ok: false, reason: 'is an absolute path' };
  const parts = name.split(SEPARATOR).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { ok: false, reason: 'has ".." in its path' };
  return { ok: true, path: parts.join('/') };
}

/** Why a symbolic link at `linkPath` (normalized) pointing to `target` is refused, or undefined when it is fine on its own. */
export function symlinkTargetProblem(linkPath: string, target: string): string | undefined {
  if (target === '') return 'is a symbolic link with an empty target';
  if (target.includes('\0')) return 'is a symbolic link whose target has a NUL character';
  if (isAbsoluteName(target)) return `is a symbolic link to the absolute path ${target}`;
  const stack = linkPath.split('/').slice(0, -1);
  for (const part of target.split(SEPARATOR)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return `is a symbolic link to ${target}, outside the package`;
      stack.pop();
    } else stack.push(part);
  }
  return undefined;
}

/** The symbolic links of one package, checked together once all are known. */
export class LinkTree {
  readonly #links = new Map<string, string>();

  add(path: string, target: string): void {
    this.#links.set(path, target);
  }

  delete(path: string): void {
    this.#links.delete(path);
  }

  /** A link that, followed through the others, leads outside the package; undefined when none does. */
  findEscape(): { path: string; target: string } | undefined {
    for (const [path, target] of this.#links) if (this.#escapes(path)) return { path, target };
    return undefined;
  }

  #escapes(start: string): boolean {
    const stack = start.split('/').slice(0, -1);
    let pending = this.#links.get(start)!.split(SEPARATOR);
    let hops = 0;
    for (let i = 0; i < pending.length; i++) {
      const part = pending[i]!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (stack.length === 0) return true;
        stack.pop();
        continue;
      }
      stack.push(part);
      const target = this.#links.get(stack.join('/'));
      if (target === undefined) continue;
      if (++hops > 64) return false; // a loop: unusable, but it leads nowhere outside
      if (isAbsoluteName(target)) return true;
      stack.pop();
      pending = [...target.split(SEPARATOR), ...pending.slice(i + 1)];
      i = -1;
    }
    return false;
  }
}
