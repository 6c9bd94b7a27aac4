// dropout, dropout_backward on cuda-emu: dropout.h over every thread of the grid.
#include "../ops/dropout.h"
#include "elementwise.h"

namespace mmg {
namespace {

void dropout_emu(Call& c) {
  const DropoutPlan d = dropout_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  mmg_tensor& M = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T scale = T(1) / static_cast<T>(1.0 - d.p);
    const T* x = ptr<T>(X);
    T *y = ptr<T>(Y), *m = ptr<T>(M);
    emu::for_threads(numel(X), [&](int64_t i) { body::dropout_elem(i, x, y, m, d.seed, d.threshold, scale); });
  });
}

void dropout_backward_emu(Call& c) {
  dropout_backward_check(c);
  const mmg_tensor &G = c.in(0), &M = c.in(1);
  mmg_tensor& DX = c.out_like(G);
  MMG_FLOAT_SWITCH(G.dtype, T, c, emu::map2<T>(numel(G), ptr<T>(G), ptr<T>(M), ptr<T>(DX), body::MulOp<T>()));
}

}  // namespace
MMG_REGISTER_KERNEL("dropout", MMG_CUDA_EMU, dropout_emu);
MMG_REGISTER_KERNEL("dropout_backward", MMG_CUDA_EMU, dropout_backward_emu);
}  // namespace mmg
