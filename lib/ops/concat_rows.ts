/** concatRows: stacks matrices with equal column counts. Contract: native/ops/concat_rows.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';
import { sliceRows } from './slice_rows';

export function concatRows(xs: readonly Tensor[]): Tensor {
  const out = runOp1('concat_rows', xs);
  const offsets: number[] = [0];
  for (const x of xs) offsets.push(offsets[offsets.length - 1] + (x.shape[0] ?? 0));
  return record(out, 'concat_rows', xs, (g, needs) => xs.map((_, i) => (needs[i] ? sliceRows(g, offsets[i], offsets[i + 1]) : null)));
}
