// concat_rows: stacks k ≥ 1 matrices [n_i, d] (same dtype, same d, any dtype) into [Σ n_i, d].
// Backward (lib/ops/concat_rows.ts): dX_i = slice_rows(dY, offset_i, offset_i + n_i).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>
#include "../core/parallel.h"
#include "../core/registry.h"
#include "concat_rows.h"  // concat_rows_check (the checks on every device)

namespace mmg {
namespace {

void concat_rows_cpu(Call& c) {
  const ConcatPlan p = concat_rows_check(c);
  const int64_t total = p.total, row_bytes = p.row_bytes;
  // (input, first row) of each piece, so the copy can run in parallel over output rows.
  const std::vector<int64_t>& offset = p.offset;
  mmg_tensor& Y = c.out({total, p.d}, c.in(0).dtype);
  char* y = static_cast<char*>(Y.data);
  parallel_for(total, std::max<int64_t>(1, 65536 / std::max<int64_t>(row_bytes, 1)), [&](int64_t s, int64_t e) {
    int i = static_cast<int>(std::upper_bound(offset.begin(), offset.end(), s) - offset.begin()) - 1;
    for (int64_t r = s; r < e;) {
      while (offset[i + 1] <= r) ++i;
      const int64_t hi = std::min(e, offset[i + 1]);
      std::memcpy(y + r * row_bytes, static_cast<const char*>(c.in(i).data) + (r - offset[i]) * row_bytes,
                  static_cast<size_t>((hi - r) * row_bytes));
      r = hi;
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("concat_rows", MMG_CPU, concat_rows_cpu);
}  // namespace mmg
