// linear_input_adam: Adam on a linear layer's input without storing its gradient (contract:
// linear_input_adam.h). gemm_tiles hands over dX = dY·W in tiles of about 768 KB,
// with the values the matmul op would store, and each tile's rows get adam's element update while
// the tile is in cache (adam_update_cpu: adam's own loop). Parallel as gemm is (over dX's rows in
// the usual shapes).
#include "linear_input_adam.h"
#include "../core/gemm.h"
#include "../core/registry.h"

namespace mmg {
namespace {

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
