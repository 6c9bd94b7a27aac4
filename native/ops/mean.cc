// mean: the average of x over an axis; the same axes, shapes and summation order as sum (sum.h),
// then one division by the count in double. The mean of zero elements is NaN (numpy, PyTorch).
// mean_backward: inputs (g, x), attrs [axis] → dx shaped like x, g/count broadcast back.
#include "sum.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void mean_cpu(Call& c) {
  const ReducePlan p = reduce_plan(c);
  const mmg_tensor& X = c.in(0);
  MMG_FLOAT_SWITCH(X.dtype, T, c, reduce_sum<T>(c, X, p, true));
}

void mean_backward_cpu(Call& c) { reduce_backward(c, true); }

}  // namespace
MMG_REGISTER_KERNEL("mean", MMG_CPU, mean_cpu);
MMG_REGISTER_KERNEL("mean_backward", MMG_CPU, mean_backward_cpu);
}  // namespace mmg
