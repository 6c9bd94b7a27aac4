// csr_from_coo: coalesces COO triplets into CSR (rows ascending, columns ascending within a row).
// Inputs: rows, cols (int32 or int64, [nnz] each, same length), vals (float32/float64 [nnz]).
// Attrs: [n_rows, n_cols, duplicates (0 = sum, 1 = collapse: keep the value of the FIRST occurrence
// in input order)].
// Outputs: indptr int32 [n_rows+1], indices int32 [nnz'], values [nnz'] in vals' dtype.
// Errors: MMG_E_DATA naming the first out-of-range index and its position; MMG_E_SHAPE on lengths.
// Deterministic: duplicates are summed in input order. Not differentiable (graph construction).
#include <algorithm>
#include <limits>
#include <vector>
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

template <typename I>
void check_range(const Call& c, const I* v, int64_t n, int64_t hi, const char* what) {
  for (int64_t q = 0; q < n; ++q)
    if (v[q] < 0 || v[q] >= hi) fail(MMG_E_DATA, c.op(), ": expected ", what, " indices in [0, ", hi, "), got ", int64_t(v[q]), " at entry ", q);
}

template <typename I, typename T>
void coalesce(Call& c, const I* rows, const I* cols, const T* vals, int64_t nnz, int64_t n_rows, int64_t n_cols, bool collapse) {
  check_range(c, rows, nnz, n_rows, "row");
  check_range(c, cols, nnz, n_cols, "column");
  // Stable counting sort by row, then a stable sort by column inside each row: equal (i, j) pairs
  // stay in input order, so "first occurrence" and the summation order are the input order.
  std::vector<int64_t> start(static_cast<size_t>(n_rows) + 1, 0);
  for (int64_t q = 0; q < nnz; ++q) ++start[rows[q] + 1];
  for (int64_t r = 0; r < n_rows; ++r) start[r + 1] += start[r];
  std::vector<int64_t> perm(static_cast<size_t>(nnz));
  {
    std::vector<int64_t> fill(start.begin(), start.end() - 1);
    for (int64_t q = 0; q < nnz; ++q) perm[fill[rows[q]]++] = q;
  }
  std::vector<int64_t> unique(static_cast<size_t>(n_rows), 0);
  parallel_for(n_rows, 256, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      auto b = perm.begin() + start[r], e = perm.begin() + start[r + 1];
      std::stable_sort(b, e, [&](int64_t x, int64_t y) { return cols[x] < cols[y]; });
      int64_t u = 0;
      for (auto it = b; it != e; ++it)
        if (it == b || cols[*it] != cols[*(it - 1)]) ++u;
      unique[r] = u;
    }
  });
  int64_t total = 0;
  for (int64_t r = 0; r < n_rows; ++r) total += unique[r];
  MMG_CHECK(total <= std::numeric_limits<int32_t>::max(), MMG_E_ARG, c.op(), ": expected at most 2^31-1 entries, got ", total);
  mmg_tensor& P = c.out({n_rows + 1}, MMG_I32);
  mmg_tensor& J = c.out({total}, MMG_I32);
  mmg_tensor& V = c.out({total}, dtype_of<T>::value);
  int32_t* p = ptr<int32_t>(P);
  int32_t* j = ptr<int32_t>(J);
  T* v = ptr<T>(V);
  p[0] = 0;
  for (int64_t r = 0; r < n_rows; ++r) p[r + 1] = static_cast<int32_t>(p[r] + unique[r]);
  parallel_for(n_rows, 256, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t out = p[r] - 1;
      for (int64_t s = start[r]; s < start[r + 1]; ++s) {
        const int64_t q = perm[s];
        if (s == start[r] || cols[q] != cols[perm[s - 1]]) {
          ++out;
          j[out] = static_cast<int32_t>(cols[q]);
          v[out] = vals[q];
        } else if (!collapse) {
          v[out] += vals[q];
        }
      }
    }
  });
}

void csr_from_coo_cpu(Call& c) {
  c.expect_inputs(3, 3);
  c.expect_index(0, "rows");
  c.expect_same_dtype(0, 1, "rows", "cols");
  c.expect_float(2, "vals");
  for (int i = 0; i < 3; ++i) c.expect_ndim(i, i == 0 ? "rows" : i == 1 ? "cols" : "vals", 1);
  const mmg_tensor &R = c.in(0), &C = c.in(1), &V = c.in(2);
  if (R.shape[0] != C.shape[0] || R.shape[0] != V.shape[0])
    c.shape_error("rows, cols and vals of equal length", shape_str(R) + ", " + shape_str(C) + " and " + shape_str(V));
  const int64_t n_rows = c.attr_int(0), n_cols = c.attr_int(1), dup = c.attr_int_or(2, 0);
  MMG_CHECK(n_rows >= 0 && n_cols >= 0 && n_rows < std::numeric_limits<int32_t>::max() && n_cols <= std::numeric_limits<int32_t>::max(),
            MMG_E_ARG, c.op(), ": expected 0 <= n_rows, n_cols < 2^31, got ", n_rows, " x ", n_cols);
  MMG_CHECK(dup == 0 || dup == 1, MMG_E_ARG, c.op(), ": expected duplicates 0 (sum) or 1 (collapse), got ", dup);
  MMG_INDEX_SWITCH(R.dtype, I, c,
                   MMG_FLOAT_SWITCH(V.dtype, T, c,
                                    coalesce<I, T>(c, ptr<I>(R), ptr<I>(C), ptr<T>(V), R.shape[0], n_rows, n_cols, dup == 1)));
}

}  // namespace
MMG_REGISTER_KERNEL("csr_from_coo", MMG_CPU, csr_from_coo_cpu);
}  // namespace mmg
