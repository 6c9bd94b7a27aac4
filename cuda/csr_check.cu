// check_csr on the device: one grid-stride pass over max(n_rows, nnz) positions; atomicMin keeps
// the first decreasing indptr row and the first out-of-range index, so the error names the same
// entry the CPU's serial check names. The host reads back one small record (and, on the error path
// only, the entries the message quotes).
#include <algorithm>
#include "../native/core/hd/csr_check.h"
#include "csr_check.cuh"

namespace mmg {
namespace cuda {
namespace {

struct DeviceScan {
  unsigned long long bad_row, bad_entry;
  int32_t p0, pn;
};

__global__ void csr_scan_kernel(const int32_t* p, const int32_t* j, int64_t n_rows, int64_t nnz, int64_t n_cols, int64_t total,
                                DeviceScan* out) {
  MMG_GRID_STRIDE(i, total) {
    if (i == 0) {
      out->p0 = p[0];
      out->pn = p[n_rows];
    }
    if (i < n_rows && body::csr_row_bad(p, i)) atomicMin(&out->bad_row, static_cast<unsigned long long>(i));
    if (i < nnz && body::csr_entry_bad(j, i, n_cols)) atomicMin(&out->bad_entry, static_cast<unsigned long long>(i));
  }
}

int32_t read_one(const char* op, const int32_t* p, int64_t i) {
  int32_t v = 0;
  MMG_CUDA_CHECK(op, cudaMemcpy(&v, p + i, sizeof v, cudaMemcpyDeviceToHost));
  return v;
}

}  // namespace

int64_t check_csr(const Call& c, int i_indptr, int i_indices, int64_t n_cols, const char* what) {
  const int64_t n_rows = csr_check_meta(c, i_indptr, i_indices, what);
  const int32_t* p = ptr<int32_t>(c.in(i_indptr));
  const int32_t* j = ptr<int32_t>(c.in(i_indices));
  const int64_t nnz = c.in(i_indices).shape[0];
  Scratch rec(sizeof(DeviceScan), c.op());
  DeviceScan* d = rec.as<DeviceScan>();
  MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(d, 0xff, sizeof(DeviceScan), stream()));  // bad_row = bad_entry = ~0
  const int64_t total = std::max<int64_t>(1, std::max(n_rows, nnz));
  csr_scan_kernel<<<blocks_for(total), body::kBlock, 0, stream()>>>(p, j, n_rows, nnz, n_cols, total, d);
  check_launch(c.op(), "csr_scan_kernel");
  DeviceScan h{};
  MMG_CUDA_CHECK(c.op(), cudaMemcpyAsync(&h, d, sizeof h, cudaMemcpyDeviceToHost, stream()));
  MMG_CUDA_CHECK(c.op(), cudaStreamSynchronize(stream()));
  CsrScan s;
  s.bad_row = h.bad_row;
  s.bad_entry = h.bad_entry;
  s.p0 = h.p0;
  s.pn = h.pn;
  csr_report(c, s, n_rows, nnz, n_cols, what, [&](int64_t i) { return read_one(c.op(), p, i); },
             [&](int64_t q) { return read_one(c.op(), j, q); });
  return nnz;
}

}  // namespace cuda
}  // namespace mmg
