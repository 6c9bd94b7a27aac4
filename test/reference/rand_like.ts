/** Element i of randLike(x, seed): splitmix64(seed, i), top 53 (float64) or 24 (float32) bits. */
export function randLikeRef(n: number, seed: bigint, dtype: 'float32' | 'float64'): number[] {
  const M = (1n << 64n) - 1n;
  const out: number[] = [];
  for (let i = 0n; i < BigInt(n); i++) {
    let z = (seed + (i + 1n) * 0x9e3779b97f4a7c15n) & M;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    z = z ^ (z >> 31n);
    out.push(dtype === 'float64' ? Number(z >> 11n) / 2 ** 53 : Number(z >> 40n) / 2 ** 24);
  }
  return out;
}
