// Twin of cuda::check_csr (the CUDA backend's csr_check.cu) for cuda-emu: the same predicates over the same
// positions, keeping the first bad row and entry as the GPU's atomicMin does, then the shared
// report (native/core/hd/csr_check.h) with check_csr's messages.
#pragma once
#include "../core/hd/csr_check.h"

namespace mmg {
namespace emu {

inline int64_t check_csr(const Call& c, int i_indptr, int i_indices, int64_t n_cols, const char* what) {
  const int64_t n_rows = csr_check_meta(c, i_indptr, i_indices, what);
  const int32_t* p = ptr<int32_t>(c.in(i_indptr));
  const int32_t* j = ptr<int32_t>(c.in(i_indices));
  const int64_t nnz = c.in(i_indices).shape[0];
  count_launch();  // csr_check.cu: one scan kernel, then one record read back
  count_d2h();
  CsrScan s;
  s.p0 = p[0];
  s.pn = p[n_rows];
  for (int64_t r = 0; r < n_rows && s.bad_row == kCsrNone; ++r)
    if (body::csr_row_bad(p, r)) s.bad_row = uint64_t(r);
  for (int64_t q = 0; q < nnz && s.bad_entry == kCsrNone; ++q)
    if (body::csr_entry_bad(j, q, n_cols)) s.bad_entry = uint64_t(q);
  csr_report(c, s, n_rows, nnz, n_cols, what, [&](int64_t i) { return p[i]; }, [&](int64_t q) { return j[q]; });
  return nnz;
}

}  // namespace emu
}  // namespace mmg
