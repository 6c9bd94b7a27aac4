// Twin of cuda::check_csr (the CUDA backend's csr_check.cu) for cuda-emu: the CPU's check_csr, which
// runs the GPU's predicates over the same positions, keeps the first bad row and entry as the GPU's
// atomicMin does and reports through the shared csr_report (native/core/hd/csr_check.h); counted
// as the GPU's scan launch and read-back.
#pragma once
#include "../core/hd/csr_check.h"
#include "../ops/csr_check.h"
#include "grid.h"

namespace mmg {
namespace emu {

inline int64_t check_csr(const Call& c, int i_indptr, int i_indices, int64_t n_cols, const char* what) {
  csr_check_meta(c, i_indptr, i_indices, what);  // a metadata error costs the GPU no launch
  count_launch();  // csr_check.cu: one scan kernel, then one record read back
  count_d2h();
  return ::mmg::check_csr(c, i_indptr, i_indices, n_cols, what);
}

}  // namespace emu
}  // namespace mmg
