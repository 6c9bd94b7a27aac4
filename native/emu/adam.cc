// adam on cuda-emu: adam.h's element update over every thread, in place.
#include "../ops/adam.h"
#include "grid.h"

namespace mmg {
namespace {

void adam_emu(Call& c) {
  const AdamPlan a = adam_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const body::AdamStep<T> k = adam_step<T>(a);
    T *p = ptr<T>(c.in(0)), *m = ptr<T>(c.in(2)), *v = ptr<T>(c.in(3));
    const T* g = ptr<T>(c.in(1));
    emu::for_threads(a.n, [&](int64_t i) { body::adam_elem(i, p, g, m, v, k); });
  });
}

// adam_multi: the GPU's launches, block by block (adam.h: adam_multi_thread).
void adam_multi_emu(Call& c) {
  const std::vector<AdamPlan> plans = adam_multi_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    for (const body::AdamMultiChunk<T>& ch : adam_multi_chunks<T>(c, plans))
      emu::for_blocks(ch.first_block[ch.count], body::kAdamMultiBlockElems, [&](int64_t b) {
        for (int t = 0; t < body::kBlock; ++t) body::adam_multi_thread(ch, b, t);
      });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("adam", MMG_CUDA_EMU, adam_emu);
MMG_REGISTER_KERNEL("adam_multi", MMG_CUDA_EMU, adam_multi_emu);
}  // namespace mmg
