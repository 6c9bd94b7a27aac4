// linear_input_adam: Adam on a linear layer's input without storing its gradient (contract:
// cuda/ops/linear_input_adam.body.h). gemm_tiles hands over dX = dY·W in tiles of about 192 KB,
// with the values the matmul op would store, and each tile's rows get adam's element update while
// the tile is in cache. Parallel as gemm is (over dX's rows in the usual shapes).
#include "../../cuda/ops/linear_input_adam.body.h"
#include "../core/gemm.h"
#include "../core/registry.h"

namespace mmg {
namespace {

constexpr size_t kTileBytes = 192 << 10;

// adam_range's loop (native/ops/adam.cc) over one tile row: distinct arrays, so it vectorizes.
template <typename T>
void update_row(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, int64_t len, const body::AdamStep<T> k) {
  for (int64_t i = 0; i < len; ++i) {
    T pi = p[i], mi = m[i], vi = v[i];
    body::adam_update(pi, g[i], mi, vi, k);
    p[i] = pi;
    m[i] = mi;
    v[i] = vi;
  }
}

void linear_input_adam_cpu(Call& c) {
  const LinearInputAdamPlan a = linear_input_adam_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const body::AdamStep<T> k = adam_step<T>(a.adam);
    T* p = ptr<T>(c.in(0));
    T *m = ptr<T>(c.in(3)), *v = ptr<T>(c.in(4));
    const int64_t cols = a.k;
    gemm_tiles<T>(a.n, a.k, a.o, ptr<T>(c.in(1)), a.o, ptr<T>(c.in(2)), a.k, kTileBytes,
                  [&](int64_t r0, int64_t r1, int64_t c0, int64_t c1, const T* g, int64_t ldg) {
                    for (int64_t r = r0; r < r1; ++r) {
                      const int64_t at = r * cols + c0;
                      update_row(p + at, g + (r - r0) * ldg, m + at, v + at, c1 - c0, k);
                    }
                  });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("linear_input_adam", MMG_CPU, linear_input_adam_cpu);
}  // namespace mmg
