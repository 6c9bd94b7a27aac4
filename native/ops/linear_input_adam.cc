// linear_input_adam: Adam on a linear layer's input without storing its gradient (contract:
// linear_input_adam.h). float32 on shapes gemm_shallow_applies takes (a 4,096-wide table, o = 64):
// the shallow kernel (core/gemm_special.h) forms dX = dY·W for a block of 12 rows into a per-thread
// buffer that stays in L2, and adam's element update runs along the block's rows of p, m, v
// (linear_input_adam_tile.inc): the same kernel as the matmul op's for that shape, so the values
// are matmul + adam's bit for bit. Parallel over the table's rows. Otherwise gemm_tiles hands over
// dX = dY·W in tiles of about 768 KB, with the values the matmul op would store, and each tile's
// rows get adam's element update while the tile is in cache (adam_update_cpu: adam's own loop).
// Parallel as gemm is (over dX's rows in the usual shapes).
#include <algorithm>
#include <cstring>
#include "linear_input_adam.h"
#include "../core/cpu_dispatch.h"
#include "../core/gemm.h"
#include "../core/gemm_special.h"
#include "../core/registry.h"
#if MMG_X86_DISPATCH
#include <immintrin.h>
#endif

namespace mmg {
namespace {

#if MMG_X86_DISPATCH
#define GK_NS lia512
#define GK_TARGET MMG_TARGET_AVX512
#define GK_VB 64
#include "../core/gemm_simd.inc"
#include "linear_input_adam_tile.inc"
#undef GK_NS
#undef GK_TARGET
#undef GK_VB
#define GK_NS lia256
#define GK_TARGET MMG_TARGET_AVX2
#define GK_VB 32
#include "../core/gemm_simd.inc"
#include "linear_input_adam_tile.inc"
#undef GK_NS
#undef GK_TARGET
#undef GK_VB
#endif

// The fused float32 path; false where the shape (or the CPU) is not the shallow kernel's.
bool shallow_adam(const LinearInputAdamPlan& a, float* p, const float* dy, const float* w, float* m, float* v,
                  const body::AdamStep<float>& k) {
#if MMG_X86_DISPATCH
  if (!gemm_shallow_applies(a.n, a.k, a.o)) return false;
  gemm_shallow_run(a.n, a.k, a.o, w, a.k, false, [&](int vb, int64_t r0, int64_t r1, const float* packed) {
    if (vb == 64) lia512::adam_rows(r0, r1, a.k, a.o, dy, packed, p, m, v, k);
    else lia256::adam_rows(r0, r1, a.k, a.o, dy, packed, p, m, v, k);
  });
  return true;
#else
  (void)a, (void)p, (void)dy, (void)w, (void)m, (void)v, (void)k;
  return false;
#endif
}
bool shallow_adam(const LinearInputAdamPlan&, double*, const double*, const double*, double*, double*, const body::AdamStep<double>&) {
  return false;
}

// dX tiles of about 768 KB: whole rows of a 4,096-wide table 48 at a time (float32). Smaller tiles
// repack W's columns more often; larger ones leave the cache before the update reads them.
constexpr size_t kTileBytes = 768 << 10;

void linear_input_adam_cpu(Call& c) {
  const LinearInputAdamPlan a = linear_input_adam_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const body::AdamStep<T> k = adam_step<T>(a.adam);
    T* p = ptr<T>(c.in(0));
    T *m = ptr<T>(c.in(3)), *v = ptr<T>(c.in(4));
    const int64_t cols = a.k;
    if (!shallow_adam(a, p, ptr<T>(c.in(1)), ptr<T>(c.in(2)), m, v, k))
      gemm_tiles<T>(a.n, a.k, a.o, ptr<T>(c.in(1)), a.o, ptr<T>(c.in(2)), a.k, kTileBytes,
                    [&](int64_t r0, int64_t r1, int64_t c0, int64_t c1, const T* g, int64_t ldg) {
                      for (int64_t r = r0; r < r1; ++r) {
                        const int64_t at = r * cols + c0;
                        adam_update_cpu(p + at, g + (r - r0) * ldg, m + at, v + at, c1 - c0, k);
                      }
                    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("linear_input_adam", MMG_CPU, linear_input_adam_cpu);
}  // namespace mmg
