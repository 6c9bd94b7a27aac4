// reshape on cuda-emu: the CUDA path's checks, and its device-to-device copy as memcpy.
#include <cstring>
#include "../ops/reshape.h"
#include "grid.h"

namespace mmg {
namespace {

void reshape_emu(Call& c) {
  const ReshapePlan p = reshape_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_shape(p.ndim, p.shape, X.dtype);
  if (p.bytes > 0) std::memcpy(Y.data, X.data, size_t(p.bytes));
}

}  // namespace
MMG_REGISTER_KERNEL("reshape", MMG_CUDA_EMU, reshape_emu);
}  // namespace mmg
