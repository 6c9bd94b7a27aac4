/** Float32 accuracy checks: the distance between two float32 values in units in the last place. */
const f = new Float32Array(1);
const bits = new Int32Array(f.buffer);

/** The spacing of float32 values at |v| (the smallest denormal at 0). */
export function ulp32(v: number): number {
  f[0] = Math.abs(v);
  const b = bits[0];
  const lo = f[0];
  bits[0] = b + 1;
  return f[0] - lo || 1.401298464324817e-45;
}

/** The largest error of `got` against the float32-rounded `exact(x)` over xs, in ulps, and where. */
export function maxUlpError(xs: Float32Array, got: ArrayLike<number>, exact: (x: number) => number): { ulps: number; at: number } {
  let ulps = 0;
  let at = NaN;
  for (let i = 0; i < xs.length; i++) {
    const r = Math.fround(exact(xs[i]));
    const e = Math.abs(got[i] - r) / ulp32(r);
    if (e > ulps) {
      ulps = e;
      at = xs[i];
    }
  }
  return { ulps, at };
}

/** n float32 points evenly spaced over [lo, hi]. */
export function sweep32(lo: number, hi: number, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = lo + ((hi - lo) * i) / (n - 1);
  return x;
}
