/** leakyRelu: x for x > 0, slope·x otherwise (slope defaults to 0.01). Contract: native/ops/leaky_relu.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  const y = runOp1('leaky_relu', [x], [slope]);
  return record(y, 'leaky_relu', [x], (g) => [runOp1('leaky_relu_backward', [x, g], [slope])]);
}
