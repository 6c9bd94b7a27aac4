// frobenius_norm on the CUDA backend (contract: native/ops/frobenius_norm.cc).
// Forward, deterministic, two passes: block b sums x² over its chunk [b·kChunk, (b+1)·kChunk)
// into partial[b] (thread-strided partials in double, then the shared-memory tree); one block
// then sums the partials the same way and takes the square root. cuda-emu runs the same chunks,
// strides and tree (emu::block_sum), and the squares are not contracted into FMAs (mul_rn), so it
// rounds exactly like the GPU.
// Backward: one thread per element, dx = k·x with k = g/y (0 where y = 0).
#pragma once
#include <cmath>
#include <string>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"
#include "../core/hd/body_common.h"

namespace mmg {
namespace body {

constexpr int64_t kFrobChunk = int64_t(kBlock) * 64;

inline int64_t frob_blocks(int64_t n) { return (n + kFrobChunk - 1) / kFrobChunk; }

// Thread t's partial of Σ x² over block b's chunk.
template <typename T>
MMG_HD double frob_partial(const T* x, int64_t n, int64_t b, int t) {
  const int64_t lo = b * kFrobChunk, hi = hd_min(n, lo + kFrobChunk);
  double s = 0;
  for (int64_t j = lo + t; j < hi; j += kBlock) s += mul_rn(double(x[j]), double(x[j]));
  return s;
}

// Thread t's partial of the block partials (second pass, one block).
MMG_HD double frob_partial_of_partials(const double* p, int64_t nb, int t) {
  double s = 0;
  for (int64_t j = t; j < nb; j += kBlock) s += p[j];
  return s;
}

template <typename T>
MMG_HD T frob_backward_scale(T y, T g) {
  return y == T(0) ? T(0) : g / y;
}

}  // namespace body

inline void frobenius_norm_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "X");
}

inline void frobenius_norm_backward_check(Call& c) {
  c.expect_inputs(3, 3);
  c.expect_float(0, "X");
  c.expect_same_dtype(0, 1, "X", "y");
  c.expect_same_dtype(0, 2, "X", "g");
  const mmg_tensor &Y = c.in(1), &G = c.in(2);
  if (numel(Y) != 1 || numel(G) != 1) c.shape_error("scalar y and g", shape_str(Y) + " and " + shape_str(G));
}

}  // namespace mmg
