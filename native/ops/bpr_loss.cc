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

namespace mmg {
namespace {

// ---- per-row bodies (pure; the CUDA port reuses them) ----
template <typename T>
inline T bpr_margin(const T* u, const T* p, const T* n, int64_t d) {
  T s = T(0);
  for (int64_t j = 0; j < d; ++j) s += u[j] * (p[j] - n[j]);
  return s;
}

template <typename T>
inline T bpr_row_loss(T x, int variant) {
  if (variant == 0) return std::max(-x, T(0)) + std::log1p(std::exp(-std::fabs(x)));  // softplus(−x)
  const T sig = T(1) / (T(1) + std::exp(-x));
  return -std::log(T(1e-10) + sig);
}

// dℓ/dx.
template <typename T>
inline T bpr_row_dloss(T x, int variant) {
  if (variant == 0) {
    // −σ(−x), written so neither branch overflows.
    if (x >= T(0)) {
      const T e = std::exp(-x);
      return -e / (T(1) + e);
    }
    return T(-1) / (T(1) + std::exp(x));
  }
  const T sig = T(1) / (T(1) + std::exp(-x));
  return -sig * (T(1) - sig) / (T(1e-10) + sig);
}

struct BprArgs {
  int64_t b, d;
  int variant;
};

BprArgs check_bpr(Call& c, int n_in) {
  c.expect_inputs(n_in, n_in);
  c.expect_float(0, "U");
  c.expect_same_dtype(0, 1, "U", "P");
  c.expect_same_dtype(0, 2, "U", "N");
  c.expect_ndim(0, "U", 2);
  c.expect_same_shape(0, 1, "U", "P");
  c.expect_same_shape(0, 2, "U", "N");
  const int64_t variant = c.attr_int_or(0, 0);
  if (variant != 0 && variant != 1) fail(MMG_E_ARG, c.op(), ": expected variant 0 (logsigmoid) or 1 (log(1e-10 + sigmoid)), got ", variant);
  return {c.in(0).shape[0], c.in(0).shape[1], static_cast<int>(variant)};
}

void bpr_loss_cpu(Call& c) {
  const BprArgs a = check_bpr(c, 3);
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
        per_row[r] = bpr_row_loss(bpr_margin(u + r * a.d, p + r * a.d, n + r * a.d, a.d), a.variant);
    });
    double sum = 0;
    for (int64_t r = 0; r < a.b; ++r) sum += per_row[r];
    host_free(per_row, bytes);
    *ptr<T>(L) = static_cast<T>(sum / static_cast<double>(a.b));
  });
}

void bpr_loss_backward_cpu(Call& c) {
  const BprArgs a = check_bpr(c, 4);
  c.expect_same_dtype(0, 3, "U", "g");
  if (numel(c.in(3)) != 1) c.shape_error("a scalar g", shape_str(c.in(3)));
  const mmg_tensor& U = c.in(0);
  mmg_tensor& dU = c.out_like(U);
  mmg_tensor& dP = c.out_like(U);
  mmg_tensor& dN = c.out_like(U);
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    const T *u = ptr<T>(U), *p = ptr<T>(c.in(1)), *n = ptr<T>(c.in(2));
    T *du = ptr<T>(dU), *dp = ptr<T>(dP), *dn = ptr<T>(dN);
    const T scale = *ptr<T>(c.in(3)) / static_cast<T>(std::max<int64_t>(a.b, 1));
    const int64_t d = a.d;
    parallel_for(a.b, std::max<int64_t>(1, 4096 / std::max<int64_t>(d, 1)), [&](int64_t s, int64_t e) {
      for (int64_t r = s; r < e; ++r) {
        const T *ur = u + r * d, *pr = p + r * d, *nr = n + r * d;
        const T cb = scale * bpr_row_dloss(bpr_margin(ur, pr, nr, d), a.variant);
        for (int64_t j = 0; j < d; ++j) {
          du[r * d + j] = cb * (pr[j] - nr[j]);
          dp[r * d + j] = cb * ur[j];
          dn[r * d + j] = -cb * ur[j];
        }
      }
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("bpr_loss", MMG_CPU, bpr_loss_cpu);
MMG_REGISTER_KERNEL("bpr_loss_backward", MMG_CPU, bpr_loss_backward_cpu);
}  // namespace mmg
