// linear_input_adam on cuda-emu: every element of dX summed as the CUDA kernel sums it
// (linear_input_adam.h: linear_input_grad), then adam's update, in one launch.
#include "../ops/linear_input_adam.h"
#include "grid.h"

namespace mmg {
namespace {

void linear_input_adam_emu(Call& c) {
  const LinearInputAdamPlan a = linear_input_adam_plan(c);
  if (a.adam.n == 0) return;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const body::AdamStep<T> st = adam_step<T>(a.adam);
    T* p = ptr<T>(c.in(0));
    const T *dy = ptr<T>(c.in(1)), *w = ptr<T>(c.in(2));
    T *m = ptr<T>(c.in(3)), *v = ptr<T>(c.in(4));
    emu::for_threads(a.adam.n, [&](int64_t i) {
      const T g = body::linear_input_grad(dy, w, a.o, a.k, i / a.k, i % a.k);
      body::linear_input_adam_elem(i, g, p, m, v, st);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("linear_input_adam", MMG_CUDA_EMU, linear_input_adam_emu);
}  // namespace mmg
