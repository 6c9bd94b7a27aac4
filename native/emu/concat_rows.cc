// concat_rows on cuda-emu: the CUDA path's copies, as memcpy.
#include <cstring>
#include "../ops/concat_rows.h"
#include "grid.h"

namespace mmg {
namespace {

void concat_rows_emu(Call& c) {
  const ConcatPlan p = concat_rows_check(c);
  mmg_tensor& Y = c.out({p.total, p.d}, c.in(0).dtype);
  for (int i = 0; i < c.n_in(); ++i) {
    const size_t bytes = size_t(c.in(i).shape[0] * p.row_bytes);
    if (bytes) std::memcpy(static_cast<char*>(Y.data) + p.offset[size_t(i)] * p.row_bytes, c.in(i).data, bytes);
  }
}

}  // namespace
MMG_REGISTER_KERNEL("concat_rows", MMG_CUDA_EMU, concat_rows_emu);
}  // namespace mmg
