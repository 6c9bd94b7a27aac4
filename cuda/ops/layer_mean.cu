// layer_mean: one thread per element, the layers' pointers in the kernel parameters
// (layer_mean.h); more than kLayerChunk layers carry the double sums over in scratch.
#include "../common.cuh"
#include "../../native/ops/layer_mean.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void layer_mean_kernel(int64_t n, body::LayerChunk ch, double* acc, T* y) {
  MMG_GRID_STRIDE(i, n) body::layer_mean_elem(i, ch, acc, y);
}

void layer_mean_cuda(Call& c) {
  layer_mean_check(c);
  const mmg_tensor& X0 = c.in(0);
  mmg_tensor& Y = c.out_like(X0);
  const int64_t n = numel(X0);
  if (n == 0) return;
  Scratch acc(c.n_in() > body::kLayerChunk ? uint64_t(n) * sizeof(double) : 0, c.op());
  MMG_FLOAT_SWITCH(X0.dtype, T, c, {
    for (int k0 = 0; k0 < c.n_in(); k0 += body::kLayerChunk)
      layer_mean_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, layer_chunk(c, k0), acc.as<double>(), ptr<T>(Y));
  });
  check_launch(c.op(), "layer_mean_kernel");
}

}  // namespace
MMG_CUDA_OP("layer_mean", layer_mean_cuda);
}  // namespace cuda
}  // namespace mmg
