/** Σ over all elements (axis undefined), over rows (axis 0 → [cols]) or columns (axis 1 → [rows]). */
export function sumRef(x: ArrayLike<number>, rows: number, cols: number, axis?: 0 | 1): number[] {
  if (axis === undefined) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    return [s];
  }
  const out = new Array<number>(axis === 0 ? cols : rows).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[axis === 0 ? c : r] += x[r * cols + c];
  return out;
}
