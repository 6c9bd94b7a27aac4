// row_normalize: a warp (wide rows: a block) per row, forward and backward (row_normalize.h): the
// deterministic double row sums (block_reduce.cuh), then each thread writes its strided elements.
#include "../block_reduce.cuh"
#include "../../native/ops/row_normalize.h"

namespace mmg {
namespace cuda {
namespace {

// One row per group G (a warp for rows of up to kWarpRowMaxCols entries, else a block).
template <typename T, typename G>
__global__ void row_normalize_kernel(const T* x, int64_t rows, int64_t nc, double eps, T* y) {
  __shared__ double sh[body::kBlock];
  const int t = G::thread();
  MMG_GROUP_ROWS(G, r, rows) {
    const T* xr = x + r * nc;
    const double ss = G::sum(body::row_partial(body::ReduceSquare<T>{xr}, nc, t, G::size), sh);
    body::row_scale_strided(xr, y + r * nc, nc, body::row_normalize_scale<T>(ss, eps), t, G::size);
  }
}

template <typename T, typename G>
__global__ void row_normalize_backward_kernel(const T* x, const T* g, int64_t rows, int64_t nc, double eps, T* dx) {
  __shared__ double sh[body::kBlock];
  const int t = G::thread();
  MMG_GROUP_ROWS(G, r, rows) {
    const T *xr = x + r * nc, *gr = g + r * nc;
    const double xx = G::sum(body::row_partial(body::ReduceSquare<T>{xr}, nc, t, G::size), sh);
    const double xg = G::sum(body::row_partial(body::ReduceProduct<T>{xr, gr}, nc, t, G::size), sh);
    body::row_normalize_backward_strided(xr, gr, dx + r * nc, nc, body::row_normalize_backward_coeffs<T>(xx, xg, eps), t, G::size);
  }
}

void row_normalize_cuda(Call& c) {
  const double eps = row_normalize_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  if (rows == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    if (body::warp_row_fits(nc))
      row_normalize_kernel<T, WarpRows><<<WarpRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, eps, ptr<T>(Y));
    else
      row_normalize_kernel<T, BlockRows><<<BlockRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, eps, ptr<T>(Y));
  });
  check_launch(c.op(), "row_normalize_kernel");
}

void row_normalize_backward_cuda(Call& c) {
  const double eps = row_normalize_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  if (rows == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    if (body::warp_row_fits(nc))
      row_normalize_backward_kernel<T, WarpRows>
          <<<WarpRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), ptr<T>(G), rows, nc, eps, ptr<T>(DX));
    else
      row_normalize_backward_kernel<T, BlockRows>
          <<<BlockRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), ptr<T>(G), rows, nc, eps, ptr<T>(DX));
  });
  check_launch(c.op(), "row_normalize_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("row_normalize", row_normalize_cuda);
MMG_CUDA_OP("row_normalize_backward", row_normalize_backward_cuda);
}  // namespace cuda
}  // namespace mmg
