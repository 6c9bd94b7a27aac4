// row_softmax on cuda-emu: the GPU's block per row with the same max tree, strides and sum tree
// (native/emu/block_reduce.h), each "thread" writing its strided elements.
#include "../ops/row_softmax.h"
#include "block_reduce.h"

namespace mmg {
namespace {

void row_softmax_emu(Call& c) {
  row_softmax_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    emu::for_blocks(rows, nc, [&](int64_t r) {
      const T* xr = x + r * nc;
      T* yr = y + r * nc;
      const T m = emu::block_max<T>([&](int t) { return body::row_max_partial(xr, nc, t); });
      const double s = emu::block_sum<double>([&](int t) { return body::softmax_exp_partial(xr, yr, nc, m, t); });
      const T inv = body::softmax_inv<T>(s);
      for (int t = 0; t < body::kBlock; ++t) body::softmax_scale_strided(yr, nc, inv, t);
    });
  });
}

void row_softmax_backward_emu(Call& c) {
  row_softmax_backward_check(c);
  const mmg_tensor &Y = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(Y);
  const int64_t rows = mmg::rows(Y), nc = cols(Y);
  MMG_FLOAT_SWITCH(Y.dtype, T, c, {
    const T *y = ptr<T>(Y), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    emu::for_blocks(rows, nc, [&](int64_t r) {
      const T *yr = y + r * nc, *gr = g + r * nc;
      const T dot = static_cast<T>(emu::block_sum<double>([&](int t) { return body::row_partial(body::ReduceProduct<T>{yr, gr}, nc, t); }));
      for (int t = 0; t < body::kBlock; ++t) body::softmax_backward_strided(yr, gr, dx + r * nc, nc, dot, t);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_softmax", MMG_CUDA_EMU, row_softmax_emu);
MMG_REGISTER_KERNEL("row_softmax_backward", MMG_CUDA_EMU, row_softmax_backward_emu);
}  // namespace mmg
