// row_normalize: block per row for the forward and the backward (row_normalize.h): the
// deterministic double row sums (block_reduce.cuh), then each thread writes its strided elements.
#include "../block_reduce.cuh"
#include "../../native/ops/row_normalize.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void row_normalize_kernel(const T* x, int64_t rows, int64_t nc, double eps, T* y) {
  __shared__ double sh[body::kBlock];
  MMG_BLOCK_ROWS(r, rows) {
    const T* xr = x + r * nc;
    const double ss = block_tree_sum(body::row_partial(body::ReduceSquare<T>{xr}, nc, threadIdx.x), sh);
    body::row_scale_strided(xr, y + r * nc, nc, body::row_normalize_scale<T>(ss, eps), threadIdx.x);
  }
}

template <typename T>
__global__ void row_normalize_backward_kernel(const T* x, const T* g, int64_t rows, int64_t nc, double eps, T* dx) {
  __shared__ double sh[body::kBlock];
  MMG_BLOCK_ROWS(r, rows) {
    const T *xr = x + r * nc, *gr = g + r * nc;
    const double xx = block_tree_sum(body::row_partial(body::ReduceSquare<T>{xr}, nc, threadIdx.x), sh);
    const double xg = block_tree_sum(body::row_partial(body::ReduceProduct<T>{xr, gr}, nc, threadIdx.x), sh);
    body::row_normalize_backward_strided(xr, gr, dx + r * nc, nc, body::row_normalize_backward_coeffs<T>(xx, xg, eps), threadIdx.x);
  }
}

void row_normalize_cuda(Call& c) {
  const double eps = row_normalize_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  if (rows == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    row_normalize_kernel<T><<<row_blocks(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, eps, ptr<T>(Y));
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
    row_normalize_backward_kernel<T><<<row_blocks(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), ptr<T>(G), rows, nc, eps, ptr<T>(DX));
  });
  check_launch(c.op(), "row_normalize_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("row_normalize", row_normalize_cuda);
MMG_CUDA_OP("row_normalize_backward", row_normalize_backward_cuda);
}  // namespace cuda
}  // namespace mmg
