// slice_rows: Y = X[start:end, :] as a copy. Inputs: X [n, d] (any dtype). Attrs: [start, end],
// 0 ≤ start ≤ end ≤ n. Output: Y [end − start, d].
// Backward (lib/ops/slice_rows.ts): dX = concat_rows(zeros [start, d], dY, zeros [n − end, d]).
#include <algorithm>
#include <cstring>
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void slice_rows_cpu(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_ndim(0, "X", 2);
  const mmg_tensor& X = c.in(0);
  const int64_t n = X.shape[0], d = X.shape[1];
  const int64_t start = c.attr_int(0), end = c.attr_int(1);
  if (start < 0 || start > end || end > n)
    fail(MMG_E_ARG, c.op(), ": expected 0 <= start <= end <= ", n, ", got start ", start, ", end ", end);
  mmg_tensor& Y = c.out({end - start, d}, X.dtype);
  const int64_t row_bytes = d * static_cast<int64_t>(dtype_size(X.dtype));
  const char* x = static_cast<const char*>(X.data) + start * row_bytes;
  char* y = static_cast<char*>(Y.data);
  parallel_for(end - start, std::max<int64_t>(1, 65536 / std::max<int64_t>(row_bytes, 1)), [&](int64_t s, int64_t e) {
    std::memcpy(y + s * row_bytes, x + s * row_bytes, static_cast<size_t>((e - s) * row_bytes));
  });
}

}  // namespace
MMG_REGISTER_KERNEL("slice_rows", MMG_CPU, slice_rows_cpu);
}  // namespace mmg
