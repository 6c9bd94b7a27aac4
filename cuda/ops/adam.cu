// adam: one elementwise in-place kernel per parameter tensor (adam.h).
#include "../common.cuh"
#include "../../native/ops/adam.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void adam_kernel(int64_t n, T* p, const T* g, T* m, T* v, body::AdamStep<T> k) {
  MMG_GRID_STRIDE(i, n) body::adam_elem(i, p, g, m, v, k);
}

void adam_cuda(Call& c) {
  const AdamPlan a = adam_plan(c);
  if (a.n == 0) return;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    adam_kernel<T><<<blocks_for(a.n), body::kBlock, 0, stream()>>>(a.n, ptr<T>(c.in(0)), ptr<T>(c.in(1)), ptr<T>(c.in(2)),
                                                                    ptr<T>(c.in(3)), adam_step<T>(a));
  });
  check_launch(c.op(), "adam_kernel");
}

}  // namespace
MMG_CUDA_OP("adam", adam_cuda);
}  // namespace cuda
}  // namespace mmg
