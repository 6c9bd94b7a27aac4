// adam: one elementwise in-place kernel per parameter tensor; adam_multi: one kernel for many
// tensors (adam.h).
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

// adam_multi: one launch per chunk of up to kAdamMultiMax tensors, passed by value.
template <typename T>
__global__ void adam_multi_kernel(const body::AdamMultiChunk<T> ch) {
  body::adam_multi_thread(ch, blockIdx.x, threadIdx.x);
}

void adam_multi_cuda(Call& c) {
  const std::vector<AdamPlan> plans = adam_multi_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    for (const body::AdamMultiChunk<T>& ch : adam_multi_chunks<T>(c, plans)) {
      const int64_t blocks = ch.first_block[ch.count];
      if (blocks > 0x7fffffff) fail(MMG_E_ARG, c.op(), ": expected at most 2^31 - 1 blocks in a launch, got ", blocks);
      adam_multi_kernel<T><<<unsigned(blocks), body::kBlock, 0, stream()>>>(ch);
      check_launch(c.op(), "adam_multi_kernel");
    }
  });
}

}  // namespace
MMG_CUDA_OP("adam", adam_cuda);
MMG_CUDA_OP("adam_multi", adam_multi_cuda);
}  // namespace cuda
}  // namespace mmg
