/** ‖row‖₂ for each row of a row-major [rows, cols] array. */
export function rowNormRef(x: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[r * cols + c] ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}
