// layer_mean: y = (x₀ + x₁ + … + x_{L−1}) / L for L ≥ 1 same-shape, same-dtype float tensors (LightGCN's
// mean over its propagation layers, layer 0 included). Sums each element in layer order in double,
// then divides once: deterministic. Output shaped like x₀.
// Backward (lib/ops/layer_mean.ts): every xₗ gets g/L (the scale kernel).
#include <vector>
#include "layer_mean.h"  // layer_mean_check (shared with the CUDA port)
#include "../core/elementwise.h"

namespace mmg {
namespace {

void layer_mean_cpu(Call& c) {
  layer_mean_check(c);
  const mmg_tensor& X0 = c.in(0);
  mmg_tensor& Y = c.out_like(X0);
  const int64_t n = numel(X0);
  MMG_FLOAT_SWITCH(X0.dtype, T, c, {
    std::vector<const T*> xs;
    for (int k = 0; k < c.n_in(); ++k) xs.push_back(ptr<T>(c.in(k)));
    T* y = ptr<T>(Y);
    // Blocked so each block streams the L inputs once while the running sums stay in cache.
    constexpr int64_t kBlock = 1024;
    const int64_t nblocks = (n + kBlock - 1) / kBlock;
    parallel_for(nblocks, std::max<int64_t>(1, kGrain / kBlock), [&](int64_t b, int64_t e) {
      double acc[kBlock];
      for (int64_t blk = b; blk < e; ++blk) {
        const int64_t lo = blk * kBlock, len = std::min(kBlock, n - lo);
        std::fill(acc, acc + len, 0.0);
        for (const T* x : xs)
          for (int64_t i = 0; i < len; ++i) acc[i] += double(x[lo + i]);
        const double l = double(xs.size());
        for (int64_t i = 0; i < len; ++i) y[lo + i] = static_cast<T>(acc[i] / l);
      }
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("layer_mean", MMG_CPU, layer_mean_cpu);
}  // namespace mmg
