/** Slow references for CSR construction: a map keyed by (i, j), then sorted. */
export interface CsrArrays {
  indptr: number[];
  indices: number[];
  values: number[];
}

export function cooToCsrRef(
  nRows: number, rows: ArrayLike<number>, cols: ArrayLike<number>, vals: ArrayLike<number>, duplicates: 'sum' | 'collapse',
): CsrArrays {
  const perRow: Array<Map<number, number>> = Array.from({ length: nRows }, () => new Map());
  for (let q = 0; q < rows.length; q++) {
    const m = perRow[rows[q]];
    const prev = m.get(cols[q]);
    if (prev === undefined) m.set(cols[q], vals[q]);
    else if (duplicates === 'sum') m.set(cols[q], prev + vals[q]);
  }
  const out: CsrArrays = { indptr: [0], indices: [], values: [] };
  for (const m of perRow) {
    for (const j of [...m.keys()].sort((a, b) => a - b)) {
      out.indices.push(j);
      out.values.push(m.get(j)!);
    }
    out.indptr.push(out.indices.length);
  }
  return out;
}

/** Dense row-major matrix from CSR arrays (duplicates add). */
export function csrToDenseRef(nRows: number, nCols: number, a: { indptr: ArrayLike<number>; indices: ArrayLike<number>; values: ArrayLike<number> }): number[] {
  const d = new Array<number>(nRows * nCols).fill(0);
  for (let r = 0; r < nRows; r++) for (let q = a.indptr[r]; q < a.indptr[r + 1]; q++) d[r * nCols + a.indices[q]] += a.values[q];
  return d;
}
