// bpr_loss on the CUDA backend (contract: native/ops/bpr_loss.cc). One thread per row computes
// the row's margin and loss (forward) or its three gradient rows (backward); the forward's
// per-row losses are then summed deterministically (reduce.cuh). The row bodies are the CPU
// kernel's formulas, in the same operation order.
// Known cost: a thread walks its whole row, so loads are strided across a warp; fine for the
// d ≤ 256 embeddings this library trains, a warp-per-row variant would be the next step.
#pragma once
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"
#include "../core/hd/body_common.h"

namespace mmg {
namespace body {

template <typename T>
MMG_HD T bpr_margin(const T* u, const T* p, const T* n, int64_t d) {
  T s = T(0);
  // Not contracted into FMAs (mul_rn, block_reduce.h): the GPU then rounds like the host.
  for (int64_t j = 0; j < d; ++j) s = add_rn(s, mul_rn(u[j], sub_rn(p[j], n[j])));
  return s;
}

template <typename T>
MMG_HD T bpr_row_loss(T x, int variant) {
  if (variant == 0) return hd_max(-x, T(0)) + hd_log1p(hd_exp(-hd_fabs(x)));  // softplus(−x), stable
  const T sig = T(1) / (T(1) + hd_exp(-x));
  return -hd_log(T(1e-10) + sig);
}

template <typename T>
MMG_HD T bpr_row_dloss(T x, int variant) {
  if (variant == 0) {  // −σ(−x) without overflow on either side
    if (x >= T(0)) {
      const T e = hd_exp(-x);
      return -e / (T(1) + e);
    }
    return T(-1) / (T(1) + hd_exp(x));
  }
  const T sig = T(1) / (T(1) + hd_exp(-x));
  return -sig * (T(1) - sig) / (T(1e-10) + sig);
}

template <typename T>
MMG_HD double bpr_row_forward(int64_t r, const T* u, const T* p, const T* n, int64_t d, int variant) {
  return double(bpr_row_loss(bpr_margin(u + r * d, p + r * d, n + r * d, d), variant));
}

template <typename T>
MMG_HD void bpr_row_backward(int64_t r, const T* u, const T* p, const T* n, int64_t d, int variant, T scale, T* du, T* dp, T* dn) {
  const T *ur = u + r * d, *pr = p + r * d, *nr = n + r * d;
  const T cb = scale * bpr_row_dloss(bpr_margin(ur, pr, nr, d), variant);
  for (int64_t j = 0; j < d; ++j) {
    du[r * d + j] = cb * (pr[j] - nr[j]);
    dp[r * d + j] = cb * ur[j];
    dn[r * d + j] = -cb * ur[j];
  }
}

}  // namespace body

struct BprPlan {
  int64_t b, d;
  int variant;
};

inline BprPlan bpr_check(Call& c, int n_in) {
  c.expect_inputs(n_in, n_in);
  c.expect_float(0, "U");
  c.expect_same_dtype(0, 1, "U", "P");
  c.expect_same_dtype(0, 2, "U", "N");
  c.expect_ndim(0, "U", 2);
  c.expect_same_shape(0, 1, "U", "P");
  c.expect_same_shape(0, 2, "U", "N");
  const int64_t variant = c.attr_int_or(0, 0);
  if (variant != 0 && variant != 1)
    fail(MMG_E_ARG, c.op(), ": expected variant 0 (logsigmoid) or 1 (log(1e-10 + sigmoid)), got ", variant);
  if (n_in == 4) {
    c.expect_same_dtype(0, 3, "U", "g");
    if (numel(c.in(3)) != 1) c.shape_error("a scalar g", shape_str(c.in(3)));
  }
  return {c.in(0).shape[0], c.in(0).shape[1], int(variant)};
}

}  // namespace mmg
