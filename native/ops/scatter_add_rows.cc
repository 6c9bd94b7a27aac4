// scatter_add_rows: Y = zeros [n, d]; Y[idx[b], :] += X[b, :] for every b (repeats accumulate).
// Inputs: X [B, d] float32/float64, idx [B] int32 or int64. Attrs: [n ≥ 0]. Output: Y [n, d].
// An index outside [0, n) is MMG_E_DATA naming its position and value.
// Deterministic on any thread count: sources are bucketed by destination row (a stable counting
// sort), then each destination row sums its sources in increasing b, so no two workers write
// the same row and the summation order is fixed.
// Backward (lib/ops/scatter_add_rows.ts): dX = gather_rows(dY, idx).
#include <algorithm>
#include <vector>
#include "../core/parallel.h"
#include "../core/registry.h"
#include "../core/hd/index_check.h"
#include "scatter_add_rows.h"  // scatter_add_rows_check (the checks on every device)

namespace mmg {
namespace {

// ---- per-row body (pure; the CUDA port reuses it) ----
// y = Σ_k x[src[k], :] in the order of src.
template <typename T>
inline void scatter_sum_row(const T* x, const int64_t* src, int64_t count, int64_t d, T* y) {
  for (int64_t j = 0; j < d; ++j) y[j] = T(0);
  for (int64_t k = 0; k < count; ++k) {
    const T* xr = x + src[k] * d;
    for (int64_t j = 0; j < d; ++j) y[j] += xr[j];
  }
}

void scatter_add_rows_cpu(Call& c) {
  const ScatterPlan p = scatter_add_rows_check(c);
  const mmg_tensor &X = c.in(0), &Idx = c.in(1);
  const int64_t b = p.b, d = p.d, n = p.n;
  // CSR by destination: start[r]..start[r+1] index `order`, which lists sources in increasing b.
  std::vector<int64_t> start(static_cast<size_t>(n) + 1, 0), order(static_cast<size_t>(b));
  MMG_INDEX_SWITCH(Idx.dtype, I, c, {
    const I* idx = ptr<I>(Idx);
    check_indices(c.op(), idx, b, n);
    for (int64_t i = 0; i < b; ++i) ++start[static_cast<size_t>(idx[i]) + 1];
    for (int64_t r = 0; r < n; ++r) start[r + 1] += start[r];
    std::vector<int64_t> fill(start.begin(), start.end() - 1);
    for (int64_t i = 0; i < b; ++i) order[fill[static_cast<size_t>(idx[i])]++] = i;
  });
  mmg_tensor& Y = c.out({n, d}, X.dtype);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    parallel_for(n, std::max<int64_t>(1, 8192 / std::max<int64_t>(d, 1)), [&](int64_t s, int64_t e) {
      for (int64_t r = s; r < e; ++r) scatter_sum_row(x, order.data() + start[r], start[r + 1] - start[r], d, y + r * d);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("scatter_add_rows", MMG_CPU, scatter_add_rows_cpu);
}  // namespace mmg
