/**
 * Slow reference for linear_input_adam: the gradient of a linear layer's input, dX = dY·W
 * (matmulRef), then one torch.optim.Adam step (adamStepRef), all in float64.
 */
import { adamStepRef, type AdamRefState } from './adam';
import { matmulRef } from './matmul';

export function linearInputAdamRef(
  s: AdamRefState, dy: ArrayLike<number>, dyShape: readonly number[], w: ArrayLike<number>, wShape: readonly number[],
  step: number, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, wd = 0,
): AdamRefState {
  const dx = matmulRef(dy, dyShape, w, wShape).data;
  return adamStepRef(s, dx, step, lr, beta1, beta2, eps, wd);
}
