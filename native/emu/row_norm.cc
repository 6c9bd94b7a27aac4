// row_norm on cuda-emu: the GPU's warp or block per row (emu::group_sum: same strides, butterfly
// or tree), and the
// backward over every thread.
#include "../ops/row_norm.h"
#include "block_reduce.h"

namespace mmg {
namespace {

void row_norm_emu(Call& c) {
  row_norm_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_shape(X.ndim - 1, X.shape, X.dtype);
  const int64_t rows = numel(Y), nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    emu::for_row_groups(rows, nc, [&](int64_t r, int nt) {
      const double ss = emu::group_sum<double>(nt, [&](int t) { return body::row_partial(body::ReduceSquare<T>{x + r * nc}, nc, t, nt); });
      y[r] = body::row_norm_from_sum<T>(ss);
    });
  });
}

void row_norm_backward_emu(Call& c) {
  row_norm_backward_check(c);
  const mmg_tensor &X = c.in(0), &Y = c.in(1), &G = c.in(2);
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T *x = ptr<T>(X), *y = ptr<T>(Y), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    const int64_t nc = cols(X);
    emu::for_threads(numel(X), [&](int64_t i) { body::row_norm_backward_elem(i, x, y, g, nc, dx); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_norm", MMG_CUDA_EMU, row_norm_emu);
MMG_REGISTER_KERNEL("row_norm_backward", MMG_CUDA_EMU, row_norm_backward_emu);
}  // namespace mmg
