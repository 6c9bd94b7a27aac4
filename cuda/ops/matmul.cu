// matmul: one cuBLAS gemm (run_gemm, gemm_call.cuh) on the backend's stream. Setup and checks: matmul.h.
#include "../common.cuh"
#include "gemm_call.cuh"
#include "../../native/ops/matmul.h"

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
  run_gemm(g, c.op());
}

}  // namespace
MMG_CUDA_OP("matmul", matmul_cuda);
}  // namespace cuda
}  // namespace mmg
