// row_softmax: block per row, forward and backward (row_softmax.h): a max tree and
// deterministic double sum trees (block_reduce.cuh), each thread owning its strided elements.
#include "../block_reduce.cuh"
#include "../../native/ops/row_softmax.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void row_softmax_kernel(const T* x, int64_t rows, int64_t nc, T* y) {
  __shared__ double sh[body::kBlock];
  __shared__ T shm[body::kBlock];
  MMG_BLOCK_ROWS(r, rows) {
    const T* xr = x + r * nc;
    T* yr = y + r * nc;
    const T m = block_tree_max(body::row_max_partial(xr, nc, threadIdx.x), shm);
    const double s = block_tree_sum(body::softmax_exp_partial(xr, yr, nc, m, threadIdx.x), sh);
    body::softmax_scale_strided(yr, nc, body::softmax_inv<T>(s), threadIdx.x);
  }
}

template <typename T>
__global__ void row_softmax_backward_kernel(const T* y, const T* g, int64_t rows, int64_t nc, T* dx) {
  __shared__ double sh[body::kBlock];
  MMG_BLOCK_ROWS(r, rows) {
    const T *yr = y + r * nc, *gr = g + r * nc;
    const T dot = static_cast<T>(block_tree_sum(body::row_partial(body::ReduceProduct<T>{yr, gr}, nc, threadIdx.x), sh));
    body::softmax_backward_strided(yr, gr, dx + r * nc, nc, dot, threadIdx.x);
  }
}

void row_softmax_cuda(Call& c) {
  row_softmax_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  const int64_t rows = mmg::rows(X), nc = cols(X);
  if (rows == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    row_softmax_kernel<T><<<row_blocks(rows), body::kBlock, 0, stream()>>>(ptr<T>(X), rows, nc, ptr<T>(Y));
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
    row_softmax_backward_kernel<T><<<row_blocks(rows), body::kBlock, 0, stream()>>>(ptr<T>(Y), ptr<T>(G), rows, nc, ptr<T>(DX));
  });
  check_launch(c.op(), "row_softmax_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("row_softmax", row_softmax_cuda);
MMG_CUDA_OP("row_softmax_backward", row_softmax_backward_cuda);
}  // namespace cuda
}  // namespace mmg
