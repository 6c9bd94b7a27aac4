// mul, mul_backward on cuda-emu: mul.h over every thread of the grid; the broadcast backward
// through the column-sum twin (emu::col_sum, the GPU's chunks and order).
#include "../ops/mul.h"
#include "elementwise.h"

namespace mmg {
namespace {

void mul_emu(Call& c) {
  const MulPlan p = mul_plan(c);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  mmg_tensor& C = c.out_like(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    const T *a = ptr<T>(A), *b = ptr<T>(B);
    T* o = ptr<T>(C);
    emu::for_threads(p.n, [&](int64_t i) { body::mul_elem(i, a, b, o, p.nc, p.broadcast); });
  });
}

void mul_backward_emu(Call& c) {
  const MulPlan p = mul_backward_plan(c);
  const mmg_tensor &G = c.in(0), &A = c.in(1), &B = c.in(2);
  mmg_tensor& DB = c.out_like(B);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    if (!p.broadcast)
      emu::map2<T>(p.n, ptr<T>(G), ptr<T>(A), ptr<T>(DB), body::MulOp<T>());
    else
      emu::col_sum(p.rows, p.nc, body::MulBackwardTerm<T>{ptr<T>(G), ptr<T>(A), p.nc}, body::MulBackwardEmit<T>{ptr<T>(DB)});
  });
}

}  // namespace
MMG_REGISTER_KERNEL("mul", MMG_CUDA_EMU, mul_emu);
MMG_REGISTER_KERNEL("mul_backward", MMG_CUDA_EMU, mul_backward_emu);
}  // namespace mmg
