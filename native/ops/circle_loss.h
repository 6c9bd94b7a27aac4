// circle_loss on the CUDA backend (contract: native/ops/circle_loss.cc): Circle Loss over cosine
// similarities with in-batch negatives, a row-max-shifted log-sum-exp over j ≠ i, a stable softplus,
// and its hand-written backward. The per-element / per-row bodies below are the CPU kernel's formulas
// in the same operation order; the products are cuBLAS gemms described by GemmCall, built with
// infonce_loss.h's row_major_gemm (as is the row normalization, body::l2_normalize_row).
//
// Forward (circle_loss → L, lse, x), per chunk of rows [r0, r0 + rn):
//   1. row-normalize A and B once (one warp per row, contrastive.cuh);
//   2. S = Â[chunk]·B̂ᵀ, one gemm into an rn×n scratch (chunks keep S under kInfonceSimBytes);
//   3. one block per row: z_j = circle_logit(s_j) for j ≠ i, tree max, tree sum (double) of
//      exp(z_j − max) → lse_i, x_i = lse_i − circle_pos(s_ii), ℓ_i = softplus(x_i) in double;
//   4. L = mean of ℓ_i by the deterministic two-pass sum; n = 0 gives NaN.
// Backward (circle_loss_backward → dA, dB): w_i = (g/n)·σ(x_i) once per row, then per chunk:
//   S (gemm), in place S ← C (circle_coef), dÂ[chunk] = C·B̂ and dB̂ (+)= Cᵀ·Â[chunk] (chunks in
//   stream order, so the sum is deterministic), then both back through the normalization.
//   `path` as in infonce_loss: 0 auto, 1 one chunk, 2 chunks of 64 rows.
// cuda-emu runs the same bodies, chunking and tree order on the host.
#pragma once
#include <algorithm>
#include <cmath>
#include <string>
#include "infonce_loss.h"

namespace mmg {
namespace body {

// The loss constants rounded to T once, as every backend uses them.
template <typename T>
struct CircleConsts {
  T m, gamma, op, dp;  // margin, scale, O_p = 1 + m, Δ_p = 1 − m
};
template <typename T>
MMG_HD CircleConsts<T> circle_consts(double margin, double gamma) {
  return {static_cast<T>(margin), static_cast<T>(gamma), static_cast<T>(1.0 + margin), static_cast<T>(1.0 - margin)};
}

// Negative-pair logit γ·α_n·(s − m) with α_n = [s + m]_+ (a constant for the gradient).
template <typename T>
MMG_HD T circle_alpha_n(T s, const CircleConsts<T>& k) {
  const T a = s + k.m;
  return a > T(0) ? a : T(0);
}
// mul_rn: nvcc must not fuse the product into the following subtraction of the row max / lse.
template <typename T>
MMG_HD T circle_logit(T s, const CircleConsts<T>& k) {
  return mul_rn(k.gamma * circle_alpha_n(s, k), s - k.m);
}

// Positive-pair term γ·α_p·(s_p − Δ_p) with α_p = [O_p − s_p]_+ (a constant for the gradient).
template <typename T>
MMG_HD T circle_alpha_p(T sp, const CircleConsts<T>& k) {
  const T a = k.op - sp;
  return a > T(0) ? a : T(0);
}
template <typename T>
MMG_HD T circle_pos(T sp, const CircleConsts<T>& k) {
  return k.gamma * circle_alpha_p(sp, k) * (sp - k.dp);
}

// log(1 + e^x) and σ(x) without overflow for any x (x = −inf gives 0 for both).
MMG_HD double circle_softplus(double x) { return x > 0 ? x + hd_log1p(hd_exp(-x)) : hd_log1p(hd_exp(x)); }
MMG_HD double circle_sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + hd_exp(-x));
  const double e = hd_exp(x);
  return e / (1.0 + e);
}

// Block-per-row pieces of the forward: thread t handles j = t, t + kBlock, ... of row `row`,
// skipping the diagonal (the positive pair). A thread with no element contributes −inf / 0.
template <typename T>
MMG_HD T circle_max_partial(const T* row, int64_t n, int64_t diag, int t, const CircleConsts<T>& k) {
  T m = T(-INFINITY);
  for (int64_t j = t; j < n; j += kBlock) {
    if (j == diag) continue;
    const T z = circle_logit(row[j], k);
    m = z > m ? z : m;
  }
  return m;
}
template <typename T>
MMG_HD double circle_exp_partial(const T* row, int64_t n, int64_t diag, int t, T m, const CircleConsts<T>& k) {
  double acc = 0;
  for (int64_t j = t; j < n; j += kBlock)
    if (j != diag) acc += double(hd_exp(circle_logit(row[j], k) - m));  // exp in T, like the CPU
  return acc;
}

