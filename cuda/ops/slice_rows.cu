// slice_rows: one cudaMemcpyAsync.
#include "../common.cuh"
#include "../../native/ops/slice_rows.h"

namespace mmg {
namespace cuda {
namespace {

void slice_rows_cuda(Call& c) {
  const SlicePlan p = slice_rows_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({p.end - p.start, p.d}, X.dtype);
  const uint64_t bytes = uint64_t((p.end - p.start) * p.row_bytes);
  if (bytes)
    MMG_CUDA_CHECK(c.op(), cudaMemcpyAsync(Y.data, static_cast<const char*>(X.data) + p.start * p.row_bytes, bytes,
                                           cudaMemcpyDeviceToDevice, stream()));
}

}  // namespace
MMG_CUDA_OP("slice_rows", slice_rows_cuda);
}  // namespace cuda
}  // namespace mmg
