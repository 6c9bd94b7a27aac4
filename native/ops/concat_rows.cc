// concat_rows: stacks k ≥ 1 matrices [n_i, d] (same dtype, same d, any dtype) into [Σ n_i, d].
// Backward (lib/ops/concat_rows.ts): dX_i = slice_rows(dY, offset_i, offset_i + n_i).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void concat_rows_cpu(Call& c) {
  c.expect_inputs(1, 1 << 20);
  const int k = c.n_in();
  int64_t total = 0;
  const int64_t d = c.in(0).ndim == 2 ? c.in(0).shape[1] : 0;
  for (int i = 0; i < k; ++i) {
    const std::string name = "input #" + std::to_string(i);
    c.expect_ndim(i, name.c_str(), 2);
    c.expect_same_dtype(0, i, "input #0", name.c_str());
    if (c.in(i).shape[1] != d)
      c.shape_error("every input to have " + std::to_string(d) + " columns like input #0", shape_str(c.in(i)) + " for " + name);
    total += c.in(i).shape[0];
  }
  mmg_tensor& Y = c.out({total, d}, c.in(0).dtype);
  const int64_t row_bytes = d * static_cast<int64_t>(dtype_size(Y.dtype));
  // (input, first row) of each piece, so the copy can run in parallel over output rows.
  std::vector<int64_t> offset(static_cast<size_t>(k) + 1, 0);
  for (int i = 0; i < k; ++i) offset[i + 1] = offset[i] + c.in(i).shape[0];
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
