// Dense products, row-major: C = alpha * op(A) * op(B) + beta * C, op = identity or transpose.
// Used by matmul, linear and every op that needs a dense product. Eigen 3.4 when its headers were
// found at build time, otherwise the built-in packed kernel. Parallel over C's rows (or columns,
// when C has few rows); each thread runs a single-threaded product on its block.
// Deterministic: the summation order depends only on the shapes, never on thread timing.
#pragma once
#include <cstdint>
#include <string>

namespace mmg {

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
          int64_t ldb, T beta, T* c, int64_t ldc);

// The same product forced through one implementation, for benchmarks and cross-checks.
// EigenAvx2 is Eigen capped at the AVX2 copy even where AVX-512 exists (benchmarks compare the two).
enum class GemmImpl { Auto, Eigen, Builtin, Naive, EigenAvx2 };
template <typename T>
void gemm_with(GemmImpl impl, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda,
               const T* b, int64_t ldb, T beta, T* c, int64_t ldc);

bool gemm_has_eigen();
const char* gemm_backend_name();
// The SIMD level the default GEMM path runs at on this CPU: "avx512", "avx2" or "baseline".
const char* gemm_simd_name();
std::string cpu_features_string();

}  // namespace mmg
