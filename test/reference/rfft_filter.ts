/**
 * Slow reference for SMORE's spectral stage: the ortho real DFT and its inverse written from the
 * definitions with complex arithmetic, per row. irfft(n = d) uses bins 0..d/2 with Hermitian
 * symmetry and ignores the imaginary parts of bins 0 and d/2.
 */
type Complex = [number, number];

function rfftRow(x: ArrayLike<number>, off: number, d: number): Complex[] {
  const out: Complex[] = [];
  for (let k = 0; k <= d / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < d; t++) {
      const a = (-2 * Math.PI * k * t) / d;
      re += x[off + t] * Math.cos(a);
      im += x[off + t] * Math.sin(a);
    }
    out.push([re / Math.sqrt(d), im / Math.sqrt(d)]);
  }
  return out;
}

function irfftRow(y: Complex[], d: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < d; t++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      // Hermitian extension; bins 0 and d/2 contribute only their real parts.
      let [re, im] = k <= d / 2 ? y[k] : [y[d - k][0], -y[d - k][1]];
      if (k === 0 || k === d / 2) im = 0;
      const a = (2 * Math.PI * k * t) / d;
      s += re * Math.cos(a) - im * Math.sin(a);
    }
    out.push(s / Math.sqrt(d));
  }
  return out;
}

const mul = (a: Complex, b: Complex): Complex => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];

/** w: (re, im) pairs for d/2 + 1 bins. */
export function spectralFilterRef(p: ArrayLike<number>, rows: number, d: number, w: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(...irfftRow(rfftRow(p, r * d, d).map((z, k) => mul(z, [w[2 * k], w[2 * k + 1]])), d));
  return out;
}

export function spectralFusionRef(pv: ArrayLike<number>, pt: ArrayLike<number>, rows: number, d: number, w: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const a = rfftRow(pv, r * d, d);
    const b = rfftRow(pt, r * d, d);
    out.push(...irfftRow(a.map((z, k) => mul(mul(z, b[k]), [w[2 * k], w[2 * k + 1]])), d));
  }
  return out;
}
