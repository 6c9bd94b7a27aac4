// spmm on the CUDA backend (contract: native/ops/spmm.cc): Y = A·X with A in CSR (int32 indptr and
// indices, values in X's dtype) and X dense row-major, as ONE cusparseSpMM call (generic API,
// CUSPARSE_SPMM_CSR_ALG2 on row-major B and C; see spmm.cu for why). The CSR is validated on the
// device first with check_csr's messages (the CUDA backend's csr_check.cu; cuda-emu: native/emu/csr_check.h).
// No transpose here: the CPU kernel has none either; the backward (lib/ops/spmm.ts) calls this
// same op on the cached transpose, so SpmmCall.trans_s stays false.
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/lib_calls.h"

namespace mmg {

// Attribute 0 (`checked`, optional): 1 when A was validated as it moved to the device
// (CsrMatrix.to), so the per-call scan, which costs a device round trip, is skipped unless
// MMGRAPH_CUDA_CHECK=1 (native/core/device_counters.h). The CPU kernel always checks.
inline bool spmm_csr_checked(const Call& c) { return c.attr_int_or(0, 0) != 0; }

// The CPU kernel's checks that precede check_csr (no data read), in its order.
inline void spmm_check_inputs(Call& c) {
  c.expect_inputs(4, 5);
  c.expect_float(3, "X");
  c.expect_same_dtype(3, 2, "X", "values");
  c.expect_ndim(2, "values", 1);
  c.expect_ndim(3, "X", 2);
  if (c.n_in() == 5) c.expect_same_dtype(4, 3, "C", "X");
}

// The optional addend C (input 4) of Y = A·X + C: null without one; checked to be [n_rows, d].
inline const void* spmm_addend(const Call& c, int64_t n_rows, int64_t d) {
  if (c.n_in() < 5) return nullptr;
  const mmg_tensor& C = c.in(4);
  if (C.ndim != 2 || C.shape[0] != n_rows || C.shape[1] != d)
    c.shape_error("C of shape [" + std::to_string(n_rows) + ", " + std::to_string(d) + "] (A's rows, X's width)", shape_str(C));
  return C.data;
}

// After check_csr(c, 0, 1, X rows, "A") returned nnz: the values length check, the output, and the
// library call Y[n_rows × d] = 1·A·X + β·Y with every dense leading dimension = d (row-major): β = 1
// with an addend (the launcher copies it into Y first), else 0 (Y cleared first).
inline void spmm_values_check(const Call& c, int64_t nnz) {
  const mmg_tensor& V = c.in(2);
  if (V.shape[0] != nnz) c.shape_error("values with one entry per index (" + std::to_string(nnz) + ")", shape_str(V));
}

inline SpmmCall spmm_setup(Call& c, int64_t nnz) {
  spmm_values_check(c, nnz);
  const mmg_tensor &P = c.in(0), &J = c.in(1), &V = c.in(2), &X = c.in(3);
  const int64_t n_rows = P.shape[0] - 1, d = X.shape[1];
  const void* addend = spmm_addend(c, n_rows, d);
  mmg_tensor& Y = c.out({n_rows, d}, X.dtype);
  SpmmCall s;
  s.dtype = X.dtype;
  s.trans_s = false;
  s.rows = n_rows;
  s.cols = X.shape[0];
  s.nnz = nnz;
  s.n = d;
  s.indptr = P.data;
  s.indices = J.data;
  s.values = V.data;
  s.index_dtype = MMG_I32;
  s.B = X.data;
  s.ldb = d;
  s.C = Y.data;
  s.ldc = d;
  s.alpha = 1;
  s.beta = addend ? 1 : 0;  // the launcher first copies C into Y (spmm_addend), or clears Y
  return s;
}

}  // namespace mmg
