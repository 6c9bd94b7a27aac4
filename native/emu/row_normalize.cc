// row_normalize on cuda-emu: the GPU's warp or block per row (emu::group_sum: same strides,
// butterfly or tree),
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
    emu::for_row_groups(rows, nc, [&](int64_t r, int nt) {
      const T* xr = x + r * nc;
      const double ss = emu::group_sum<double>(nt, [&](int t) { return body::row_partial(body::ReduceSquare<T>{xr}, nc, t, nt); });
      const T inv = body::row_normalize_scale<T>(ss, eps);
      for (int t = 0; t < nt; ++t) body::row_scale_strided(xr, y + r * nc, nc, inv, t, nt);
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
    emu::for_row_groups(rows, nc, [&](int64_t r, int nt) {
      const T *xr = x + r * nc, *gr = g + r * nc;
      const double xx = emu::group_sum<double>(nt, [&](int t) { return body::row_partial(body::ReduceSquare<T>{xr}, nc, t, nt); });
      const double xg = emu::group_sum<double>(nt, [&](int t) { return body::row_partial(body::ReduceProduct<T>{xr, gr}, nc, t, nt); });
      const body::NormalizeCoeffs<T> k = body::row_normalize_backward_coeffs<T>(xx, xg, eps);
      for (int t = 0; t < nt; ++t) body::row_normalize_backward_strided(xr, gr, dx + r * nc, nc, k, t, nt);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_normalize", MMG_CUDA_EMU, row_normalize_emu);
MMG_REGISTER_KERNEL("row_normalize_backward", MMG_CUDA_EMU, row_normalize_backward_emu);
}  // namespace mmg
