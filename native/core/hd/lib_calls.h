// Descriptors of the vendor-library calls the backend makes. An op's setup code (in its
// body.h, shared by nvcc and g++) fills one from the op's row-major tensors; the .cu file hands
// it to cuBLAS/cuSPARSE, and the cuda-emu device hands it to a host model of that library call's
// documented semantics (native/emu/lib_models.h). The library's arithmetic is NVIDIA's and is not
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

namespace mmg {

// cufftMakePlanMany (rank 1, advanced layout) + cufftExec{R2C,D2Z} or cufftExec{C2R,Z2D}: `batch`
// real transforms of length n, element (b, i) of a side at [b·dist + i·stride], counted in that
// side's element type (real, or complex = two reals). Both directions are unnormalized:
//   forward (R2C): X_k = Σ_{t<n} x_t·e^{−2πi·kt/n} for the n/2 + 1 bins k = 0..n/2;
//   inverse (C2R): x_t = Σ_{k<n} X_k·e^{+2πi·kt/n} over the Hermitian extension X_{n−k} = conj(X_k),
//   i.e. x_t = Re X_0 + 2·Σ_{0<k<n/2} Re(X_k e^{2πi·kt/n}) + (−1)^t Re X_{n/2} (n even). The input
//   is assumed Hermitian, so the imaginary parts of the DC and Nyquist bins must be 0: cuFFT does
//   not promise to ignore them (what it does with them is undefined and has changed between
//   versions), so callers zero them and the cuda-emu model refuses an input where they are not.
// An out-of-place C2R may overwrite its input, so `in` is not const.
struct FftCall {
  int32_t dtype = 0;  // MMG_F32 (cufftReal/cufftComplex) / MMG_F64 (cufftDoubleReal/cufftDoubleComplex)
  bool inverse = false;
  int64_t n = 0, batch = 0;
  void* in = nullptr;
  int64_t inembed = 0, istride = 1, idist = 0;  // inembed: storage length of one input row
  void* out = nullptr;
  int64_t onembed = 0, ostride = 1, odist = 0;
};

}  // namespace mmg
