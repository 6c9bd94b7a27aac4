// dropout: a grid-stride kernel writing the mask and the output (dropout.h);
// dropout_backward: the elementwise product dY ⊙ mask (elementwise.cuh).
#include "../../native/ops/dropout.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void dropout_kernel(int64_t n, const T* x, T* y, T* m, uint64_t seed, uint64_t threshold, T scale) {
  MMG_GRID_STRIDE(i, n) body::dropout_elem(i, x, y, m, seed, threshold, scale);
}

void dropout_cuda(Call& c) {
  const DropoutPlan d = dropout_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  mmg_tensor& M = c.out_like(X);
  const int64_t n = numel(X);
  if (n == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T scale = T(1) / static_cast<T>(1.0 - d.p);
    dropout_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, ptr<T>(X), ptr<T>(Y), ptr<T>(M), d.seed, d.threshold, scale);
  });
  check_launch(c.op(), "dropout_kernel");
}

void dropout_backward_cuda(Call& c) {
  dropout_backward_check(c);
  const mmg_tensor &G = c.in(0), &M = c.in(1);
  mmg_tensor& DX = c.out_like(G);
  MMG_FLOAT_SWITCH(G.dtype, T, c, launch_map2<T>(c.op(), numel(G), ptr<T>(G), ptr<T>(M), ptr<T>(DX), body::MulOp<T>()));
}

}  // namespace
MMG_CUDA_OP("dropout", dropout_cuda);
MMG_CUDA_OP("dropout_backward", dropout_backward_cuda);
}  // namespace cuda
}  // namespace mmg
