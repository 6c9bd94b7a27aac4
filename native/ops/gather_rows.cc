// gather_rows: Y[b, :] = X[idx[b], :] (an embedding lookup; repeated indices allowed).
// Inputs: X [n, d] (any dtype), idx [B] int32 or int64. Output: Y [B, d], X's dtype.
// An index outside [0, n) is MMG_E_DATA naming its position and value.
// Backward (lib/ops/gather_rows.ts): dX = scatter_add_rows(dY, idx, n).
#include <algorithm>
#include <cstring>
#include "../core/parallel.h"
#include "../core/registry.h"
#include "../core/hd/index_check.h"
#include "gather_rows.h"  // gather_rows_check (the checks on every device)

namespace mmg {
namespace {

// ---- per-row body (pure; the CUDA port reuses it) ----
inline void gather_row(const char* x, int64_t src_row, int64_t row_bytes, char* y) {
  std::memcpy(y, x + src_row * row_bytes, static_cast<size_t>(row_bytes));
}


void gather_rows_cpu(Call& c) {
  const GatherPlan p = gather_rows_check(c);
  const mmg_tensor &X = c.in(0), &Idx = c.in(1);
  const int64_t n = p.n, d = p.d, b = p.b;
  mmg_tensor& Y = c.out({b, d}, X.dtype);
  const int64_t row_bytes = d * static_cast<int64_t>(dtype_size(X.dtype));
  MMG_INDEX_SWITCH(Idx.dtype, I, c, {
    const I* idx = ptr<I>(Idx);
    check_indices(c.op(), idx, b, n);  // always: the host scan costs nothing next to the copy
    const char* x = static_cast<const char*>(X.data);
    char* y = static_cast<char*>(Y.data);
    parallel_for(b, std::max<int64_t>(1, 32768 / std::max<int64_t>(row_bytes, 1)), [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) gather_row(x, static_cast<int64_t>(idx[i]), row_bytes, y + i * row_bytes);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("gather_rows", MMG_CPU, gather_rows_cpu);
}  // namespace mmg
