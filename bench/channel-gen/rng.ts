// Seeded pseudo-random numbers for the benchmark channel generator (sfc32 seeded by splitmix32), so a
// seed always gives the same channel; no Math.random anywhere.

/** Scratch space for hex digests: Buffer#toString('hex') gives flat strings (no ropes to collect). */
const SCRATCH = Buffer.alloc(64);
const WORDS = new Uint32Array(SCRATCH.buffer, SCRATCH.byteOffset, 16);

/** 32-bit FNV-1a of a string, to derive independent streams (one per package) from one seed. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads any seed (0 included) over the four words
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A stream for one named purpose, independent of how much this one has been used. */
  fork(label: string): Rng {
    return new Rng(hashString(label, this.a ^ this.d));
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `chars` (at most 128) lower-case hex digits. */
  hex(chars: number): string {
    const bytes = (chars + 1) >> 1;
    for (let i = 0; i < bytes; i += 4) WORDS[i >> 2] = this.u32();
    const out = SCRATCH.toString('hex', 0, bytes);
    return out.length === chars ? out : out.slice(0, chars);
  }
}
