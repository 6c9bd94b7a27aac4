// reshape: checks and shape inference (reshape.h), then one device-to-device copy.
#include "../common.cuh"
#include "../../native/ops/reshape.h"

namespace mmg {
namespace cuda {
namespace {

void reshape_cuda(Call& c) {
  const ReshapePlan p = reshape_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_shape(p.ndim, p.shape, X.dtype);
  if (p.bytes == 0) return;
  MMG_CUDA_CHECK(c.op(), cudaMemcpyAsync(Y.data, X.data, uint64_t(p.bytes), cudaMemcpyDeviceToDevice, stream()));
}

}  // namespace
MMG_CUDA_OP("reshape", reshape_cuda);
}  // namespace cuda
}  // namespace mmg
