#include "reduce.cuh"

namespace mmg {
namespace cuda {

__global__ void sum_doubles_partials_kernel(const double* v, int64_t n, double* partial) {
  __shared__ double sh[body::kBlock];
  const int64_t lo = int64_t(blockIdx.x) * body::kSumChunk, hi = body::hd_min(n, lo + body::kSumChunk);
  const double s = block_tree_sum(body::strided_sum(v, lo, hi, threadIdx.x), sh);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

}  // namespace cuda
}  // namespace mmg
