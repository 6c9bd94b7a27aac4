// matmul on every device (contract: native/ops/matmul.cc): matmul_plan holds the checks and
// shapes; the CPU runs its own GEMM (core/gemm.h), the GPU one cuBLAS gemm. cuBLAS is column-major; a row-major [r, c] buffer is its column-major [c, r] transpose, so the row-major
// C = op(A)·op(B) is computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands, keep the
// flags, and every leading dimension is the row-major column count.
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/lib_calls.h"

namespace mmg {

struct MatmulPlan {
  bool ta = false, tb = false;
  int64_t m = 0, n = 0, k = 0;  // C [m, n] = op(A) [m, k] · op(B) [k, n]
};

// The checks; attrs [trans_a, trans_b].
inline MatmulPlan matmul_plan(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  c.expect_ndim(0, "A", 2);
  c.expect_ndim(1, "B", 2);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const bool ta = c.attr_int_or(0, 0) != 0, tb = c.attr_int_or(1, 0) != 0;
  const int64_t m = ta ? A.shape[1] : A.shape[0], k = ta ? A.shape[0] : A.shape[1];
  const int64_t kb = tb ? B.shape[1] : B.shape[0], n = tb ? B.shape[0] : B.shape[1];
  if (k != kb)
    c.shape_error("inner dimensions to agree for op(A) [" + std::to_string(m) + ", " + std::to_string(k) + "] · op(B)",
                  "op(B) with " + std::to_string(kb) + " rows (A " + shape_str(A) + ", B " + shape_str(B) + ", trans_a=" +
                      std::to_string(ta) + ", trans_b=" + std::to_string(tb) + ")");
  MatmulPlan p;
  p.ta = ta;
  p.tb = tb;
  p.m = m;
  p.n = n;
  p.k = k;
  return p;
}

// Checks the inputs, allocates C, and describes the gemm.
// A result with k == 0 is all zeros and needs no library call (cuBLAS rejects lda == 0).
inline GemmCall matmul_setup(Call& c) {
  const MatmulPlan p = matmul_plan(c);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const bool ta = p.ta, tb = p.tb;
  const int64_t m = p.m, n = p.n, k = p.k;
  mmg_tensor& C = c.out({m, n}, A.dtype);
  GemmCall g;
  g.dtype = A.dtype;
  g.trans_a = tb;
  g.trans_b = ta;
  g.m = n;
  g.n = m;
  g.k = k;
  g.A = B.data;
  g.lda = B.shape[1];
  g.B = A.data;
  g.ldb = A.shape[1];
  g.C = C.data;
  g.ldc = n;
  return g;
}

}  // namespace mmg
