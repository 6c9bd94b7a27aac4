// rand_like: a grid-stride kernel, one counter-based draw per element (rand_like.h).
#include "../common.cuh"
#include "../../native/ops/rand_like.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void rand_like_kernel(int64_t n, uint64_t seed, T* u) {
  MMG_GRID_STRIDE(i, n) u[i] = body::rand_like_one<T>(seed, uint64_t(i));
}

void rand_like_cuda(Call& c) {
  const uint64_t seed = rand_like_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& U = c.out_like(X);
  const int64_t n = numel(X);
  if (n == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, { rand_like_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, seed, ptr<T>(U)); });
  check_launch(c.op(), "rand_like_kernel");
}

}  // namespace
MMG_CUDA_OP("rand_like", rand_like_cuda);
}  // namespace cuda
}  // namespace mmg
