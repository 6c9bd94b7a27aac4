/** Row helpers shared by the contrastive losses' slow references (infonce_loss, circle_loss, anchor_infonce). */
import { rowNormalizeRef } from './row_normalize';

/**
 * (i, j) ↦ â_i·b̂_j, the rows of a and b normalized as F.normalize (eps 1e-12), both [rows, d].
 * Each product is summed in feature order.
 */
export function normalizedDots(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, d: number): (i: number, j: number) => number {
  const A = rowNormalizeRef(a, rows, d);
  const B = rowNormalizeRef(b, rows, d);
  return (i, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += A[i * d + k] * B[j * d + k];
    return s;
  };
}
