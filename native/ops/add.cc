// add: C = A + alpha·B, elementwise. B has A's shape, or is a row vector [cols] (or [1, cols])
// broadcast over A's rows. float32/float64, same dtype. Attrs: [alpha = 1].
// Backward (lib/ops/add.ts): dA = dC; dB = alpha·dC (same shape) or alpha·sum_rows(dC) (broadcast).
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void add_cpu(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const int64_t n = numel(A), nc = cols(A), nb = numel(B);
  const bool broadcast = nb != n || B.ndim != A.ndim;
  if (broadcast && !(nb == nc && (B.ndim == 1 || (B.ndim == 2 && B.shape[0] == 1))))
    c.shape_error("B to have A's shape " + shape_str(A) + " or be a row vector [" + std::to_string(nc) + "]", shape_str(B));
  const double alpha = c.attr_or(0, 1.0);
  mmg_tensor& C = c.out_like(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    const T* a = ptr<T>(A);
    const T* b = ptr<T>(B);
    T* o = ptr<T>(C);
    const T al = static_cast<T>(alpha);
    if (!broadcast) {
      parallel_for(n, 1 << 15, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) o[i] = a[i] + al * b[i];
      });
    } else {
      parallel_for(rows(A), std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(nc, 1)), [&](int64_t s, int64_t e) {
        for (int64_t r = s; r < e; ++r)
          for (int64_t j = 0; j < nc; ++j) o[r * nc + j] = a[r * nc + j] + al * b[j];
      });
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("add", MMG_CPU, add_cpu);
}  // namespace mmg
