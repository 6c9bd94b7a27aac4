/**
 * Deferred gradients: a gradient that is a product of two small tensors and whose usual consumer
 * can use the factors directly is handed over unformed. A linear layer's input gradient
 * dX = dY·W of a trainable feature table (7,050 × 4,096 for the image table) is the case: Adam
 * updates the table from dY and W with linear_input_adam, a tile of dX at a time, and the whole
 * dX is never stored. Anything else that reads the gradient (accumulation with a second use of
 * the table, `.grad` read by user code, a norm) computes it on first read, with the matmul op the
 * undeferred backward would have used, so it sees the same values.
 */
import { keep } from './scope';
import { runOp1 } from '../ops/run';
import { Tensor } from '../tensor';

/** The recipe name Adam recognizes: parts are [dY, W], the value dY·W. */
export const LINEAR_INPUT = 'linear_input';

/**
 * x's gradient in y = x·Wᵀ (+ b), given g = dL/dy: g·W, deferred. g and W are copied: the tape
 * frees g after this node, and W may be updated in place (by the same optimizer step) before the
 * gradient is used. The copies are [n, out] and [out, in], small next to [n, in].
 */
export function deferLinearInputGrad(g: Tensor, w: Tensor): Tensor {
  const dy = keep(g.to(g.device));
  const wc = keep(w.to(w.device));
  return Tensor.deferred([g.shape[0], w.shape[1]], g.dtype, g.device, {
    op: LINEAR_INPUT,
    parts: [dy, wc],
    materialize: () => runOp1('matmul', [dy, wc], [0, 0]),
  });
}
