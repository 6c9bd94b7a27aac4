// sum_squares on the CUDA backend (contract: native/ops/sum_squares.cc). Forward: Σ x² over all
// elements in double, with the two-pass chunked block reduction of native/core/hd/block_reduce.h (the CPU
// sums in 8 interleaved lanes per 32768-element chunk: only the order of the double additions
// differs). Backward: one thread per element, dx = (2·g)·x in x's dtype, as the CPU.
#pragma once
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

template <typename T>
struct StoreSumSquares {
  T* y;
  MMG_HD void operator()(double s) const { y[0] = static_cast<T>(s); }
};

template <typename T>
MMG_HD void sum_squares_backward_elem(int64_t i, const T* x, const T* g, T* dx) {
  const T k = T(2) * g[0];
  dx[i] = k * x[i];
}

}  // namespace body

inline void sum_squares_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
}

inline void sum_squares_backward_check(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "g");
  if (numel(c.in(1)) != 1) c.shape_error("a scalar g", shape_str(c.in(1)));
}

}  // namespace mmg
