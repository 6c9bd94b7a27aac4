/** Slow reference: Y = A·X with A given as CSR arrays, X row-major [nCols, d]. */
export function spmmRef(
  a: { indptr: ArrayLike<number>; indices: ArrayLike<number>; values: ArrayLike<number> }, x: ArrayLike<number>, d: number,
): number[] {
  const nRows = a.indptr.length - 1;
  const y = new Array<number>(nRows * d).fill(0);
  for (let r = 0; r < nRows; r++)
    for (let q = a.indptr[r]; q < a.indptr[r + 1]; q++)
      for (let c = 0; c < d; c++) y[r * d + c] += a.values[q] * x[a.indices[q] * d + c];
  return y;
}
