// dropout: inverted dropout with a counter-based mask, reproducible on any thread count or device.
// Inputs: X (any shape) float32/float64. Attrs: [p, seed_lo, seed_hi]: 0 ≤ p < 1, and the 64-bit
// seed as two uint32 halves (attributes are doubles, which hold only 53 bits).
// Outputs: Y = X ⊙ mask, mask (X's shape and dtype): mask_i = 1/(1−p) when element i is kept, else 0.
// Element i is kept iff the top 53 bits of splitmix64(seed, i) ≥ ⌈p·2⁵³⌉, i.e. u_i ≥ p with
// u_i uniform on [0, 1): the decision depends only on (seed, i, p).
// dropout_backward: inputs dY, mask → dX = dY ⊙ mask.
// The wrapper (lib/ops/dropout.ts) skips the kernel when p = 0 or in eval mode (identity).
#include "../core/cpu_dispatch.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "dropout.h"  // dropout_plan, dropout_backward_check, body::dropout_elem (every device)

namespace mmg {
namespace {

// The element loop, also compiled for AVX-512 (and AVX2): a loop in the op's lambda is built for the
// baseline ISA only, where the hash's 64-bit multiplies stay scalar (about 4 ns per element); GCC
// vectorizes the same per-element body (shared with CUDA) in the targeted copies (vpmullq with
// AVX-512DQ; the restrict pointers let it). Integer hashing and one multiply per element, so every
// copy gives the same bits.
template <typename T>
MMG_ALWAYS_INLINE void dropout_loop(int64_t s, int64_t e, const T* __restrict x, T* __restrict y, T* __restrict m, uint64_t seed,
                                    uint64_t threshold, T scale) {
  for (int64_t i = s; i < e; ++i) body::dropout_elem(i, x, y, m, seed, threshold, scale);
}
template <typename T>
MMG_TARGET_AVX512 void dropout_loop_avx512(int64_t s, int64_t e, const T* x, T* y, T* m, uint64_t seed, uint64_t threshold, T scale) {
  dropout_loop(s, e, x, y, m, seed, threshold, scale);
}
template <typename T>
MMG_TARGET_AVX2 void dropout_loop_avx2(int64_t s, int64_t e, const T* x, T* y, T* m, uint64_t seed, uint64_t threshold, T scale) {
  dropout_loop(s, e, x, y, m, seed, threshold, scale);
}

void dropout_cpu(Call& c) {
  const DropoutPlan d = dropout_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  mmg_tensor& M = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T scale = T(1) / static_cast<T>(1.0 - d.p);
    const T* x = ptr<T>(X);
    T *y = ptr<T>(Y), *m = ptr<T>(M);
    const uint64_t seed = d.seed, threshold = d.threshold;
    parallel_for(numel(X), 1 << 14, [&](int64_t s, int64_t e) {
      if (cpu_has_avx512()) dropout_loop_avx512<T>(s, e, x, y, m, seed, threshold, scale);
      else if (cpu_has_avx2_fma()) dropout_loop_avx2<T>(s, e, x, y, m, seed, threshold, scale);
      else dropout_loop<T>(s, e, x, y, m, seed, threshold, scale);
    });
  });
}

void dropout_backward_cpu(Call& c) {
  dropout_backward_check(c);
  const mmg_tensor &G = c.in(0), &M = c.in(1);
  mmg_tensor& dX = c.out_like(G);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    const T *g = ptr<T>(G), *m = ptr<T>(M);
    T* dx = ptr<T>(dX);
    parallel_for(numel(G), 1 << 15, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) dx[i] = body::MulOp<T>()(g[i], m[i]);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("dropout", MMG_CPU, dropout_cpu);
MMG_REGISTER_KERNEL("dropout_backward", MMG_CPU, dropout_backward_cpu);
}  // namespace mmg
