// CSR validation for the CUDA backend (the CUDA backend's csr_check.cu) and cuda-emu (native/emu/csr_check.h), with
// the messages, codes and check order of native/ops/csr_check.h (check_csr), so a bad CSR is
// rejected on every device with the same text. On the GPU indptr and indices live in device
// memory: one pass on the device finds the first decreasing indptr row and the first index out of
// range (atomicMin, like cuda::check_indices), and the host then raises check_csr's error for the
// first check that fails, reading the few entries the message names.
// NO CUDA headers here (shared by nvcc and g++).
#pragma once
#include <cstdint>
#include <string>
#include "../device_counters.h"
#include "../tensor.h"
#include "body_common.h"

namespace mmg {
namespace body {

// indptr decreases after row r (r < n_rows).
MMG_HD bool csr_row_bad(const int32_t* p, int64_t r) { return p[r + 1] < p[r]; }
// indices[q] lies outside [0, n_cols) (n_cols < 0: no range check, as in check_csr).
MMG_HD bool csr_entry_bad(const int32_t* j, int64_t q, int64_t n_cols) { return n_cols >= 0 && !index_in_range(j[q], n_cols); }

}  // namespace body

// What the scan found: the first row r with indptr[r+1] < indptr[r] and the first bad entry q
// (kCsrNone when there is none), and indptr's first and last entries.
constexpr uint64_t kCsrNone = ~uint64_t(0);
struct CsrScan {
  uint64_t bad_row = kCsrNone, bad_entry = kCsrNone;
  int32_t p0 = 0, pn = 0;
};

// check_csr's checks that read no data (dtypes, ranks, indptr length), in its order. Returns n_rows.
inline int64_t csr_check_meta(const Call& c, int i_indptr, int i_indices, const char* what) {
  const std::string ip = std::string(what) + " indptr", ix = std::string(what) + " indices";
  c.expect_dtype(i_indptr, ip.c_str(), {MMG_I32});
  c.expect_dtype(i_indices, ix.c_str(), {MMG_I32});
  c.expect_ndim(i_indptr, ip.c_str(), 1);
  c.expect_ndim(i_indices, ix.c_str(), 1);
  const mmg_tensor& P = c.in(i_indptr);
  MMG_CHECK(P.shape[0] >= 1, MMG_E_SHAPE, c.op(), ": expected ", ip, " with at least one entry, got shape ", shape_str(P));
  return P.shape[0] - 1;
}

// For a CSR validated when it was moved to the device (the caller's `checked` attribute): the
// metadata checks only, and nnz from the indices' length (indptr[n_rows] = nnz was checked then).
inline int64_t csr_checked_nnz(const Call& c, int i_indptr, int i_indices, const char* what) {
  csr_check_meta(c, i_indptr, i_indices, what);
  return c.in(i_indices).shape[0];
}

// Raises check_csr's error for a scan, checking in check_csr's order (indptr[0], monotonicity,
// indptr[n_rows] = nnz, then the index range); returns when the CSR is valid. read_p(i) and
// read_j(q) fetch single entries and are called only on the error path.
template <typename ReadP, typename ReadJ>
void csr_report(const Call& c, const CsrScan& s, int64_t n_rows, int64_t nnz, int64_t n_cols, const char* what, ReadP read_p,
                ReadJ read_j) {
  const std::string ip = std::string(what) + " indptr", ix = std::string(what) + " indices";
  MMG_CHECK(s.p0 == 0, MMG_E_DATA, c.op(), ": expected ", ip, "[0] = 0, got ", s.p0);
  if (s.bad_row != kCsrNone) {
    const int64_t r = int64_t(s.bad_row);
    fail(MMG_E_DATA, c.op(), ": expected a non-decreasing ", ip, ", got ", read_p(r + 1), " after ", read_p(r), " at row ", r);
  }
  MMG_CHECK(s.pn == nnz, MMG_E_SHAPE, c.op(), ": expected ", ip, "[", n_rows, "] to equal the ", nnz, " indices, got ", s.pn);
  if (s.bad_entry != kCsrNone) {
    const int64_t q = int64_t(s.bad_entry);
    int64_t r = 0;  // the row, by check_csr's bisection (indptr is valid here)
    for (int64_t lo = 0, hi = n_rows; lo < hi;) {
      int64_t mid = (lo + hi) / 2;
      if (read_p(mid + 1) <= q) lo = mid + 1; else hi = mid;
      r = lo;
    }
    fail(MMG_E_DATA, c.op(), ": expected ", ix, " in [0, ", n_cols, "), got ", read_j(q), " at entry ", q, " (row ", r, ")");
  }
}

// The scan on the host (the CPU kernels and the emulator): the same predicates at the same
// positions as the GPU's scan kernel, keeping the first bad row and the first bad entry.
inline CsrScan csr_scan_host(const int32_t* p, const int32_t* j, int64_t n_rows, int64_t nnz, int64_t n_cols) {
  CsrScan s;
  s.p0 = p[0];
  s.pn = p[n_rows];
  for (int64_t r = 0; r < n_rows && s.bad_row == kCsrNone; ++r)
    if (body::csr_row_bad(p, r)) s.bad_row = uint64_t(r);
  for (int64_t q = 0; q < nnz && s.bad_entry == kCsrNone; ++q)
    if (body::csr_entry_bad(j, q, n_cols)) s.bad_entry = uint64_t(q);
  return s;
}

}  // namespace mmg
