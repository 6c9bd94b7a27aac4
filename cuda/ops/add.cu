// add, sub: a grid-stride elementwise kernel over add.h. add_backward: elementwise alpha·g,
// or with B broadcast the deterministic two-pass column sum (elementwise.cuh, no atomics).
#include "../common.cuh"
#include "../../native/ops/add.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void add_kernel(int64_t n, const T* a, const T* b, T* o, T alpha, int64_t nc, bool broadcast) {
  MMG_GRID_STRIDE(i, n) body::add_elem(i, a, b, o, alpha, nc, broadcast);
}

void add_impl(Call& c, bool sub) {
  const AddPlan p = add_plan(c, sub);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  mmg_tensor& C = c.out_like(A);
  if (p.n == 0) return;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    add_kernel<T><<<blocks_for(p.n), body::kBlock, 0, stream()>>>(p.n, ptr<T>(A), ptr<T>(B), ptr<T>(C), T(p.alpha), p.nc,
                                                                    p.broadcast);
  });
  check_launch(c.op(), "add_kernel");
}

void add_cuda(Call& c) { add_impl(c, false); }
void sub_cuda(Call& c) { add_impl(c, true); }

void add_backward_cuda(Call& c) {
  const AddBackwardPlan p = add_backward_plan(c);
  const mmg_tensor &G = c.in(0), &B = c.in(1);
  mmg_tensor& DB = c.out_like(B);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    if (!p.broadcast)
      launch_map1<T>(c.op(), p.n, ptr<T>(G), ptr<T>(DB), body::AddBackwardScale<T>{T(p.alpha)});
    else
      col_sum_cuda(c.op(), p.rows, p.nc, body::AddBackwardTerm<T>{ptr<T>(G), p.nc}, body::AddBackwardEmit<T>{ptr<T>(DB), p.alpha});
  });
}

}  // namespace
MMG_CUDA_OP("add", add_cuda);
MMG_CUDA_OP("sub", sub_cuda);
MMG_CUDA_OP("add_backward", add_backward_cuda);
}  // namespace cuda
}  // namespace mmg
