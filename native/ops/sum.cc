// sum: Σ of x over an axis. Input x float32/float64. Attrs: [axis = −1]: −1 → every element of x
// (any rank) → scalar []; 0 → 2-D x [rows, cols] summed over rows → [cols]; 1 → over columns →
// [rows]. Deterministic: double accumulators in an order fixed by the shape (core/reduce.h), so a
// float32 sum over a million rows loses no more than the final rounding. Empty sums are 0.
// sum_backward: inputs (g, x), attrs [axis] → dx shaped like x, g broadcast back along the axis.
#include "sum.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void sum_cpu(Call& c) {
  const ReducePlan p = reduce_plan(c);
  const mmg_tensor& X = c.in(0);
  MMG_FLOAT_SWITCH(X.dtype, T, c, reduce_sum<T>(c, X, p, false));
}

void sum_backward_cpu(Call& c) { reduce_backward(c, false); }

}  // namespace
MMG_REGISTER_KERNEL("sum", MMG_CPU, sum_cpu);
MMG_REGISTER_KERNEL("sum_backward", MMG_CPU, sum_backward_cpu);
}  // namespace mmg
