// Eigen-backed serial products, one copy per SIMD level (see gemm.cc).
#pragma once
#include <cstdint>
namespace mmg {
#define MMG_DECLARE_EIGEN_GEMM(ns)                                                                                      \
  namespace ns {                                                                                                       \
  void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, const float* b,     \
            int64_t ldb, float beta, float* c, int64_t ldc);                                                           \
  void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, double alpha, const double* a, int64_t lda, const double* b, \
            int64_t ldb, double beta, double* c, int64_t ldc);                                                         \
  }
MMG_DECLARE_EIGEN_GEMM(eigen_base)
MMG_DECLARE_EIGEN_GEMM(eigen_avx2)
MMG_DECLARE_EIGEN_GEMM(eigen_avx512)
}  // namespace mmg
