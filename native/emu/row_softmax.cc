// row_softmax on cuda-emu: the GPU's warp or block per row with the same strides, max and sum
// merges (native/emu/block_reduce.h: group_max, group_sum), each "thread" writing its strided elements.
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
    emu::for_row_groups(rows, nc, [&](int64_t r, int nt) {
      const T* xr = x + r * nc;
      T* yr = y + r * nc;
      T m[body::kBlock];  // each thread's max (warp lanes can differ on a row holding a NaN)
      emu::group_max<T>(nt, [&](int t) { return body::row_max_partial(xr, nc, t, nt); }, m);
      const double s = emu::group_sum<double>(nt, [&](int t) { return body::softmax_exp_partial(xr, yr, nc, m[t], t, nt); });
      const T inv = body::softmax_inv<T>(s);
      for (int t = 0; t < nt; ++t) body::softmax_scale_strided(yr, nc, inv, t, nt);
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
    emu::for_row_groups(rows, nc, [&](int64_t r, int nt) {
      const T *yr = y + r * nc, *gr = g + r * nc;
      const T dot = static_cast<T>(emu::group_sum<double>(nt, [&](int t) { return body::row_partial(body::ReduceProduct<T>{yr, gr}, nc, t, nt); }));
      for (int t = 0; t < nt; ++t) body::softmax_backward_strided(yr, gr, dx + r * nc, nc, dot, t, nt);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_softmax", MMG_CUDA_EMU, row_softmax_emu);
MMG_REGISTER_KERNEL("row_softmax_backward", MMG_CUDA_EMU, row_softmax_backward_emu);
}  // namespace mmg
