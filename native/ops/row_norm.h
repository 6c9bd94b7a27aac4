// row_norm on the CUDA backend (contract: native/ops/row_norm.cc). Forward: one warp per row of y
// (a block per row above kWarpRowMaxCols columns; numel(y) rows, so a [rows, 0] x gives zeros),
// Σ x² in double with thread-strided partials merged by the xor butterfly or the shared-memory
// tree (native/core/hd/block_reduce.h), y = T(√Σ). The CPU sums each row in 8 interleaved
// lanes: only the order of the double additions differs.
// Backward: one thread per element of x, dx = k·x with k = g[r]/y[r] (0 where y[r] = 0), as the CPU.
#pragma once
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

template <typename T>
MMG_HD T row_norm_from_sum(double ss) {
  return static_cast<T>(hd_sqrt(ss));
}

// dx = k·x on row r, with k = g/y (0 for a zero row: the subgradient at 0).
template <typename T>
MMG_HD T row_norm_backward_scale(T y, T g) {
  return y == T(0) ? T(0) : g / y;
}

template <typename T>
MMG_HD void row_norm_backward_elem(int64_t i, const T* x, const T* y, const T* g, int64_t nc, T* dx) {
  const int64_t r = i / nc;
  dx[i] = row_norm_backward_scale(y[r], g[r]) * x[i];
}

}  // namespace body

inline void row_norm_rank_check(const Call& c, const mmg_tensor& X) {
  if (X.ndim < 1) c.shape_error("x to have at least 1 dimension", "shape " + shape_str(X));
}

inline void row_norm_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  row_norm_rank_check(c, c.in(0));
}

inline void row_norm_backward_check(Call& c) {
  c.expect_inputs(3, 3);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "y");
  c.expect_same_dtype(0, 2, "x", "g");
  c.expect_same_shape(1, 2, "y", "g");
  const mmg_tensor &X = c.in(0), &Y = c.in(1);
  row_norm_rank_check(c, X);
  if (numel(Y) * cols(X) != numel(X) || Y.ndim != X.ndim - 1)
    c.shape_error("y and g with one entry per row of x " + shape_str(X), shape_str(Y));
}

}  // namespace mmg
