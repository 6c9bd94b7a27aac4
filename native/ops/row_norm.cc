// row_norm: y[r] = ‖x[r, :]‖₂ for each row of x (last dimension = columns). x float32/float64 with
// at least one dimension; y has x's shape minus the last dimension ([rows] for a 2-D x, [] for 1-D).
// Squares accumulate in double in a fixed order (deterministic).
// row_norm_backward: inputs (x, y, g [y's shape]) → dx[r, :] = g[r]·x[r, :]/y[r]; 0 for a zero row
// (PyTorch's norm subgradient at 0).
#include <cmath>
#include "../core/elementwise.h"
#include "row_norm.h"  // the checks and element bodies (every device)

namespace mmg {
namespace {

template <typename T>
double row_sq(const T* x, int64_t n) {
  return lane_sum(n, [&](int64_t j) { return double(x[j]) * double(x[j]); });
}

void row_norm_cpu(Call& c) {
  row_norm_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_shape(X.ndim - 1, X.shape, X.dtype);
  const int64_t nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) y[r] = body::row_norm_from_sum<T>(row_sq(x + r * nc, nc));
    });
    // rows(X) is 0 when cols are 0, yet y still has one (zero) entry per row.
    if (nc == 0) std::fill(y, y + numel(Y), T(0));
  });
}

void row_norm_backward_cpu(Call& c) {
  row_norm_backward_check(c);
  const mmg_tensor &X = c.in(0), &Y = c.in(1), &G = c.in(2);
  const int64_t nc = cols(X);
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T *x = ptr<T>(X), *y = ptr<T>(Y), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        const T k = body::row_norm_backward_scale(y[r], g[r]);
        const T* xr = x + r * nc;
        T* d = dx + r * nc;
        for (int64_t j = 0; j < nc; ++j) d[j] = k * xr[j];
      }
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_norm", MMG_CPU, row_norm_cpu);
MMG_REGISTER_KERNEL("row_norm_backward", MMG_CPU, row_norm_backward_cpu);
}  // namespace mmg
