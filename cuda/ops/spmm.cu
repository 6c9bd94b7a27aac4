// spmm: device CSR check, then one cusparseSpMM (generic API) on the backend's stream.
// Algorithm: CUSPARSE_SPMM_CSR_ALG2. cuSPARSE documents it for CSR with row-major dense operands
// (our X and Y are row-major, so no transposed copies are needed) and as giving bit-wise
// deterministic results run to run, which the CPU kernel also guarantees; the default algorithm
// promises neither the layout preference nor determinism. Its workspace comes from Scratch.
// Y is cleared first (or, with an addend C, C is copied in and beta = 1): with beta = 0 cuSPARSE must not need to read C, but the caching allocator
// hands back old bytes (possibly NaN) and the docs do not promise that 0·C is skipped.
#include "../common.cuh"
#include "../../native/core/hd/csr_check.h"
#include "../csr_check.cuh"
#include "../../native/ops/spmm.h"

namespace mmg {
namespace cuda {
namespace {

// Destroys the cuSPARSE descriptors on every exit path (a failing call throws).
struct SpmmDescrs {
  cusparseConstSpMatDescr_t a = nullptr;
  cusparseConstDnMatDescr_t b = nullptr;
  cusparseDnMatDescr_t c = nullptr;
  ~SpmmDescrs() {
    if (a) cusparseDestroySpMat(a);
    if (b) cusparseDestroyDnMat(b);
    if (c) cusparseDestroyDnMat(c);
  }
};

void run_spmm(const SpmmCall& s, const char* op) {
  const cudaDataType dt = s.dtype == MMG_F32 ? CUDA_R_32F : CUDA_R_64F;
  const cusparseIndexType_t it = s.index_dtype == MMG_I32 ? CUSPARSE_INDEX_32I : CUSPARSE_INDEX_64I;
  const cusparseOperation_t op_a = s.trans_s ? CUSPARSE_OPERATION_TRANSPOSE : CUSPARSE_OPERATION_NON_TRANSPOSE;
  const int64_t k = s.trans_s ? s.rows : s.cols, m = s.trans_s ? s.cols : s.rows;  // op(S) is m × k
  cusparseHandle_t h = cusparse(op);
  SpmmDescrs d;
  check(cusparseCreateConstCsr(&d.a, s.rows, s.cols, s.nnz, s.indptr, s.indices, s.values, it, it, CUSPARSE_INDEX_BASE_ZERO, dt), op,
        "cusparseCreateConstCsr");
  check(cusparseCreateConstDnMat(&d.b, k, s.n, s.ldb, s.B, dt, CUSPARSE_ORDER_ROW), op, "cusparseCreateConstDnMat(B)");
  check(cusparseCreateDnMat(&d.c, m, s.n, s.ldc, s.C, dt, CUSPARSE_ORDER_ROW), op, "cusparseCreateDnMat(C)");
  const float af = float(s.alpha), bf = float(s.beta);
  const double ad = s.alpha, bd = s.beta;
  const void* alpha = s.dtype == MMG_F32 ? static_cast<const void*>(&af) : static_cast<const void*>(&ad);
  const void* beta = s.dtype == MMG_F32 ? static_cast<const void*>(&bf) : static_cast<const void*>(&bd);
  size_t bytes = 0;
  check(retry_oom([&] { return cusparseSpMM_bufferSize(h, op_a, CUSPARSE_OPERATION_NON_TRANSPOSE, alpha, d.a, d.b, beta, d.c, dt, CUSPARSE_SPMM_CSR_ALG2,
                                &bytes); }),
        op, "cusparseSpMM_bufferSize");
  Scratch work(bytes, op);
  check(retry_oom([&] { return cusparseSpMM(h, op_a, CUSPARSE_OPERATION_NON_TRANSPOSE, alpha, d.a, d.b, beta, d.c, dt, CUSPARSE_SPMM_CSR_ALG2,
                     work.as<void>()); }),
        op, "cusparseSpMM");
}

void spmm_cuda(Call& c) {
  spmm_check_inputs(c);
  const int64_t nnz = device_data_check_needed(spmm_csr_checked(c)) ? check_csr(c, 0, 1, c.in(3).shape[0], "A")
                                                                     : csr_checked_nnz(c, 0, 1, "A");
  const SpmmCall s = spmm_setup(c, nnz);
  if (s.rows == 0 || s.n == 0) return;
  const uint64_t bytes = uint64_t(s.rows * s.n) * dtype_size(s.dtype);
  if (const void* addend = spmm_addend(c, s.rows, s.n))  // Y = A·X + C: C copied in, then β = 1
    MMG_CUDA_CHECK(c.op(), cudaMemcpyAsync(s.C, addend, bytes, cudaMemcpyDeviceToDevice, stream()));
  else
    MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(s.C, 0, bytes, stream()));
  if (s.nnz == 0) return;  // all rows empty: zeros (or C), no library call
  run_spmm(s, c.op());
}

}  // namespace
MMG_CUDA_OP("spmm", spmm_cuda);
}  // namespace cuda
}  // namespace mmg
