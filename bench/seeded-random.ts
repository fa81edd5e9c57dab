// A seeded pseudo-random generator for the benchmark generators (xorshift32): the same seed gives
// the same packages on every machine, so runs compare.

/** Numbers in [0, 1) from `seed`. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}
