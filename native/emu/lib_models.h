// Host models of the vendor-library calls described in native/core/hd/lib_calls.h, for the cuda-emu
// device. Each follows the library's documented semantics (column-major cuBLAS, CSR cuSPARSE
// SpMM with row-major dense operands) and its documented argument rules, and computes with our
// CPU code. They do not reproduce NVIDIA's arithmetic; they check that the descriptor an op's
// setup builds (operand order, transposes, leading dimensions) means what the op needs.
#pragma once
#include <algorithm>
#include <limits>
#include <string>
#include <vector>
#include "../core/error.h"
#include "../core/gemm.h"
#include "../core/parallel.h"
#include "../core/tensor.h"
#include "../core/hd/lib_calls.h"
#include "grid.h"

namespace mmg {
namespace emu {

// The error cuBLAS returns for a bad argument, phrased as the CUDA backend reports it.
[[noreturn]] inline void invalid_value(const char* op, const char* call, const std::string& why) {
  fail(MMG_E_CUDA, op, ": ", call, " failed: invalid value (", why, ") [cuda-emu library model]");
}

// cublas<t>gemm: column-major C[m×n] = alpha·op(A)·op(B) + beta·C.
template <typename T>
void cublas_gemm(const GemmCall& g, const char* op) {
  LaunchScope launch;  // the library call counts as one launch, whatever it runs inside
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
  LaunchScope launch;  // the library call counts as one launch, whatever it runs inside
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

#include <cmath>
#include <vector>
#include "../core/parallel.h"
namespace mmg {
namespace emu {

// cos and sin of 2π·j/n for j < n, in double, exact at the quarter turns (so sin(π) is 0, not 1e-16).
inline void dft_table(int64_t n, std::vector<double>& c, std::vector<double>& s) {
  c.resize(size_t(n));
  s.resize(size_t(n));
  const double two_pi = 6.283185307179586476925286766559;
  for (int64_t j = 0; j < n; ++j) {
    if ((4 * j) % n == 0) {
      const int64_t q = 4 * j / n;  // 0..3
      c[size_t(j)] = q == 0 ? 1.0 : q == 2 ? -1.0 : 0.0;
      s[size_t(j)] = q == 1 ? 1.0 : q == 3 ? -1.0 : 0.0;
    } else {
      c[size_t(j)] = std::cos(two_pi * double(j) / double(n));
      s[size_t(j)] = std::sin(two_pi * double(j) / double(n));
    }
  }
}

// cufftExec{R2C,D2Z,C2R,Z2D} on a rank-1 plan as described by FftCall (native/core/hd/lib_calls.h): a plain
// O(n²) DFT per batch entry in double, rounded to T at the end. It follows cuFFT's documented
// semantics, not its arithmetic. Argument checks: cuFFT's (sizes ≥ 1, strides ≥ 1); beyond those,
// layouts whose batch entries overlap (on the output side, or on the input side where an
// out-of-place C2R may write) are refused, since on a GPU they would race, and so is a C2R input
// that is not Hermitian at DC/Nyquist (Im X_0 or Im X_{n/2} not exactly 0), whose result cuFFT
// leaves undefined. Otherwise C2R reads only Re X_0 and Re X_{n/2}. After a C2R the input's bins
// are NaN (cuFFT may overwrite the input of an out-of-place C2R).
template <typename T>
void cufft_exec(const FftCall& f, const char* op) {
  LaunchScope launch;  // the library call counts as one launch, whatever it runs inside
  const bool dbl = f.dtype == MMG_F64;
  const char* call = f.inverse ? (dbl ? "cufftExecZ2D" : "cufftExecC2R") : (dbl ? "cufftExecD2Z" : "cufftExecR2C");
  if (f.n < 1 || f.batch < 1) invalid_value(op, call, "transform size " + std::to_string(f.n) + " and batch " + std::to_string(f.batch) + " must be >= 1");
  if (f.istride < 1 || f.ostride < 1) invalid_value(op, call, "strides must be >= 1");
  const int64_t bins = f.n / 2 + 1;
  const int64_t len_in = f.inverse ? bins : f.n, len_out = f.inverse ? f.n : bins;
  if (f.inembed < len_in || f.onembed < len_out)
    invalid_value(op, call, "inembed " + std::to_string(f.inembed) + " / onembed " + std::to_string(f.onembed) + " shorter than the transform's " +
                                std::to_string(len_in) + " / " + std::to_string(len_out) + " elements");
  const int64_t span_in = (len_in - 1) * f.istride + 1, span_out = (len_out - 1) * f.ostride + 1;
  if (f.batch > 1 && (f.odist < span_out || (f.inverse && f.idist < span_in)))
    invalid_value(op, call, "batch entries overlap (idist " + std::to_string(f.idist) + ", odist " + std::to_string(f.odist) + ")");
  const int64_t n = f.n;
  if (f.inverse)  // checked here, not in the parallel loop below (the pool does not carry exceptions)
    for (int64_t b = 0; b < f.batch; ++b) {
      const T* z = static_cast<const T*>(f.in) + 2 * b * f.idist;
      const bool bad0 = !(z[1] == T(0)), bad_nyq = n % 2 == 0 && !(z[2 * (n / 2) * f.istride + 1] == T(0));
      if (bad0 || bad_nyq)
        fail(MMG_E_CUDA, op, ": ", call, " input is not Hermitian: batch entry ", b, " has a nonzero imaginary part at bin ",
             bad0 ? int64_t(0) : n / 2, " (cuFFT's result is undefined) [cuda-emu library model]");
    }
  std::vector<double> cs, sn;
  dft_table(f.n, cs, sn);
  parallel_for(f.batch, std::max<int64_t>(1, 4096 / (n * bins)), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      if (!f.inverse) {
        const T* x = static_cast<const T*>(f.in) + b * f.idist;
        T* y = static_cast<T*>(f.out) + 2 * b * f.odist;
        for (int64_t k = 0; k < bins; ++k) {
          double re = 0, im = 0;
          for (int64_t t = 0; t < n; ++t) {
            const size_t j = size_t((k * t) % n);
            re += double(x[t * f.istride]) * cs[j];
            im -= double(x[t * f.istride]) * sn[j];
          }
          y[2 * k * f.ostride] = static_cast<T>(re);
          y[2 * k * f.ostride + 1] = static_cast<T>(im);
        }
      } else {
        const T* z = static_cast<const T*>(f.in) + 2 * b * f.idist;
        T* x = static_cast<T*>(f.out) + b * f.odist;
        for (int64_t t = 0; t < n; ++t) {
          double acc = double(z[0]);  // Re X_0; Im X_0 unused
          for (int64_t k = 1; 2 * k < n; ++k) {
            const size_t j = size_t((k * t) % n);
            acc += 2.0 * (double(z[2 * k * f.istride]) * cs[j] - double(z[2 * k * f.istride + 1]) * sn[j]);
          }
          if (n % 2 == 0) acc += ((t & 1) ? -1.0 : 1.0) * double(z[2 * (n / 2) * f.istride]);  // Re X_{n/2}; its Im unused
          x[t * f.ostride] = static_cast<T>(acc);
        }
      }
    }
  });
  // cuFFT documents that an out-of-place C2R/Z2D may overwrite its input: leave it unusable, so
  // code that reads the spectrum again after the transform fails its tests here instead of on a GPU.
  if (f.inverse)
    for (int64_t b = 0; b < f.batch; ++b) {
      T* z = static_cast<T*>(f.in) + 2 * b * f.idist;
      for (int64_t k = 0; k < bins; ++k) z[2 * k * f.istride] = z[2 * k * f.istride + 1] = std::numeric_limits<T>::quiet_NaN();
    }
}

}  // namespace emu
}  // namespace mmg
