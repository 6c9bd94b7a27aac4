// Validation shared by the ops that take a CSR matrix as (indptr, indices[, values]) tensors:
// int32 indptr [n_rows+1] starting at 0, non-decreasing, ending at nnz; int32 indices [nnz] in
// [0, n_cols). Serial and O(n_rows + nnz), so it runs before any parallel region (a kernel must
// never throw from inside parallel_for). Errors name the op, the tensor and the offending entry.
#pragma once
#include "../core/hd/csr_check.h"

namespace mmg {

// Returns nnz. n_cols < 0 skips the column range check. The checks, their order and messages are
// native/core/hd/csr_check.h's, which the GPU and the emulator use too.
inline int64_t check_csr(const Call& c, int i_indptr, int i_indices, int64_t n_cols, const char* what) {
  const int64_t n_rows = csr_check_meta(c, i_indptr, i_indices, what);
  const int32_t* p = ptr<int32_t>(c.in(i_indptr));
  const int32_t* j = ptr<int32_t>(c.in(i_indices));
  const int64_t nnz = c.in(i_indices).shape[0];
  const CsrScan s = csr_scan_host(p, j, n_rows, nnz, n_cols);
  csr_report(c, s, n_rows, nnz, n_cols, what, [&](int64_t i) { return p[i]; }, [&](int64_t q) { return j[q]; });
  return nnz;
}

}  // namespace mmg
