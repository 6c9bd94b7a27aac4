/** Every op, one file each. Adding an op: add its file here with one export line. */
import { setTapeHelpers } from '../autograd/tape';
import { full } from '../tensor';
import { add } from './add';

export * from './add';
export * from './matmul';
export * from './frobenius_norm';
export * from './bpr_loss';
export * from './infonce_loss';
export * from './gather_rows';
export * from './scatter_add_rows';
export * from './concat_rows';
export * from './slice_rows';
export * from './spmm';
export * from './score_topk';
export * from './mul';
export * from './scale';
export * from './sigmoid';
export * from './tanh';
export * from './leaky_relu';
export * from './exp';
export * from './log';
export * from './log_sigmoid';
export * from './sum';
export * from './mean';
export * from './layer_mean';
export * from './row_norm';
export * from './row_normalize';
export * from './row_softmax';
export * from './linear';
export * from './reshape';
export * from './sum_squares';
export * from './rfft_filter';
export * from './dropout';
export * from './sign';
export * from './abs';
export * from './variance';
export * from './rand_like';
export * from './anchor_infonce';
export * from './modulus_perturb';

setTapeHelpers(
  (a, b) => add(a, b),
  (t) => full(t.shape, 1, { dtype: t.dtype, device: t.device }),
);
