// sum_doubles_to: out[0] = T(Σ v[0..n) / divisor) on the stream, deterministically (fixed chunks,
// strides and tree; see body::strided_sum). n = 0 writes NaN when nan_if_empty (a mean over
// nothing), 0 otherwise. The host twin is emu::sum_doubles.
#pragma once
#include "common.cuh"

namespace mmg {
namespace cuda {

__global__ void sum_doubles_partials_kernel(const double* v, int64_t n, double* partial);

template <typename T>
__global__ void sum_doubles_finish_kernel(const double* partial, int64_t nb, double divisor, bool nan, T* out) {
  __shared__ double sh[body::kBlock];
  const double s = block_tree_sum(body::strided_sum(partial, 0, nb, threadIdx.x), sh);
  if (threadIdx.x == 0) *out = nan ? T(NAN) : T(s / divisor);
}

template <typename T>
void sum_doubles_to(const double* v, int64_t n, double divisor, bool nan_if_empty, T* out, const char* op) {
  const int64_t nb = (n + body::kSumChunk - 1) / body::kSumChunk;
  Scratch partial(uint64_t(nb > 0 ? nb : 1) * sizeof(double), op);
  if (nb > 0) sum_doubles_partials_kernel<<<unsigned(nb), body::kBlock, 0, stream()>>>(v, n, partial.as<double>());
  sum_doubles_finish_kernel<T><<<1, body::kBlock, 0, stream()>>>(partial.as<double>(), nb, divisor, nan_if_empty && n == 0, out);
  check_launch(op, "sum_doubles kernels");
}

}  // namespace cuda
}  // namespace mmg
