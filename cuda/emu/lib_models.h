// Host models of the vendor-library calls described in cuda/lib_calls.h, for the cuda-emu
// device. Each follows the library's documented semantics (column-major cuBLAS, CSR cuSPARSE
// SpMM with row-major dense operands) and its documented argument rules, and computes with our
// CPU code. They do not reproduce NVIDIA's arithmetic; they check that the descriptor an op's
// setup builds (operand order, transposes, leading dimensions) means what the op needs.
#pragma once
#include <algorithm>
#include <string>
#include <vector>
#include "../../native/core/error.h"
#include "../../native/core/gemm.h"
#include "../../native/core/parallel.h"
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

// cusparseSpMM (generic API) with a CSR matrix S [rows × cols] (zero-based, index_dtype 32- or
// 64-bit for both indptr and indices) and row-major dense B and C:
// C[m × n] = alpha·op(S)·B + beta·C, op(S) = S (m = rows, B is cols × n) or Sᵀ (m = cols, B is
// rows × n). Argument rules as documented for cusparseCreateCsr / cusparseCreateDnMat (row-major:
// ld ≥ number of columns) / cusparseSpMM: sizes ≥ 0, data pointers non-null when used. beta·C is
// applied literally (0·NaN = NaN), so a caller passing beta = 0 must have C initialised, as the
// CUDA launcher does. Each row of S is summed in its stored order (duplicates add up); Sᵀ
// scatters rows in order, serially, so the model is deterministic.
template <typename T, typename I>
void cusparse_spmm_impl(const SpmmCall& s, const char* op) {
  const I* p = static_cast<const I*>(s.indptr);
  const I* j = static_cast<const I*>(s.indices);
  const T* v = static_cast<const T*>(s.values);
  const T* b = static_cast<const T*>(s.B);
  T* c = static_cast<T*>(s.C);
  const int64_t m = s.trans_s ? s.cols : s.rows, k = s.trans_s ? s.rows : s.cols, n = s.n;
  const T alpha = T(s.alpha), beta = T(s.beta);
  if (!s.trans_s) {
    parallel_for(m, 64, [&](int64_t r0, int64_t r1) {
      std::vector<T> acc(static_cast<size_t>(n));
      for (int64_t r = r0; r < r1; ++r) {
        std::fill(acc.begin(), acc.end(), T(0));
        for (int64_t q = int64_t(p[r]); q < int64_t(p[r + 1]); ++q) {
          const T w = v[q];
          const T* br = b + int64_t(j[q]) * s.ldb;
          for (int64_t col = 0; col < n; ++col) acc[size_t(col)] += w * br[col];
        }
        T* cr = c + r * s.ldc;
        for (int64_t col = 0; col < n; ++col) cr[col] = alpha * acc[size_t(col)] + beta * cr[col];
      }
    });
    return;
  }
  std::vector<T> acc(static_cast<size_t>(m * n), T(0));
  for (int64_t r = 0; r < k; ++r)
    for (int64_t q = int64_t(p[r]); q < int64_t(p[r + 1]); ++q) {
      const T w = v[q];
      const T* br = b + r * s.ldb;
      T* ar = acc.data() + int64_t(j[q]) * n;
      for (int64_t col = 0; col < n; ++col) ar[col] += w * br[col];
    }
  for (int64_t r = 0; r < m; ++r)
    for (int64_t col = 0; col < n; ++col) c[r * s.ldc + col] = alpha * acc[size_t(r * n + col)] + beta * c[r * s.ldc + col];
}

template <typename T>
void cusparse_spmm(const SpmmCall& s, const char* op) {
  const char* call = "cusparseSpMM";
  if (s.rows < 0 || s.cols < 0 || s.nnz < 0 || s.n < 0) invalid_value(op, call, "negative size");
  if (s.index_dtype != MMG_I32 && s.index_dtype != MMG_I64) invalid_value(op, call, "index type is neither 32- nor 64-bit");
  const int64_t m = s.trans_s ? s.cols : s.rows, k = s.trans_s ? s.rows : s.cols;
  if (s.ldb < std::max<int64_t>(1, s.n)) invalid_value(op, call, "row-major B: ldb " + std::to_string(s.ldb) + " < n " + std::to_string(s.n));
  if (s.ldc < std::max<int64_t>(1, s.n)) invalid_value(op, call, "row-major C: ldc " + std::to_string(s.ldc) + " < n " + std::to_string(s.n));
  if (!s.indptr || (s.nnz > 0 && (!s.indices || !s.values)) || (k * s.n > 0 && !s.B) || (m * s.n > 0 && !s.C))
    invalid_value(op, call, "null data pointer");
  if (s.index_dtype == MMG_I32) cusparse_spmm_impl<T, int32_t>(s, op);
  else cusparse_spmm_impl<T, int64_t>(s, op);
}

}  // namespace emu
}  // namespace mmg
