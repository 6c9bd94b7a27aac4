// matmul: C = op(A) · op(B), op ∈ {identity, transpose}.
// Inputs: A [m,k] (or [k,m] when trans_a), B [k,n] (or [n,k] when trans_b); float32 or float64, same dtype.
// Attrs: [trans_a (0/1), trans_b (0/1)]. Output: C [m,n].
// Backward (lib/ops/matmul.ts): dA = dC·op(B)ᵀ, dB = op(A)ᵀ·dC, both as matmuls with flipped flags.
// Deterministic for a given thread count and shape.
#include "../core/gemm.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void matmul_cpu(Call& c) {
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
  mmg_tensor& C = c.out({m, n}, A.dtype);
  MMG_FLOAT_SWITCH(A.dtype, T, c,
                   gemm<T>(ta, tb, m, n, k, T(1), ptr<T>(A), A.shape[1], ptr<T>(B), B.shape[1], T(0), ptr<T>(C), n));
}

}  // namespace
MMG_REGISTER_KERNEL("matmul", MMG_CPU, matmul_cpu);
}  // namespace mmg
