// add, sub, add_backward on cuda-emu: add.h over every thread of the grid; the broadcast
// backward through the column-sum twin (emu::col_sum, the GPU's chunks and order).
#include "../ops/add.h"
#include "elementwise.h"
#include "grid.h"

namespace mmg {
namespace {

void add_impl(Call& c, bool sub) {
  const AddPlan p = add_plan(c, sub);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  mmg_tensor& C = c.out_like(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    const T *a = ptr<T>(A), *b = ptr<T>(B);
    T* o = ptr<T>(C);
    const T alpha = T(p.alpha);
    emu::for_threads(p.n, [&](int64_t i) { body::add_elem(i, a, b, o, alpha, p.nc, p.broadcast); });
  });
}

void add_emu(Call& c) { add_impl(c, false); }
void sub_emu(Call& c) { add_impl(c, true); }

void add_backward_emu(Call& c) {
  const AddBackwardPlan p = add_backward_plan(c);
  const mmg_tensor &G = c.in(0), &B = c.in(1);
  mmg_tensor& DB = c.out_like(B);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    if (!p.broadcast)
      emu::map1<T>(p.n, ptr<T>(G), ptr<T>(DB), body::AddBackwardScale<T>{T(p.alpha)});
    else
      emu::col_sum(p.rows, p.nc, body::AddBackwardTerm<T>{ptr<T>(G), p.nc}, body::AddBackwardEmit<T>{ptr<T>(DB), p.alpha});
  });
}

}  // namespace
MMG_REGISTER_KERNEL("add", MMG_CUDA_EMU, add_emu);
MMG_REGISTER_KERNEL("sub", MMG_CUDA_EMU, sub_emu);
MMG_REGISTER_KERNEL("add_backward", MMG_CUDA_EMU, add_backward_emu);
}  // namespace mmg
