// sum (and, through mean.cu, mean): deterministic double reductions over all elements, over rows
// or over columns, and the broadcast-back backward. Bodies and checks: sum.h.
#include "../block_reduce.cuh"
#include "../../native/ops/sum.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void row_sum_kernel(const T* x, int64_t rows, int64_t nc, bool mean, T* y) {
  __shared__ double sh[body::kBlock];
  MMG_BLOCK_ROWS(r, rows) {
    const double s = block_tree_sum(body::row_partial(body::ReduceValue<T>{x + r * nc, 0}, nc, threadIdx.x), sh);
    if (threadIdx.x == 0) y[r] = body::reduce_result<T>(s, mean, double(nc));
  }
}

template <typename T>
__global__ void reduce_backward_kernel(int64_t n, const T* g, T* dx, int axis, int64_t nc, bool mean, double count) {
  MMG_GRID_STRIDE(i, n) body::reduce_backward_elem(i, g, dx, axis, nc, mean, count);
}

}  // namespace

// Shared with mean.cu.
void reduce_sum_cuda(Call& c, bool mean) {
  const ReducePlan p = reduce_plan(c);
  const mmg_tensor& X = c.in(0);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    if (p.axis < 0) {
      mmg_tensor& Y = c.out({}, X.dtype);
      reduce_all(p.n, body::ReduceValue<T>{x, 0}, body::StoreReduced<T>{ptr<T>(Y), mean, double(p.n)}, c.op());
    } else if (p.axis == 0) {
      mmg_tensor& Y = c.out({p.cols}, X.dtype);
      col_sums(p.rows, p.cols, body::ReduceValue<T>{x, p.cols}, body::StoreReduced<T>{ptr<T>(Y), mean, double(p.rows)}, c.op());
    } else {
      mmg_tensor& Y = c.out({p.rows}, X.dtype);
      if (p.rows > 0) {
        row_sum_kernel<T><<<row_blocks(p.rows), body::kBlock, 0, stream()>>>(x, p.rows, p.cols, mean, ptr<T>(Y));
        check_launch(c.op(), "row_sum_kernel");
      }
    }
  });
}

void reduce_backward_cuda(Call& c, bool mean) {
  const ReducePlan p = reduce_backward_plan(c);
  const mmg_tensor &G = c.in(0), &X = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  if (p.n == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    reduce_backward_kernel<T><<<blocks_for(p.n), body::kBlock, 0, stream()>>>(p.n, ptr<T>(G), ptr<T>(DX), p.axis, p.cols, mean,
                                                                              p.count);
  });
  check_launch(c.op(), "reduce_backward_kernel");
}

namespace {
void sum_cuda(Call& c) { reduce_sum_cuda(c, false); }
void sum_backward_cuda(Call& c) { reduce_backward_cuda(c, false); }
}  // namespace
MMG_CUDA_OP("sum", sum_cuda);
MMG_CUDA_OP("sum_backward", sum_backward_cuda);
}  // namespace cuda
}  // namespace mmg
