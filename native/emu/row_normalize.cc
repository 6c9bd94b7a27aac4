// row_normalize on cuda-emu: the GPU's block per row (emu::block_sum: same strides and tree),
// then every "thread" of the block writes its strided elements.
#include "../ops/row_normalize.h"
#include "block_reduce.h"

namespace mmg {
namespace {

void row_normalize_emu(Call& c) {
  const double eps = row_normalize_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    emu::for_blocks(rows, nc, [&](int64_t r) {
      const T* xr = x + r * nc;
      const double ss = emu::block_sum<double>([&](int t) { return body::row_partial(body::ReduceSquare<T>{xr}, nc, t); });
      const T inv = body::row_normalize_scale<T>(ss, eps);
      for (int t = 0; t < body::kBlock; ++t) body::row_scale_strided(xr, y + r * nc, nc, inv, t);
    });
  });
}

void row_normalize_backward_emu(Call& c) {
  const double eps = row_normalize_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T *x = ptr<T>(X), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    emu::for_blocks(rows, nc, [&](int64_t r) {
      const T *xr = x + r * nc, *gr = g + r * nc;
      const double xx = emu::block_sum<double>([&](int t) { return body::row_partial(body::ReduceSquare<T>{xr}, nc, t); });
      const double xg = emu::block_sum<double>([&](int t) { return body::row_partial(body::ReduceProduct<T>{xr, gr}, nc, t); });
      const body::NormalizeCoeffs<T> k = body::row_normalize_backward_coeffs<T>(xx, xg, eps);
      for (int t = 0; t < body::kBlock; ++t) body::row_normalize_backward_strided(xr, gr, dx + r * nc, nc, k, t);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_normalize", MMG_CUDA_EMU, row_normalize_emu);
MMG_REGISTER_KERNEL("row_normalize_backward", MMG_CUDA_EMU, row_normalize_backward_emu);
}  // namespace mmg
