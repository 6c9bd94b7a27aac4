// slice_rows on cuda-emu: the CUDA path's copy, as memcpy.
#include <cstring>
#include "../ops/slice_rows.h"
#include "grid.h"

namespace mmg {
namespace {

void slice_rows_emu(Call& c) {
  const SlicePlan p = slice_rows_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({p.end - p.start, p.d}, X.dtype);
  const size_t bytes = size_t((p.end - p.start) * p.row_bytes);
  if (bytes) std::memcpy(Y.data, static_cast<const char*>(X.data) + p.start * p.row_bytes, bytes);
}

}  // namespace
MMG_REGISTER_KERNEL("slice_rows", MMG_CUDA_EMU, slice_rows_emu);
}  // namespace mmg
