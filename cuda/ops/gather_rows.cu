// gather_rows: device index check, then an elementwise copy kernel.
#include "../common.cuh"
#include "../../native/ops/gather_rows.h"

namespace mmg {
namespace cuda {
namespace {

template <typename E, typename I>
__global__ void gather_kernel(int64_t total, const E* x, const I* idx, int64_t d, E* y) {
  MMG_GRID_STRIDE(i, total) body::gather_elem(i, x, idx, d, y);
}

template <typename I>
void launch(const mmg_tensor& X, const I* idx, const GatherPlan& p, mmg_tensor& Y) {
  const int64_t total = p.b * p.d;
  if (dtype_size(X.dtype) == 4)
    gather_kernel<<<blocks_for(total), body::kBlock, 0, stream()>>>(total, ptr<uint32_t>(X), idx, p.d, ptr<uint32_t>(Y));
  else
    gather_kernel<<<blocks_for(total), body::kBlock, 0, stream()>>>(total, ptr<uint64_t>(X), idx, p.d, ptr<uint64_t>(Y));
}

void gather_rows_cuda(Call& c) {
  const GatherPlan p = gather_rows_check(c);
  const mmg_tensor &X = c.in(0), &Idx = c.in(1);
  mmg_tensor& Y = c.out({p.b, p.d}, X.dtype);
  MMG_INDEX_SWITCH(Idx.dtype, I, c, {
    if (device_data_check_needed(gather_rows_checked(c))) check_indices(c.op(), Idx.data, Idx.dtype, p.b, p.n);
    if (p.b * p.d > 0) launch(X, ptr<I>(Idx), p, Y);
  });
  check_launch(c.op(), "gather_kernel");
}

}  // namespace
MMG_CUDA_OP("gather_rows", gather_rows_cuda);
}  // namespace cuda
}  // namespace mmg
