// frobenius_norm: two-pass deterministic block reduction, and the elementwise backward.
#include "../common.cuh"
#include "../../native/ops/frobenius_norm.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void frob_partials_kernel(const T* x, int64_t n, double* partial) {
  __shared__ double sh[body::kBlock];
  const double s = block_tree_sum(body::frob_partial(x, n, blockIdx.x, threadIdx.x), sh);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

template <typename T>
__global__ void frob_finish_kernel(const double* partial, int64_t nb, T* y) {
  __shared__ double sh[body::kBlock];
  const double s = block_tree_sum(body::frob_partial_of_partials(partial, nb, threadIdx.x), sh);
  if (threadIdx.x == 0) *y = T(sqrt(s));
}

template <typename T>
__global__ void frob_backward_kernel(int64_t n, const T* x, const T* y, const T* g, T* dx) {
  const T k = body::frob_backward_scale(*y, *g);
  MMG_GRID_STRIDE(i, n) dx[i] = k * x[i];
}

void frobenius_norm_cuda(Call& c) {
  frobenius_norm_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  const int64_t n = numel(X), nb = body::frob_blocks(n);
  Scratch partial(uint64_t(nb > 0 ? nb : 1) * sizeof(double), c.op());
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    if (nb > 0) frob_partials_kernel<T><<<unsigned(nb), body::kBlock, 0, stream()>>>(ptr<T>(X), n, partial.as<double>());
    frob_finish_kernel<T><<<1, body::kBlock, 0, stream()>>>(partial.as<double>(), nb, ptr<T>(Y));
  });
  check_launch(c.op(), "frobenius_norm kernels");
}

void frobenius_norm_backward_cuda(Call& c) {
  frobenius_norm_backward_check(c);
  const mmg_tensor &X = c.in(0), &Y = c.in(1), &G = c.in(2);
  mmg_tensor& DX = c.out_like(X);
  const int64_t n = numel(X);
  if (n == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    frob_backward_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, ptr<T>(X), ptr<T>(Y), ptr<T>(G), ptr<T>(DX));
  });
  check_launch(c.op(), "frob_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("frobenius_norm", frobenius_norm_cuda);
MMG_CUDA_OP("frobenius_norm_backward", frobenius_norm_backward_cuda);
}  // namespace cuda
}  // namespace mmg
