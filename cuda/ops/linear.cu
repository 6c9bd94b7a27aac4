// linear: the bias broadcast into y, then cublasSgemm/cublasDgemm with beta = 1 (linear.body.h).
#include "../common.cuh"
#include "linear.body.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void linear_bias_kernel(int64_t total, const T* b, int64_t out, T* y) {
  MMG_GRID_STRIDE(i, total) body::linear_bias_elem(i, b, out, y);
}

void linear_cuda(Call& c) {
  const LinearPlan p = linear_setup(c);
  const GemmCall& g = p.gemm;
  const int64_t total = p.n * p.out;
  if (total == 0) return;
  if (p.has_b) {
    MMG_FLOAT_SWITCH(g.dtype, T, c, {
      linear_bias_kernel<T><<<blocks_for(total), body::kBlock, 0, stream()>>>(total, ptr<T>(c.in(2)), p.out, static_cast<T*>(g.C));
    });
    check_launch(c.op(), "linear_bias_kernel");
  }
  if (g.k == 0) {  // y = b, or zeros; cuBLAS would reject lda == 0
    if (!p.has_b) MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(g.C, 0, uint64_t(total) * dtype_size(g.dtype), stream()));
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
MMG_CUDA_OP("linear", linear_cuda);
}  // namespace cuda
}  // namespace mmg
