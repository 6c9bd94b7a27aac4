// Validation shared by the ops that take a CSR matrix as (indptr, indices[, values]) tensors:
// int32 indptr [n_rows+1] starting at 0, non-decreasing, ending at nnz; int32 indices [nnz] in
// [0, n_cols). Serial and O(n_rows + nnz), so it runs before any parallel region (a kernel must
// never throw from inside parallel_for). Errors name the op, the tensor and the offending entry.
#pragma once
#include <string>
#include "../core/tensor.h"

namespace mmg {

// Returns nnz. n_cols < 0 skips the column range check.
inline int64_t check_csr(const Call& c, int i_indptr, int i_indices, int64_t n_cols, const char* what) {
  const std::string ip = std::string(what) + " indptr", ix = std::string(what) + " indices";
  c.expect_dtype(i_indptr, ip.c_str(), {MMG_I32});
  c.expect_dtype(i_indices, ix.c_str(), {MMG_I32});
  c.expect_ndim(i_indptr, ip.c_str(), 1);
  c.expect_ndim(i_indices, ix.c_str(), 1);
  const mmg_tensor &P = c.in(i_indptr), &J = c.in(i_indices);
  MMG_CHECK(P.shape[0] >= 1, MMG_E_SHAPE, c.op(), ": expected ", ip, " with at least one entry, got shape ", shape_str(P));
  const int32_t* p = ptr<int32_t>(P);
  const int64_t n_rows = P.shape[0] - 1, nnz = J.shape[0];
  MMG_CHECK(p[0] == 0, MMG_E_DATA, c.op(), ": expected ", ip, "[0] = 0, got ", p[0]);
  for (int64_t r = 0; r < n_rows; ++r)
    MMG_CHECK(p[r + 1] >= p[r], MMG_E_DATA, c.op(), ": expected a non-decreasing ", ip, ", got ", p[r + 1], " after ", p[r],
              " at row ", r);
  MMG_CHECK(p[n_rows] == nnz, MMG_E_SHAPE, c.op(), ": expected ", ip, "[", n_rows, "] to equal the ", nnz, " indices, got ",
            p[n_rows]);
  if (n_cols >= 0) {
    const int32_t* j = ptr<int32_t>(J);
    for (int64_t q = 0; q < nnz; ++q)
      if (j[q] < 0 || j[q] >= n_cols) {
        int64_t r = 0;  // name the row too: find it by bisection
        for (int64_t lo = 0, hi = n_rows; lo < hi;) {
          int64_t mid = (lo + hi) / 2;
          if (p[mid + 1] <= q) lo = mid + 1; else hi = mid;
          r = lo;
        }
        fail(MMG_E_DATA, c.op(), ": expected ", ix, " in [0, ", n_cols, "), got ", j[q], " at entry ", q, " (row ", r, ")");
      }
  }
  return nnz;
}

}  // namespace mmg
