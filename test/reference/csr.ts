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

/** The k best (column, value) pairs of a row by (value desc, column asc), returned sorted by column. */
export function topkRowRef(row: Array<[number, number]>, k: number): Array<[number, number]> {
  row.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return row.slice(0, k).sort((a, b) => a[0] - b[0]);
}

/** CSR of dinv_i·v·dinv_j over each row's kept (column, value) pairs (rows already sorted by column). */
export function symNormCsrRef(kept: ReadonlyArray<ReadonlyArray<[number, number]>>, dinv: ArrayLike<number>): CsrArrays {
  const out: CsrArrays = { indptr: [0], indices: [], values: [] };
  for (let i = 0; i < kept.length; i++) {
    for (const [j, v] of kept[i]) {
      out.indices.push(j);
      out.values.push(dinv[i] * v * dinv[j]);
    }
    out.indptr.push(out.indices.length);
  }
  return out;
}
