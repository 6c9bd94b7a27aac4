// row_softmax: a warp (wide rows: a block) per row, forward and backward (row_softmax.h): a
// max and deterministic double sums (butterfly or tree, block_reduce.cuh), each thread owning its
// strided elements.
#include "../block_reduce.cuh"
#include "../../native/ops/row_softmax.h"

namespace mmg {
namespace cuda {
namespace {

// One row per group G (a warp for rows of up to kWarpRowMaxCols entries, else a block).
template <typename T, typename G>
__global__ void row_softmax_kernel(const T* x, int64_t rows, int64_t nc, T* y) {
  __shared__ double sh[body::kBlock];
  __shared__ T shm[body::kBlock];
  const int t = G::thread();
  MMG_GROUP_ROWS(G, r, rows) {
    const T* xr = x + r * nc;
    T* yr = y + r * nc;
    const T m = G::max(body::row_max_partial(xr, nc, t, G::size), shm);
    const double s = G::sum(body::softmax_exp_partial(xr, yr, nc, m, t, G::size), sh);
    body::softmax_scale_strided(yr, nc, body::softmax_inv<T>(s), t, G::size);
  }
}

template <typename T, typename G>
__global__ void row_softmax_backward_kernel(const T* y, const T* g, int64_t rows, int64_t nc, T* dx) {
  __shared__ double sh[body::kBlock];
  const int t = G::thread();
  MMG_GROUP_ROWS(G, r, rows) {
    const T *yr = y + r * nc, *gr = g + r * nc;
    const T dot = static_cast<T>(G::sum(body::row_partial(body::ReduceProduct<T>{yr, gr}, nc, t, G::size), sh));
    body::softmax_backward_strided(yr, gr, dx + r * nc, nc, dot, t, G::size);
  }
}

void row_softmax_cuda(Call& c) {
  row_softmax_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  if (rows == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    if (body::warp_row_fits(nc))
      row_softmax_kernel<T, WarpRows><<<WarpRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, ptr<T>(Y));
    else
      row_softmax_kernel<T, BlockRows><<<BlockRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, ptr<T>(Y));
  });
  check_launch(c.op(), "row_softmax_kernel");
}

void row_softmax_backward_cuda(Call& c) {
  row_softmax_backward_check(c);
  const mmg_tensor &Y = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(Y);
  const int64_t rows = mmg::rows(Y), nc = cols(Y);
  if (rows == 0) return;
  MMG_FLOAT_SWITCH(Y.dtype, T, c, {
    if (body::warp_row_fits(nc))
      row_softmax_backward_kernel<T, WarpRows><<<WarpRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(Y), ptr<T>(G), rows, nc, ptr<T>(DX));
    else
      row_softmax_backward_kernel<T, BlockRows>
          <<<BlockRows::grid(rows), body::kBlock, 0, stream()>>>(ptr<T>(Y), ptr<T>(G), rows, nc, ptr<T>(DX));
  });
  check_launch(c.op(), "row_softmax_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("row_softmax", row_softmax_cuda);
MMG_CUDA_OP("row_softmax_backward", row_softmax_backward_cuda);
}  // namespace cuda
}  // namespace mmg
