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

}  // namespace
MMG_REGISTER_KERNEL("adam", MMG_CUDA_EMU, adam_emu);
}  // namespace mmg
