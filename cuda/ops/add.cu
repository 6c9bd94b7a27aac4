// add: a grid-stride elementwise kernel over add.body.h.
#include "../common.cuh"
#include "add.body.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void add_kernel(int64_t n, const T* a, const T* b, T* o, T alpha, int64_t nc, bool broadcast) {
  MMG_GRID_STRIDE(i, n) body::add_elem(i, a, b, o, alpha, nc, broadcast);
}

void add_cuda(Call& c) {
  const AddPlan p = add_plan(c);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  mmg_tensor& C = c.out_like(A);
  if (p.n == 0) return;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    add_kernel<T><<<blocks_for(p.n), body::kBlock, 0, stream()>>>(p.n, ptr<T>(A), ptr<T>(B), ptr<T>(C), T(p.alpha), p.nc,
                                                                    p.broadcast);
  });
  check_launch(c.op(), "add_kernel");
}

}  // namespace
MMG_CUDA_OP("add", add_cuda);
}  // namespace cuda
}  // namespace mmg
