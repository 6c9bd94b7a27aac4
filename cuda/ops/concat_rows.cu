// concat_rows: one cudaMemcpyAsync per input.
#include "../common.cuh"
#include "../../native/ops/concat_rows.h"

namespace mmg {
namespace cuda {
namespace {

void concat_rows_cuda(Call& c) {
  const ConcatPlan p = concat_rows_check(c);
  mmg_tensor& Y = c.out({p.total, p.d}, c.in(0).dtype);
  for (int i = 0; i < c.n_in(); ++i) {
    const uint64_t bytes = uint64_t(c.in(i).shape[0] * p.row_bytes);
    if (bytes)
      MMG_CUDA_CHECK(c.op(), cudaMemcpyAsync(static_cast<char*>(Y.data) + p.offset[size_t(i)] * p.row_bytes, c.in(i).data, bytes,
                                             cudaMemcpyDeviceToDevice, stream()));
  }
}

}  // namespace
MMG_CUDA_OP("concat_rows", concat_rows_cuda);
}  // namespace cuda
}  // namespace mmg
