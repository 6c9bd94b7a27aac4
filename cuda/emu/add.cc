// add on cuda-emu: add.body.h over every thread of the grid.
#include "../ops/add.body.h"
#include "grid.h"

namespace mmg {
namespace {

void add_emu(Call& c) {
  const AddPlan p = add_plan(c);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  mmg_tensor& C = c.out_like(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    const T *a = ptr<T>(A), *b = ptr<T>(B);
    T* o = ptr<T>(C);
    const T alpha = T(p.alpha);
    emu::for_threads(p.n, [&](int64_t i) { body::add_elem(i, a, b, o, alpha, p.nc, p.broadcast); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("add", MMG_CUDA_EMU, add_emu);
}  // namespace mmg
