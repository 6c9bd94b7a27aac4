// slice_rows: Y = X[start:end, :] as a copy. Inputs: X [n, d] (any dtype). Attrs: [start, end],
// 0 ≤ start ≤ end ≤ n. Output: Y [end − start, d].
// Backward (lib/ops/slice_rows.ts): dX = concat_rows(zeros [start, d], dY, zeros [n − end, d]).
#include <algorithm>
#include <cstring>
#include "../core/parallel.h"
#include "../core/registry.h"
#include "slice_rows.h"  // slice_rows_check (the checks on every device)

namespace mmg {
namespace {

void slice_rows_cpu(Call& c) {
  const SlicePlan p = slice_rows_check(c);
  const mmg_tensor& X = c.in(0);
  const int64_t start = p.start, end = p.end, row_bytes = p.row_bytes;
  mmg_tensor& Y = c.out({end - start, p.d}, X.dtype);
  const char* x = static_cast<const char*>(X.data) + start * row_bytes;
  char* y = static_cast<char*>(Y.data);
  parallel_for(end - start, std::max<int64_t>(1, 65536 / std::max<int64_t>(row_bytes, 1)), [&](int64_t s, int64_t e) {
    std::memcpy(y + s * row_bytes, x + s * row_bytes, static_cast<size_t>((e - s) * row_bytes));
  });
}

}  // namespace
MMG_REGISTER_KERNEL("slice_rows", MMG_CPU, slice_rows_cpu);
}  // namespace mmg
