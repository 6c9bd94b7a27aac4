// row_norm: y[r] = ‖x[r, :]‖₂ for each row of x (last dimension = columns). x float32/float64 with
// at least one dimension; y has x's shape minus the last dimension ([rows] for a 2-D x, [] for 1-D).
// Squares accumulate in double in a fixed order (deterministic).
// row_norm_backward: inputs (x, y, g [y's shape]) → dx[r, :] = g[r]·x[r, :]/y[r]; 0 for a zero row
// (PyTorch's norm subgradient at 0).
#include <cmath>
#include "../core/elementwise.h"

namespace mmg {
namespace {

template <typename T>
double row_sq(const T* x, int64_t n) {
  return lane_sum(n, [&](int64_t j) { return double(x[j]) * double(x[j]); });
}

void check_rank(const Call& c, const mmg_tensor& X) {
  if (X.ndim < 1) c.shape_error("x to have at least 1 dimension", "shape " + shape_str(X));
}

void row_norm_cpu(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  const mmg_tensor& X = c.in(0);
  check_rank(c, X);
  mmg_tensor& Y = c.out_shape(X.ndim - 1, X.shape, X.dtype);
  const int64_t nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) y[r] = static_cast<T>(std::sqrt(row_sq(x + r * nc, nc)));
    });
    // rows(X) is 0 when cols are 0, yet y still has one (zero) entry per row.
    if (nc == 0) std::fill(y, y + numel(Y), T(0));
  });
}

void row_norm_backward_cpu(Call& c) {
  c.expect_inputs(3, 3);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "y");
  c.expect_same_dtype(0, 2, "x", "g");
  c.expect_same_shape(1, 2, "y", "g");
  const mmg_tensor &X = c.in(0), &Y = c.in(1), &G = c.in(2);
  check_rank(c, X);
  const int64_t nc = cols(X);
  if (numel(Y) * nc != numel(X) || Y.ndim != X.ndim - 1)
    c.shape_error("y and g with one entry per row of x " + shape_str(X), shape_str(Y));
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T *x = ptr<T>(X), *y = ptr<T>(Y), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        const T k = y[r] == T(0) ? T(0) : g[r] / y[r];
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
