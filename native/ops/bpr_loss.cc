// bpr_loss: L = mean_b ℓ(x_b), x_b = u_b·p_b − u_b·n_b = u_b·(p_b − n_b).
// Inputs: U, P, N [B, d] (rows of the final user / positive / negative embeddings), float32 or
// float64, same dtype and shape. Attrs: [variant = 0]
//   0: ℓ(x) = −logsigmoid(x) = softplus(−x), evaluated stably (SMORE, GUME: F.logsigmoid);
//   1: ℓ(x) = −log(1e-10 + σ(x))  (MMRec's BPRLoss, used by LightGCN and BPR-MF).
// Output: scalar L. B = 0 gives NaN, like a mean over nothing in PyTorch.
// bpr_loss_backward: inputs U, P, N, g (scalar dL) + the same attrs → dU, dP, dN [B, d]:
//   c_b = g·ℓ'(x_b)/B; dU_b = c_b(p_b − n_b), dP_b = c_b·u_b, dN_b = −c_b·u_b.
// Deterministic: per-row losses land in a buffer and are summed in row order (double accumulator).
#include <algorithm>
#include <cmath>
#include <limits>
#include "../core/allocator.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "bpr_loss.h"  // bpr_check and the per-row bodies (every device)

namespace mmg {
namespace {

void bpr_loss_cpu(Call& c) {
  const BprPlan a = bpr_check(c, 3);
  mmg_tensor& L = c.out({}, c.in(0).dtype);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const T *u = ptr<T>(c.in(0)), *p = ptr<T>(c.in(1)), *n = ptr<T>(c.in(2));
    if (a.b == 0) {
      *ptr<T>(L) = std::numeric_limits<T>::quiet_NaN();
      return;
    }
    const size_t bytes = sizeof(double) * static_cast<size_t>(a.b);
    double* per_row = static_cast<double*>(host_alloc(bytes));
    parallel_for(a.b, std::max<int64_t>(1, 4096 / std::max<int64_t>(a.d, 1)), [&](int64_t s, int64_t e) {
      for (int64_t r = s; r < e; ++r)
        per_row[r] = body::bpr_row_forward(r, u, p, n, a.d, a.variant);
    });
    double sum = 0;
    for (int64_t r = 0; r < a.b; ++r) sum += per_row[r];
    host_free(per_row, bytes);
    *ptr<T>(L) = static_cast<T>(sum / static_cast<double>(a.b));
  });
}

void bpr_loss_backward_cpu(Call& c) {
  const BprPlan a = bpr_check(c, 4);
  const mmg_tensor& U = c.in(0);
  mmg_tensor& dU = c.out_like(U);
  mmg_tensor& dP = c.out_like(U);
  mmg_tensor& dN = c.out_like(U);
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    const T *u = ptr<T>(U), *p = ptr<T>(c.in(1)), *n = ptr<T>(c.in(2));
    T *du = ptr<T>(dU), *dp = ptr<T>(dP), *dn = ptr<T>(dN);
    const T scale = *ptr<T>(c.in(3)) / static_cast<T>(std::max<int64_t>(a.b, 1));
    parallel_for(a.b, std::max<int64_t>(1, 4096 / std::max<int64_t>(a.d, 1)), [&](int64_t s, int64_t e) {
      for (int64_t r = s; r < e; ++r) body::bpr_row_backward(r, u, p, n, a.d, a.variant, scale, du, dp, dn);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("bpr_loss", MMG_CPU, bpr_loss_cpu);
MMG_REGISTER_KERNEL("bpr_loss_backward", MMG_CPU, bpr_loss_backward_cpu);
}  // namespace mmg
