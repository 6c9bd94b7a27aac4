// sum_squares: Σ x² over every element of x (any rank) → scalar []. No ½ factor. float32/float64.
// Deterministic double accumulation (core/reduce.h). Used by SMORE's L2 regularizer.
// sum_squares_backward: inputs (x, g scalar) → dx = 2·g·x.
#include "../core/elementwise.h"
#include "sum_squares.h"  // the checks (every device)

namespace mmg {
namespace {

void sum_squares_cpu(Call& c) {
  sum_squares_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    *ptr<T>(Y) = static_cast<T>(total_sum(numel(X), [&](int64_t i) { return double(x[i]) * double(x[i]); }));
  });
}

void sum_squares_backward_cpu(Call& c) {
  sum_squares_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T k = T(2) * *ptr<T>(G);
    map1<T>(numel(X), ptr<T>(X), ptr<T>(DX), [k](T v) { return k * v; });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("sum_squares", MMG_CPU, sum_squares_cpu);
MMG_REGISTER_KERNEL("sum_squares_backward", MMG_CPU, sum_squares_backward_cpu);
}  // namespace mmg
