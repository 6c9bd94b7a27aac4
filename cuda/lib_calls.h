// Descriptors of the vendor-library calls the backend makes. An op's setup code (in its
// body.h, shared by nvcc and g++) fills one from the op's row-major tensors; the .cu file hands
// it to cuBLAS/cuSPARSE, and the cuda-emu device hands it to a host model of that library call's
// documented semantics (cuda/emu/lib_models.h). The library's arithmetic is NVIDIA's and is not
// emulated bit for bit; what CI checks this way is our part: operand order, transposes, leading
// dimensions and sizes.
#pragma once
#include <cstdint>

namespace mmg {

// cublas<t>gemm: C = alpha·op(A)·op(B) + beta·C, all column-major. m×n result, inner size k.
struct GemmCall {
  int32_t dtype = 0;  // MMG_F32 / MMG_F64
  bool trans_a = false, trans_b = false;
  int64_t m = 0, n = 0, k = 0;
  const void* A = nullptr;
  int64_t lda = 0;
  const void* B = nullptr;
  int64_t ldb = 0;
  void* C = nullptr;
  int64_t ldc = 0;
  double alpha = 1, beta = 0;
};

// cusparseSpMM with a CSR matrix and row-major dense matrices:
// C[rows_c × n] = alpha·op(S)·B + beta·C, S is rows × cols with nnz entries.
struct SpmmCall {
  int32_t dtype = 0;  // of values, B and C
  bool trans_s = false;
  int64_t rows = 0, cols = 0, nnz = 0, n = 0;
  const void* indptr = nullptr;  // rows + 1 entries
  const void* indices = nullptr; // nnz entries
  const void* values = nullptr;  // nnz entries
  int32_t index_dtype = 0;       // MMG_I32 / MMG_I64
  const void* B = nullptr;
  int64_t ldb = 0;
  void* C = nullptr;
  int64_t ldc = 0;
  double alpha = 1, beta = 0;
};

}  // namespace mmg
