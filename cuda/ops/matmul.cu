// matmul: cublasSgemm/cublasDgemm on the backend's stream. Setup and checks: matmul.body.h.
#include "../common.cuh"
#include "matmul.body.h"

namespace mmg {
namespace cuda {
namespace {

void matmul_cuda(Call& c) {
  const GemmCall g = matmul_setup(c);
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0) {  // an empty inner dimension gives zeros; cuBLAS would reject lda == 0
    MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(g.C, 0, uint64_t(g.m * g.n) * dtype_size(g.dtype), stream()));
    return;
  }
  cublasHandle_t h = cublas(c.op());
  const int m = to_int(g.m, c.op(), "m"), n = to_int(g.n, c.op(), "n"), k = to_int(g.k, c.op(), "k");
  const int lda = to_int(g.lda, c.op(), "lda"), ldb = to_int(g.ldb, c.op(), "ldb"), ldc = to_int(g.ldc, c.op(), "ldc");
  const cublasOperation_t ta = g.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, tb = g.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  if (g.dtype == MMG_F32) {
    const float alpha = float(g.alpha), beta = float(g.beta);
    check(cublasSgemm(h, ta, tb, m, n, k, &alpha, static_cast<const float*>(g.A), lda, static_cast<const float*>(g.B), ldb, &beta,
                      static_cast<float*>(g.C), ldc),
          c.op(), "cublasSgemm");
  } else {
    const double alpha = g.alpha, beta = g.beta;
    check(cublasDgemm(h, ta, tb, m, n, k, &alpha, static_cast<const double*>(g.A), lda, static_cast<const double*>(g.B), ldb,
                      &beta, static_cast<double*>(g.C), ldc),
          c.op(), "cublasDgemm");
  }
}

}  // namespace
MMG_CUDA_OP("matmul", matmul_cuda);
}  // namespace cuda
}  // namespace mmg
