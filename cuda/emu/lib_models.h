// Host models of the vendor-library calls described in cuda/lib_calls.h, for the cuda-emu
// device. Each follows the library's documented semantics (column-major cuBLAS, CSR cuSPARSE
// SpMM with row-major dense operands) and its documented argument rules, and computes with our
// CPU code. They do not reproduce NVIDIA's arithmetic; they check that the descriptor an op's
// setup builds (operand order, transposes, leading dimensions) means what the op needs.
#pragma once
#include <string>
#include "../../native/core/error.h"
#include "../../native/core/gemm.h"
#include "../../native/core/tensor.h"
#include "../lib_calls.h"

namespace mmg {
namespace emu {

// The error cuBLAS returns for a bad argument, phrased as the CUDA backend reports it.
[[noreturn]] inline void invalid_value(const char* op, const char* call, const std::string& why) {
  fail(MMG_E_CUDA, op, ": ", call, " failed: invalid value (", why, ") [cuda-emu library model]");
}

// cublas<t>gemm: column-major C[m×n] = alpha·op(A)·op(B) + beta·C.
template <typename T>
void cublas_gemm(const GemmCall& g, const char* op) {
  const int64_t a_rows = g.trans_a ? g.k : g.m, b_rows = g.trans_b ? g.n : g.k;
  if (g.m < 0 || g.n < 0 || g.k < 0) invalid_value(op, "cublas gemm", "negative size");
  if (g.lda < std::max<int64_t>(1, a_rows)) invalid_value(op, "cublas gemm", "lda " + std::to_string(g.lda) + " < rows of A " + std::to_string(a_rows));
  if (g.ldb < std::max<int64_t>(1, b_rows)) invalid_value(op, "cublas gemm", "ldb " + std::to_string(g.ldb) + " < rows of B " + std::to_string(b_rows));
  if (g.ldc < std::max<int64_t>(1, g.m)) invalid_value(op, "cublas gemm", "ldc " + std::to_string(g.ldc) + " < m " + std::to_string(g.m));
  if (g.m == 0 || g.n == 0) return;
  // A column-major X with leading dimension ld is, read row-major with the same ld, Xᵀ. So the
  // column-major C = op(A)·op(B) is the row-major Cᵀ[n×m] = op(B)ᵀ·op(A)ᵀ, where op(B)ᵀ is B's
  // row-major view transposed exactly when trans_b is set (likewise A).
  gemm<T>(g.trans_b, g.trans_a, g.n, g.m, g.k, T(g.alpha), static_cast<const T*>(g.B), g.ldb, static_cast<const T*>(g.A), g.lda,
          T(g.beta), static_cast<T*>(g.C), g.ldc);
}

}  // namespace emu
}  // namespace mmg
