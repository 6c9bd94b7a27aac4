// dropout: inverted dropout with a counter-based mask, reproducible on any thread count or device.
// Inputs: X (any shape) float32/float64. Attrs: [p, seed_lo, seed_hi]: 0 ≤ p < 1, and the 64-bit
// seed as two uint32 halves (attributes are doubles, which hold only 53 bits).
// Outputs: Y = X ⊙ mask, mask (X's shape and dtype): mask_i = 1/(1−p) when element i is kept, else 0.
// Element i is kept iff the top 53 bits of splitmix64(seed, i) ≥ ⌈p·2⁵³⌉, i.e. u_i ≥ p with
// u_i uniform on [0, 1): the decision depends only on (seed, i, p).
// dropout_backward: inputs dY, mask → dX = dY ⊙ mask.
// The wrapper (lib/ops/dropout.ts) skips the kernel when p = 0 or in eval mode (identity).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

// ---- per-element bodies (pure; the CUDA port reuses them) ----
inline uint64_t splitmix64_at(uint64_t seed, uint64_t i) {
  uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
inline bool dropout_keep(uint64_t seed, uint64_t i, uint64_t threshold53) { return (splitmix64_at(seed, i) >> 11) >= threshold53; }

uint32_t seed_half(const Call& c, int i, const char* name) {
  const double v = c.attr(i);
  if (!(v >= 0 && v <= 4294967295.0) || v != std::floor(v))
    fail(MMG_E_ARG, c.op(), ": expected ", name, " to be an integer in [0, 2^32), got ", v);
  return static_cast<uint32_t>(v);
}

void dropout_cpu(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "X");
  const double p = c.attr(0);
  if (!(p >= 0 && p < 1)) fail(MMG_E_ARG, c.op(), ": expected a drop probability p in [0, 1), got ", p);
  const uint64_t seed = (uint64_t(seed_half(c, 2, "seed_hi")) << 32) | seed_half(c, 1, "seed_lo");
  const uint64_t threshold = static_cast<uint64_t>(std::ceil(p * 9007199254740992.0));  // p·2^53, exact
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  mmg_tensor& M = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T scale = T(1) / static_cast<T>(1.0 - p);
    const T* x = ptr<T>(X);
    T *y = ptr<T>(Y), *m = ptr<T>(M);
    parallel_for(numel(X), 1 << 14, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) {
        m[i] = dropout_keep(seed, static_cast<uint64_t>(i), threshold) ? scale : T(0);
        y[i] = x[i] * m[i];
      }
    });
  });
}

void dropout_backward_cpu(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "dY");
  c.expect_same_dtype(0, 1, "dY", "mask");
  c.expect_same_shape(0, 1, "dY", "mask");
  const mmg_tensor &G = c.in(0), &M = c.in(1);
  mmg_tensor& dX = c.out_like(G);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    const T *g = ptr<T>(G), *m = ptr<T>(M);
    T* dx = ptr<T>(dX);
    parallel_for(numel(G), 1 << 15, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) dx[i] = g[i] * m[i];
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("dropout", MMG_CPU, dropout_cpu);
MMG_REGISTER_KERNEL("dropout_backward", MMG_CPU, dropout_backward_cpu);
}  // namespace mmg
