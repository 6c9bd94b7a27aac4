import { sumRef } from './sum';

/** The sum divided by the number of reduced elements (NaN for none). */
export function meanRef(x: ArrayLike<number>, rows: number, cols: number, axis?: 0 | 1): number[] {
  const count = axis === undefined ? rows * cols : axis === 0 ? rows : cols;
  return sumRef(x, rows, cols, axis).map((s) => s / count);
}
