// linear on the CUDA backend (contract: native/ops/linear.cc): y = x·Wᵀ + b as the CPU does it —
// y is first filled with b (one thread per element), then one cuBLAS gemm accumulates x·Wᵀ into it
// (beta = 1; beta = 0 without b). cuBLAS is column-major: the row-major y [n, out] is the
// column-major yᵀ [out, n] = W·xᵀ, where the row-major W [out, in] read column-major is Wᵀ (so
// op(A) = transpose, lda = in) and the row-major x [n, in] is xᵀ (op(B) = identity, ldb = in).
// An empty inner dimension (in = 0) gives b (or zeros) without a library call (cuBLAS rejects lda = 0).
// The backward has no kernel of its own (lib/ops/linear.ts: matmul and sum).
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"
#include "../core/hd/lib_calls.h"

namespace mmg {
namespace body {

template <typename T>
MMG_HD void linear_bias_elem(int64_t i, const T* b, int64_t out, T* y) {
  y[i] = b[i % out];
}

}  // namespace body

struct LinearPlan {
  GemmCall gemm;  // filled by linear_setup
  int64_t n = 0, in = 0, out = 0;
  bool has_b = false;
  void* y = nullptr;  // the output [n, out]
};

// Checks the inputs and allocates y (the CPU kernel calls this too).
inline LinearPlan linear_check(Call& c) {
  c.expect_inputs(2, 3);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "W");
  c.expect_ndim(0, "x", 2);
  c.expect_ndim(1, "W", 2);
  const mmg_tensor &X = c.in(0), &W = c.in(1);
  LinearPlan p;
  p.n = X.shape[0];
  p.in = X.shape[1];
  p.out = W.shape[0];
  if (W.shape[1] != p.in) c.shape_error("W [out, " + std::to_string(p.in) + "] for x " + shape_str(X), "W " + shape_str(W));
  p.has_b = c.has_in(2);
  if (p.has_b) {
    c.expect_same_dtype(0, 2, "x", "b");
    const mmg_tensor& B = c.in(2);
    if (B.ndim != 1 || B.shape[0] != p.out)
      c.shape_error("b [" + std::to_string(p.out) + "] for W " + shape_str(W), "b " + shape_str(B));
  }
  p.y = c.out({p.n, p.out}, X.dtype).data;
  return p;
}

// linear_check, then the gemm's description.
inline LinearPlan linear_setup(Call& c) {
  LinearPlan p = linear_check(c);
  GemmCall& g = p.gemm;
  g.dtype = c.in(0).dtype;
  g.trans_a = true;
  g.trans_b = false;
  g.m = p.out;
  g.n = p.n;
  g.k = p.in;
  g.A = c.in(1).data;
  g.lda = p.in;
  g.B = c.in(0).data;
  g.ldb = p.in;
  g.C = p.y;
  g.ldc = p.out;
  g.alpha = 1;
  g.beta = p.has_b ? 1 : 0;
  return p;
}

}  // namespace mmg
