// matmul: C = op(A) · op(B), op ∈ {identity, transpose}.
// Inputs: A [m,k] (or [k,m] when trans_a), B [k,n] (or [n,k] when trans_b); float32 or float64, same dtype.
// Attrs: [trans_a (0/1), trans_b (0/1)]. Output: C [m,n].
// Backward (lib/ops/matmul.ts): dA = dC·op(B)ᵀ, dB = op(A)ᵀ·dC, both as matmuls with flipped flags.
// Deterministic for a given thread count and shape.
#include "../core/gemm.h"
#include "../core/registry.h"
#include "matmul.h"  // matmul_plan: the checks (every device)

namespace mmg {
namespace {

void matmul_cpu(Call& c) {
  const MatmulPlan p = matmul_plan(c);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const bool ta = p.ta, tb = p.tb;
  const int64_t m = p.m, n = p.n, k = p.k;
  mmg_tensor& C = c.out({m, n}, A.dtype);
  MMG_FLOAT_SWITCH(A.dtype, T, c,
                   gemm<T>(ta, tb, m, n, k, T(1), ptr<T>(A), A.shape[1], ptr<T>(B), B.shape[1], T(0), ptr<T>(C), n));
}

}  // namespace
MMG_REGISTER_KERNEL("matmul", MMG_CPU, matmul_cpu);
}  // namespace mmg
