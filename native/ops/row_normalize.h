// row_normalize on the CUDA backend (contract: native/ops/row_normalize.cc). One warp per row (a
// block per row above kWarpRowMaxCols columns): the row's sums (Σ x², and Σ x·g for the backward)
// in double with thread-strided partials merged by the xor butterfly or the shared-memory tree
// (native/core/hd/block_reduce.h); then every thread scales its own strided elements with
// the CPU's coefficients, formed in double exactly as the CPU forms them (eps included):
//   forward:  y = x·T(1/max(‖x‖, eps))
//   backward: dx = g·a − x·b, a = T(1/d), b = T(n ≥ eps ∧ n > 0 ? (x·g)/(d²·n) : 0), d = max(n, eps)
// The CPU sums each row in 8 interleaved lanes: only the order of the double additions differs.
#pragma once
#include <cmath>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

// std::max(nrm, eps) as the CPU calls it (a NaN norm stays NaN).
MMG_HD double clamp_norm(double nrm, double eps) { return nrm < eps ? eps : nrm; }

template <typename T>
MMG_HD T row_normalize_scale(double ss, double eps) {
  return static_cast<T>(1.0 / clamp_norm(hd_sqrt(ss), eps));
}

// y[j] = x[j]·inv for thread t's strided elements of a row of n.
template <typename T>
MMG_HD void row_scale_strided(const T* x, T* y, int64_t n, T inv, int t, int step = kBlock) {
  for (int64_t j = t; j < n; j += step) y[j] = x[j] * inv;
}

template <typename T>
struct NormalizeCoeffs {
  T a, b;
};

template <typename T>
MMG_HD NormalizeCoeffs<T> row_normalize_backward_coeffs(double acc_xx, double acc_xg, double eps) {
  const double nrm = hd_sqrt(acc_xx), d = clamp_norm(nrm, eps);
  NormalizeCoeffs<T> k;
  k.a = static_cast<T>(1.0 / d);
  k.b = static_cast<T>(nrm >= eps && nrm > 0 ? acc_xg / (d * d * nrm) : 0.0);
  return k;
}

// dx[j] = g[j]·a − x[j]·b for thread t's strided elements (no FMA on the GPU, like the CPU).
template <typename T>
MMG_HD void row_normalize_backward_strided(const T* x, const T* g, T* dx, int64_t n, NormalizeCoeffs<T> k, int t, int step = kBlock) {
  for (int64_t j = t; j < n; j += step) dx[j] = sub_rn(mul_rn(g[j], k.a), mul_rn(x[j], k.b));
}

}  // namespace body

inline void row_normalize_rank_check(const Call& c, const mmg_tensor& X) {
  if (X.ndim < 1) c.shape_error("x to have at least 1 dimension", "shape " + shape_str(X));
}

inline double row_normalize_eps(const Call& c) {
  const double eps = c.attr_or(0, 1e-12);
  if (!(eps >= 0) || !std::isfinite(eps)) fail(MMG_E_ARG, c.op(), ": expected a finite eps >= 0, got ", eps);
  return eps;
}

inline double row_normalize_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  row_normalize_rank_check(c, c.in(0));
  return row_normalize_eps(c);
}

inline double row_normalize_backward_check(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "g");
  c.expect_same_shape(0, 1, "x", "g");
  row_normalize_rank_check(c, c.in(0));
  return row_normalize_eps(c);
}

}  // namespace mmg
