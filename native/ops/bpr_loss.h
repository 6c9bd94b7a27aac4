// bpr_loss on the CUDA backend (contract: native/ops/bpr_loss.cc). One warp per row (body_common.h:
// kWarp lanes, kWarpRows rows per block): lane l forms its partial of the row's margin
// u·(p − n) over entries l, l + 32, ..., the xor butterfly sums the partials, then lane 0 writes
// the row's loss (forward) or every lane writes its entries of the three gradient rows (backward).
// The forward's per-row losses are then summed deterministically (reduce.cuh). The loss and its
// derivative are the CPU kernel's formulas; the margin's float sum runs in lane order instead of
// the CPU's column order (cuda-emu: the same lanes and butterfly, emu::warp_sum).
#pragma once
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"
#include "../core/hd/body_common.h"

namespace mmg {
namespace body {

// Lane `lane`'s partial of the margin u·(p − n) of a row of d (rows already offset).
template <typename T>
MMG_HD T bpr_margin_lane(const T* u, const T* p, const T* n, int64_t d, int lane) {
  T s = T(0);
  // Not contracted into FMAs (mul_rn, block_reduce.h): the GPU then rounds like the host.
  for (int64_t j = lane; j < d; j += kWarp) s = add_rn(s, mul_rn(u[j], sub_rn(p[j], n[j])));
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

// Lane `lane` of row r writes its entries of the three gradient rows; cb = scale·dloss(margin).
template <typename T>
MMG_HD void bpr_row_backward_lane(int64_t r, const T* u, const T* p, const T* n, int64_t d, T cb, int lane, T* du, T* dp, T* dn) {
  const T *ur = u + r * d, *pr = p + r * d, *nr = n + r * d;
  for (int64_t j = lane; j < d; j += kWarp) {
    du[r * d + j] = cb * (pr[j] - nr[j]);
    dp[r * d + j] = cb * ur[j];
    dn[r * d + j] = -cb * ur[j];
  }
}

// ---- the CPU kernel's row functions: the margin in column order ----
template <typename T>
inline T bpr_margin(const T* u, const T* p, const T* n, int64_t d) {
  T s = T(0);
  for (int64_t j = 0; j < d; ++j) s += u[j] * (p[j] - n[j]);
  return s;
}

template <typename T>
inline double bpr_row_forward(int64_t r, const T* u, const T* p, const T* n, int64_t d, int variant) {
  return double(bpr_row_loss(bpr_margin(u + r * d, p + r * d, n + r * d, d), variant));
}

template <typename T>
inline void bpr_row_backward(int64_t r, const T* u, const T* p, const T* n, int64_t d, int variant, T scale, T* du, T* dp, T* dn) {
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
