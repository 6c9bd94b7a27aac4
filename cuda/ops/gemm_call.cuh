// Runs a GemmCall (native/core/hd/lib_calls.h) as cublasSgemm/cublasDgemm on the backend's stream, for ops
// whose setup builds the descriptor in their body.h (the emu runs it through emu::cublas_gemm).
// The caller handles k == 0 (cuBLAS rejects lda == 0) and empty results.
#pragma once
#include "../common.cuh"
#include "../../native/core/hd/lib_calls.h"

namespace mmg {
namespace cuda {

inline void run_gemm(const GemmCall& g, const char* op) {
  cublasHandle_t h = cublas(op);
  const int m = to_int(g.m, op, "m"), n = to_int(g.n, op, "n"), k = to_int(g.k, op, "k");
  const int lda = to_int(g.lda, op, "lda"), ldb = to_int(g.ldb, op, "ldb"), ldc = to_int(g.ldc, op, "ldc");
  const cublasOperation_t ta = g.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, tb = g.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  if (g.dtype == MMG_F32) {
    const float alpha = float(g.alpha), beta = float(g.beta);
    check(retry_oom([&] {
            return cublasSgemm(h, ta, tb, m, n, k, &alpha, static_cast<const float*>(g.A), lda, static_cast<const float*>(g.B), ldb,
                               &beta, static_cast<float*>(g.C), ldc);
          }),
          op, "cublasSgemm");
  } else {
    const double alpha = g.alpha, beta = g.beta;
    check(retry_oom([&] {
            return cublasDgemm(h, ta, tb, m, n, k, &alpha, static_cast<const double*>(g.A), lda, static_cast<const double*>(g.B),
                               ldb, &beta, static_cast<double*>(g.C), ldc);
          }),
          op, "cublasDgemm");
  }
}

}  // namespace cuda
}  // namespace mmg
