// rand_like: U = uniform [0, 1) values with X's shape, dtype and device (torch.rand_like); X's values
// are not read. Attrs [seed_lo, seed_hi]: the 64-bit seed as two uint32 halves (attributes are
// doubles, which hold only 53 bits). X float32/float64, any shape.
// Counter-based: element i is splitmix64(seed, i) (the same mixer as dropout), so the values depend
// only on (seed, i) — identical on any thread count or device. float64 takes the top 53 bits ·2⁻⁵³,
// float32 the top 24 bits ·2⁻²⁴: every value is exactly representable, so none rounds up to 1.
// No backward: the output is a constant (random draws carry no gradient to X's values).
// Used by GUME's noise views (its reference draws torch.rand_like per view).
#include "../core/cpu_dispatch.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "rand_like.h"  // rand_like_plan, body::rand_like_one (one definition for every device)

namespace mmg {
namespace {

// The element loop, also compiled for AVX-512 and AVX2: built for the baseline ISA only (a loop in
// the op's lambda), the hash's 64-bit multiplies stay scalar; the targeted copies vectorize the
// same per-element body (see dropout.cc). Integer hashing and an exact conversion: same bits.
template <typename T>
MMG_ALWAYS_INLINE void rand_loop(int64_t s, int64_t e, T* __restrict u, uint64_t seed) {
  for (int64_t i = s; i < e; ++i) u[i] = body::rand_like_one<T>(seed, static_cast<uint64_t>(i));
}
template <typename T>
MMG_TARGET_AVX512 void rand_loop_avx512(int64_t s, int64_t e, T* u, uint64_t seed) {
  rand_loop(s, e, u, seed);
}
template <typename T>
MMG_TARGET_AVX2 void rand_loop_avx2(int64_t s, int64_t e, T* u, uint64_t seed) {
  rand_loop(s, e, u, seed);
}

void rand_like_cpu(Call& c) {
  const uint64_t seed = rand_like_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& U = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    T* u = ptr<T>(U);
    parallel_for(numel(X), 1 << 14, [&](int64_t s, int64_t e) {
      if (cpu_has_avx512()) rand_loop_avx512<T>(s, e, u, seed);
      else if (cpu_has_avx2_fma()) rand_loop_avx2<T>(s, e, u, seed);
      else rand_loop<T>(s, e, u, seed);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("rand_like", MMG_CPU, rand_like_cpu);
}  // namespace mmg
