// mul: a grid-stride elementwise kernel over mul.h. mul_backward: elementwise g ⊙ A, or with
// B broadcast the deterministic two-pass column sum (elementwise.cuh, no atomics).
#include "elementwise.cuh"
#include "../../native/ops/mul.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void mul_kernel(int64_t n, const T* a, const T* b, T* o, int64_t nc, bool broadcast) {
  MMG_GRID_STRIDE(i, n) body::mul_elem(i, a, b, o, nc, broadcast);
}

void mul_cuda(Call& c) {
  const MulPlan p = mul_plan(c);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  mmg_tensor& C = c.out_like(A);
  if (p.n == 0) return;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    mul_kernel<T><<<blocks_for(p.n), body::kBlock, 0, stream()>>>(p.n, ptr<T>(A), ptr<T>(B), ptr<T>(C), p.nc, p.broadcast);
  });
  check_launch(c.op(), "mul_kernel");
}

void mul_backward_cuda(Call& c) {
  const MulPlan p = mul_backward_plan(c);
  const mmg_tensor &G = c.in(0), &A = c.in(1), &B = c.in(2);
  mmg_tensor& DB = c.out_like(B);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    if (!p.broadcast)
      launch_map2<T>(c.op(), p.n, ptr<T>(G), ptr<T>(A), ptr<T>(DB), body::MulOp<T>());
    else
      col_sum_cuda(c.op(), p.rows, p.nc, body::MulBackwardTerm<T>{ptr<T>(G), ptr<T>(A), p.nc}, body::MulBackwardEmit<T>{ptr<T>(DB)});
  });
}

}  // namespace
MMG_CUDA_OP("mul", mul_cuda);
MMG_CUDA_OP("mul_backward", mul_backward_cuda);
}  // namespace cuda
}  // namespace mmg
