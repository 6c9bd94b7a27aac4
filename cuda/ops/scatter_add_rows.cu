// scatter_add_rows: device index check, clear, atomicAdd per element (see the body's note on
// determinism).
#include "../common.cuh"
#include "../../native/ops/scatter_add_rows.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T, typename I>
__global__ void scatter_add_kernel(int64_t total, const T* x, const I* idx, int64_t d, T* y) {
  MMG_GRID_STRIDE(i, total) atomicAdd(y + body::scatter_dest(i, idx, d), x[i]);
}

void scatter_add_rows_cuda(Call& c) {
  const ScatterPlan p = scatter_add_rows_check(c);
  const mmg_tensor &X = c.in(0), &Idx = c.in(1);
  if (device_data_check_needed(scatter_add_rows_checked(c)))
    MMG_INDEX_SWITCH(Idx.dtype, I, c, check_indices(c.op(), Idx.data, Idx.dtype, p.b, p.n));
  mmg_tensor& Y = c.out({p.n, p.d}, X.dtype);
  const uint64_t bytes = uint64_t(p.n * p.d) * dtype_size(X.dtype);
  if (bytes) MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(Y.data, 0, bytes, stream()));
  const int64_t total = p.b * p.d;
  if (total == 0) return;
  MMG_INDEX_SWITCH(Idx.dtype, I, c, MMG_FLOAT_SWITCH(X.dtype, T, c, {
    scatter_add_kernel<<<blocks_for(total), body::kBlock, 0, stream()>>>(total, ptr<T>(X), ptr<I>(Idx), p.d, ptr<T>(Y));
  }));
  check_launch(c.op(), "scatter_add_kernel");
}

}  // namespace
MMG_CUDA_OP("scatter_add_rows", scatter_add_rows_cuda);
}  // namespace cuda
}  // namespace mmg
