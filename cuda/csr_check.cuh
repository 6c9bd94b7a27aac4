// check_csr for the CUDA backend: native/ops/csr_check.h's contract, messages and order, with the
// data checks run on the device (native/core/hd/csr_check.h, cuda/csr_check.cu). Synchronises once.
#pragma once
#include "common.cuh"

namespace mmg {
namespace cuda {

// Validates the CSR (indptr, indices) inputs of c like mmg::check_csr and returns nnz. n_cols < 0
// skips the column range check.
int64_t check_csr(const Call& c, int i_indptr, int i_indices, int64_t n_cols, const char* what);

}  // namespace cuda
}  // namespace mmg