// One row's results from its shifted max m and Σ_{j≠i} exp(z_j − m) (acc). With no negatives
// (n = 1) m = −inf and acc = 0, so lse = −inf, x = −inf and ℓ = softplus(−inf) = 0.
template <typename T>
MMG_HD void circle_finish(T m, double acc, T sp, const CircleConsts<T>& k, T* lse, T* x, double* per_row) {
  const double l = acc > 0 ? double(m) + hd_log(acc) : double(-INFINITY);
  const double xv = l - double(circle_pos(sp, k));
  *lse = static_cast<T>(l);
  *x = static_cast<T>(xv);
  *per_row = circle_softplus(xv);
}

// w_i = (g/n)·σ(x_i): the row's weight in the backward.
template <typename T>
MMG_HD T circle_row_weight(T g, int64_t n, T x) {
  return static_cast<T>(double(g) / double(n) * circle_sigmoid(double(x)));
}

// One entry of the coefficient matrix C = dL/dS: off the diagonal w_i·softmax_j·γα_n, on it
// −w_i·γα_p. An entry with α_n = 0 has z = 0 ≤ lse_i and gets exactly 0.
template <typename T>
MMG_HD T circle_coef(T s, bool diag, T lse, T w, const CircleConsts<T>& k) {
  if (diag) return -(w * (k.gamma * circle_alpha_p(s, k)));
  const T a = circle_alpha_n(s, k);
  if (!(a > T(0))) return T(0);
  return w * hd_exp(circle_logit(s, k) - lse) * (k.gamma * a);
}

}  // namespace body

struct CirclePlan {
  int64_t n = 0, d = 0;
  double margin = 0, gamma = 0;
  int64_t chunk = 1;  // rows per similarity chunk
  int64_t path = 0;   // backward: attr 2 (0 auto, 1 full, 2 tiled)
  void* out[3] = {nullptr, nullptr, nullptr};  // L, lse [n], x [n]; backward: dA, dB
};

// The checks (the CPU kernels call this too), the outputs and the chunk size. n_in: 2 forward
// (A, B), 5 backward (A, B, lse, x, g). Attrs: [margin, gamma] (+ [path] in the backward).
inline CirclePlan circle_plan(Call& c, int n_in) {
  expect_pair_inputs(c, n_in);
  CirclePlan p;
  p.margin = c.attr(0);
  p.gamma = c.attr(1);
  if (!(p.margin >= 0 && p.margin <= 1)) fail(MMG_E_ARG, c.op(), ": expected a margin in [0, 1], got ", p.margin);
  if (!(p.gamma > 0) || !std::isfinite(p.gamma)) fail(MMG_E_ARG, c.op(), ": expected a finite scale gamma > 0, got ", p.gamma);
  const mmg_tensor& A = c.in(0);
  p.n = A.shape[0];
  p.d = A.shape[1];
  if (n_in == 5) {
    const mmg_tensor &lse = c.in(2), &x = c.in(3), &g = c.in(4);
    c.expect_same_dtype(0, 2, "A", "lse");
    c.expect_same_dtype(0, 3, "A", "x");
    c.expect_same_dtype(0, 4, "A", "g");
    if (numel(lse) != p.n) c.shape_error("lse with " + std::to_string(p.n) + " entries", shape_str(lse));
    if (numel(x) != p.n) c.shape_error("x with " + std::to_string(p.n) + " entries", shape_str(x));
    if (numel(g) != 1) c.shape_error("a scalar g", shape_str(g));
    p.path = path_attr(c, 2);
    p.out[0] = c.out_like(A).data;
    p.out[1] = c.out_like(c.in(1)).data;
  } else {
    p.out[0] = c.out({}, A.dtype).data;
    p.out[1] = c.out({p.n}, A.dtype).data;
    p.out[2] = c.out({p.n}, A.dtype).data;
  }
  p.chunk = sim_chunk_rows(p.n, p.n, A.dtype, p.path);
  return p;
}

// The three products of one chunk [r0, r0 + rn), row-major, with d > 0.
template <typename T>
GemmCall circle_sim_gemm(const CirclePlan& p, int64_t r0, int64_t rn, const T* ah, const T* bh, T* s) {
  // S = Â[chunk]·B̂ᵀ (cosines)
  return row_major_gemm(dtype_of<T>::value, false, true, rn, p.n, p.d, 1.0, ah + r0 * p.d, p.d, bh, p.d, 0.0, s, p.n);
}
template <typename T>
GemmCall circle_grad_a_gemm(const CirclePlan& p, int64_t r0, int64_t rn, const T* s, const T* bh, T* ga) {
  // gÂ[chunk] = C[chunk]·B̂
  return row_major_gemm(dtype_of<T>::value, false, false, rn, p.d, p.n, 1.0, s, p.n, bh, p.d, 0.0, ga + r0 * p.d, p.d);
}
template <typename T>
GemmCall circle_grad_b_gemm(const CirclePlan& p, int64_t r0, int64_t rn, const T* s, const T* ah, T* gb) {
  // gB̂ (+)= C[chunk]ᵀ·Â[chunk]
  return row_major_gemm(dtype_of<T>::value, true, false, p.n, p.d, rn, 1.0, s, p.n, ah + r0 * p.d, p.d, r0 == 0 ? 0.0 : 1.0, gb, p.d);
}

}  // namespace mmg
