// rand_like: U = uniform [0, 1) values with X's shape, dtype and device (torch.rand_like); X's values
// are not read. Attrs [seed_lo, seed_hi]: the 64-bit seed as two uint32 halves (attributes are
// doubles, which hold only 53 bits). X float32/float64, any shape.
// Counter-based: element i is splitmix64(seed, i) (the same mixer as dropout), so the values depend
// only on (seed, i) — identical on any thread count or device. float64 takes the top 53 bits ·2⁻⁵³,
// float32 the top 24 bits ·2⁻²⁴: every value is exactly representable, so none rounds up to 1.
// No backward: the output is a constant (random draws carry no gradient to X's values).
// Used by GUME's noise views (its reference draws torch.rand_like per view).
#include <cmath>
#include <cstdint>
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

// ---- per-element bodies (pure; the CUDA port reuses them) ----
inline uint64_t rand_like_bits(uint64_t seed, uint64_t i) {
  uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
template <typename T>
inline T rand_like_one(uint64_t seed, uint64_t i);
template <>
inline double rand_like_one<double>(uint64_t seed, uint64_t i) { return double(rand_like_bits(seed, i) >> 11) * 0x1.0p-53; }
template <>
inline float rand_like_one<float>(uint64_t seed, uint64_t i) { return float(rand_like_bits(seed, i) >> 40) * 0x1.0p-24f; }

uint32_t seed_half(const Call& c, int i, const char* name) {
  const double v = c.attr(i);
  if (!(v >= 0 && v <= 4294967295.0) || v != std::floor(v))
    fail(MMG_E_ARG, c.op(), ": expected ", name, " to be an integer in [0, 2^32), got ", v);
  return static_cast<uint32_t>(v);
}

void rand_like_cpu(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "X");
  const uint64_t seed = (uint64_t(seed_half(c, 1, "seed_hi")) << 32) | seed_half(c, 0, "seed_lo");
  const mmg_tensor& X = c.in(0);
  mmg_tensor& U = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    T* u = ptr<T>(U);
    parallel_for(numel(X), 1 << 14, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) u[i] = rand_like_one<T>(seed, static_cast<uint64_t>(i));
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("rand_like", MMG_CPU, rand_like_cpu);
}  // namespace mmg
