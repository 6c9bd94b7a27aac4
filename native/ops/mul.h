// mul on the CUDA backend (contract: native/ops/mul.cc): one thread per output element,
// C = A ⊙ B with B of A's shape or a row vector broadcast over A's rows.
// mul_backward: dB = g ⊙ A, one thread per element, or with B broadcast the column sums of
// g ⊙ A in double (the deterministic two-pass body::col_sum, elementwise.h).
#pragma once
#include "../core/hd/block_reduce.h"
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
MMG_HD void mul_elem(int64_t i, const T* a, const T* b, T* o, int64_t nc, bool broadcast) {
  o[i] = MulOp<T>()(a[i], b[broadcast ? i % nc : i]);
}

// mul_backward with broadcast: the column-sum term g[r, j]·a[r, j] (in double, like the CPU) and
// the store db[j] = T(Σ).
template <typename T>
struct MulBackwardTerm {
  const T *g, *a;
  int64_t nc;
  // mul_rn: the product must not fuse with col_sum's running add, or the GPU would round unlike
  // cuda-emu and the CPU.
  MMG_HD double operator()(int64_t r, int64_t j) const { return mul_rn(double(g[r * nc + j]), double(a[r * nc + j])); }
};
template <typename T>
struct MulBackwardEmit {
  T* db;
  MMG_HD void operator()(int64_t j, double s) const { db[j] = static_cast<T>(s); }
};

}  // namespace body

struct MulPlan {
  int64_t rows = 0, nc = 0, n = 0;
  bool broadcast = false;
};

// mul: the checks (the CPU kernels call these too); the caller allocates C like A.
inline MulPlan mul_plan(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  MulPlan p;
  p.broadcast = row_broadcast(c, A, B);
  p.rows = rows(A);
  p.nc = cols(A);
  p.n = numel(A);
  return p;
}

// mul_backward: inputs (g, A, B) → dB shaped like B (the caller allocates it).
inline MulPlan mul_backward_plan(Call& c) {
  c.expect_inputs(3, 3);
  c.expect_float(0, "g");
  c.expect_same_dtype(0, 1, "g", "A");
  c.expect_same_dtype(0, 2, "g", "B");
  c.expect_same_shape(0, 1, "g", "A");
  const mmg_tensor &G = c.in(0), &A = c.in(1), &B = c.in(2);
  MulPlan p;
  p.broadcast = row_broadcast(c, A, B);
  p.rows = rows(G);
  p.nc = cols(G);
  p.n = numel(G);
  return p;
}

}  // namespace mmg
