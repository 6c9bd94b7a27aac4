// sum_squares: the two-pass double reduction of x² (block_reduce.cuh) and the elementwise backward.
#include "../block_reduce.cuh"
#include "../../native/ops/sum_squares.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void sum_squares_backward_kernel(int64_t n, const T* x, const T* g, T* dx) {
  MMG_GRID_STRIDE(i, n) body::sum_squares_backward_elem(i, x, g, dx);
}

void sum_squares_cuda(Call& c) {
  sum_squares_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  MMG_FLOAT_SWITCH(X.dtype, T, c, reduce_all(numel(X), body::ReduceSquare<T>{ptr<T>(X)}, body::StoreSumSquares<T>{ptr<T>(Y)}, c.op()));
}

void sum_squares_backward_cuda(Call& c) {
  sum_squares_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  const int64_t n = numel(X);
  if (n == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    sum_squares_backward_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, ptr<T>(X), ptr<T>(G), ptr<T>(DX));
  });
  check_launch(c.op(), "sum_squares_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("sum_squares", sum_squares_cuda);
MMG_CUDA_OP("sum_squares_backward", sum_squares_backward_cuda);
}  // namespace cuda
}  // namespace mmg
