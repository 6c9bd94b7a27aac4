// row_norm: a warp (or, for wide rows, a block) per row (deterministic double sum of squares,
// block_reduce.cuh), and the
// elementwise backward. Bodies and checks: row_norm.h.
#include "../block_reduce.cuh"
#include "../../native/ops/row_norm.h"

namespace mmg {
namespace cuda {
namespace {

// One row per group G (a warp for rows of up to kWarpRowMaxCols entries, else a block).
template <typename T, typename G>
__global__ void row_norm_kernel(const T* x, int64_t rows, int64_t nc, T* y) {
  __shared__ double sh[body::kBlock];
  const int t = G::thread();
  MMG_GROUP_ROWS(G, r, rows) {
    const double ss = G::sum(body::row_partial(body::ReduceSquare<T>{x + r * nc}, nc, t, G::size), sh);
    if (t == 0) y[r] = body::row_norm_from_sum<T>(ss);
  }
}

template <typename T>
__global__ void row_norm_backward_kernel(int64_t n, const T* x, const T* y, const T* g, int64_t nc, T* dx) {
  MMG_GRID_STRIDE(i, n) body::row_norm_backward_elem(i, x, y, g, nc, dx);
}

void row_norm_cuda(Call& c) {
  row_norm_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_shape(X.ndim - 1, X.shape, X.dtype);
  const int64_t rows = numel(Y), nc = cols(X);
  if (rows == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    if (body::warp_row_fits(nc))
      row_norm_kernel<T, WarpRows><<<WarpRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, ptr<T>(Y));
    else
      row_norm_kernel<T, BlockRows><<<BlockRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, ptr<T>(Y));
  });
  check_launch(c.op(), "row_norm_kernel");
}

void row_norm_backward_cuda(Call& c) {
  row_norm_backward_check(c);
  const mmg_tensor &X = c.in(0), &Y = c.in(1), &G = c.in(2);
  mmg_tensor& DX = c.out_like(X);
  const int64_t n = numel(X);
  if (n == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    row_norm_backward_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, ptr<T>(X), ptr<T>(Y), ptr<T>(G), cols(X), ptr<T>(DX));
  });
  check_launch(c.op(), "row_norm_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("row_norm", row_norm_cuda);
MMG_CUDA_OP("row_norm_backward", row_norm_backward_cuda);
}  // namespace cuda
}  // namespace mmg
