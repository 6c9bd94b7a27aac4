// linear: the bias broadcast into y, then cublasSgemm/cublasDgemm with beta = 1 (linear.h).
#include "../common.cuh"
#include "gemm_call.cuh"
#include "../../native/ops/linear.h"

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
  run_gemm(g, c.op());
}

}  // namespace
MMG_CUDA_OP("linear", linear_cuda);
}  // namespace cuda
}  // namespace mmg
