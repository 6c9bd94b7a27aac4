/** Slow reference for the dropout mask: splitmix64(seed, i) in BigInt, keep iff u_i ≥ p. */
const M64 = (1n << 64n) - 1n;

export function splitmix64At(seed: bigint, i: bigint): bigint {
  let z = (seed + (i + 1n) * 0x9e3779b97f4a7c15n) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** 1/(1−p) where kept, 0 where dropped. */
export function dropoutMaskRef(n: number, p: number, seed: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Number(splitmix64At(seed, BigInt(i)) >> 11n) / 2 ** 53;
    out.push(u >= p ? 1 / (1 - p) : 0);
  }
  return out;
}
