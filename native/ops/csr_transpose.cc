// csr_transpose: the CSR of Aᵀ. Rows of Aᵀ list their columns ascending (a stable counting sort
// over A's rows), so the result is again coalesced when A was.
// Inputs: indptr int32 [n_rows+1], indices int32 [nnz], values float32/float64 [nnz].
// Attrs: [n_cols]. Outputs: indptr int32 [n_cols+1], indices int32 [nnz], values [nnz].
// Serial, O(n_rows + n_cols + nnz); deterministic. Not differentiable (graph construction).
#include <vector>
#include "../core/registry.h"
#include "csr_check.h"

namespace mmg {
namespace {

template <typename T>
void transpose(const int32_t* p, const int32_t* j, const T* v, int64_t n_rows, int64_t n_cols, int32_t* tp, int32_t* tj, T* tv) {
  const int64_t nnz = p[n_rows];
  for (int64_t c = 0; c <= n_cols; ++c) tp[c] = 0;
  for (int64_t q = 0; q < nnz; ++q) ++tp[j[q] + 1];
  for (int64_t c = 0; c < n_cols; ++c) tp[c + 1] += tp[c];
  std::vector<int32_t> fill(tp, tp + n_cols);
  for (int64_t r = 0; r < n_rows; ++r)
    for (int32_t q = p[r]; q < p[r + 1]; ++q) {
      const int32_t dst = fill[j[q]]++;
      tj[dst] = static_cast<int32_t>(r);
      tv[dst] = v[q];
    }
}

void csr_transpose_cpu(Call& c) {
  c.expect_inputs(3, 3);
  c.expect_float(2, "values");
  c.expect_ndim(2, "values", 1);
  const int64_t n_cols = c.attr_int(0);
  MMG_CHECK(n_cols >= 0 && n_cols < (int64_t(1) << 31) - 1, MMG_E_ARG, c.op(), ": expected 0 <= n_cols < 2^31-1, got ", n_cols);
  const int64_t nnz = check_csr(c, 0, 1, n_cols, "A");
  const mmg_tensor &P = c.in(0), &J = c.in(1), &V = c.in(2);
  if (V.shape[0] != nnz) c.shape_error("values with one entry per index (" + std::to_string(nnz) + ")", shape_str(V));
  const int64_t n_rows = P.shape[0] - 1;
  mmg_tensor& TP = c.out({n_cols + 1}, MMG_I32);
  mmg_tensor& TJ = c.out({nnz}, MMG_I32);
  mmg_tensor& TV = c.out({nnz}, V.dtype);
  MMG_FLOAT_SWITCH(V.dtype, T, c,
                   transpose<T>(ptr<int32_t>(P), ptr<int32_t>(J), ptr<T>(V), n_rows, n_cols, ptr<int32_t>(TP), ptr<int32_t>(TJ),
                                ptr<T>(TV)));
}

}  // namespace
MMG_REGISTER_KERNEL("csr_transpose", MMG_CPU, csr_transpose_cpu);
}  // namespace mmg
