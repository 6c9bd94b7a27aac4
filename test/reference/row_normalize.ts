import { rowNormRef } from './row_norm';

/** x / max(‖row‖₂, eps), torch.nn.functional.normalize(x, dim=-1). */
export function rowNormalizeRef(x: ArrayLike<number>, rows: number, cols: number, eps = 1e-12): number[] {
  const n = rowNormRef(x, rows, cols);
  return Array.from(x, (v, i) => v / Math.max(n[Math.floor(i / cols)], eps));
}
