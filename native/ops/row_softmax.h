// row_softmax on the CUDA backend (contract: native/ops/row_softmax.cc). One warp per row (a block
// per row above kWarpRowMaxCols columns; "merge" below = the xor butterfly or the shared-memory tree):
//   forward:  m = the row max (thread-strided partial maxima, then a max merge with the CPU's
//             comparison: exact, so m is the CPU's m); every thread writes e = exp(x − m) in x's
//             dtype to its strided elements and sums them in double; the merged row sum gives
//             inv = T(1/Σ), and every thread scales its elements.
//   backward: dot = T(Σ y·g) (double, merged); dx = y·(g − dot) per element.
// cuda-emu runs the same strides and merges (native/emu/block_reduce.h). Differences from the CPU:
// the order of the double row sums (the CPU uses 8 interleaved lanes), and on a GPU CUDA's
// expf/exp (within 2 ulp of correctly rounded) instead of glibc's.
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

// Thread t: y[j] = exp(x[j] − m) for its strided elements; returns their double sum.
template <typename T>
MMG_HD double softmax_exp_partial(const T* x, T* y, int64_t n, T m, int t, int step = kBlock) {
  double s = 0;
  for (int64_t j = t; j < n; j += step) {
    const T e = hd_exp(T(x[j] - m));
    y[j] = e;
    s += double(e);
  }
  return s;
}

template <typename T>
MMG_HD T softmax_inv(double sum) {
  return static_cast<T>(1.0 / sum);
}

// Thread t: y[j] *= inv for its strided elements.
template <typename T>
MMG_HD void softmax_scale_strided(T* y, int64_t n, T inv, int t, int step = kBlock) {
  for (int64_t j = t; j < n; j += step) y[j] *= inv;
}

// Thread t: dx[j] = y[j]·(g[j] − dot) for its strided elements.
template <typename T>
MMG_HD void softmax_backward_strided(const T* y, const T* g, T* dx, int64_t n, T dot, int t, int step = kBlock) {
  for (int64_t j = t; j < n; j += step) dx[j] = y[j] * (g[j] - dot);
}

}  // namespace body

inline void row_softmax_rank_check(const Call& c, const mmg_tensor& X, const char* name) {
  if (X.ndim < 1) c.shape_error(std::string(name) + " to have at least 1 dimension", "shape " + shape_str(X));
}

inline void row_softmax_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  row_softmax_rank_check(c, c.in(0), "x");
}

inline void row_softmax_backward_check(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "y");
  c.expect_same_dtype(0, 1, "y", "g");
  c.expect_same_shape(0, 1, "y", "g");
  row_softmax_rank_check(c, c.in(0), "y");
}

}  // namespace mmg
