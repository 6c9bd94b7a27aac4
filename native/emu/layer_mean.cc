// layer_mean on cuda-emu: the GPU's launches (kLayerChunk layers each) over every thread.
#include <vector>
#include "../ops/layer_mean.h"
#include "grid.h"

namespace mmg {
namespace {

void layer_mean_emu(Call& c) {
  layer_mean_check(c);
  const mmg_tensor& X0 = c.in(0);
  mmg_tensor& Y = c.out_like(X0);
  const int64_t n = numel(X0);
  std::vector<double> acc(c.n_in() > body::kLayerChunk ? size_t(n) : 0);
  MMG_FLOAT_SWITCH(X0.dtype, T, c, {
    T* y = ptr<T>(Y);
    for (int k0 = 0; k0 < c.n_in(); k0 += body::kLayerChunk) {
      const body::LayerChunk ch = layer_chunk(c, k0);
      emu::for_threads(n, [&](int64_t i) { body::layer_mean_elem(i, ch, acc.data(), y); });
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("layer_mean", MMG_CUDA_EMU, layer_mean_emu);
}  // namespace mmg
