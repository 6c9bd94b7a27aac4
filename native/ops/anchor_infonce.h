// anchor_infonce on the CUDA backend (contract: native/ops/anchor_infonce.cc). The design is
// infonce_loss's (infonce_loss.h), with the M views' normalized rows stacked into one
// [M·n, d] scratch Ẑ (row m·n + j = ẑ^m_j) so the similarity of an anchor chunk is one gemm:
// Forward, per chunk of anchor rows [r0, r0 + rn): S = (1/τ)·Â[chunk]·Ẑᵀ (rn × M·n), one block per
//   row: tree max, tree sum of exp(s − max) → lse_i, and ℓ_i = lse_i − (1/M)Σ_m s_{i, m·n+i} in
//   double; L = mean of ℓ_i by the deterministic two-pass sum (the CUDA backend's reduce.cuh).
// Backward, per chunk: S as above, in place S ← c(P − Y) with c = g/(nτ) and Y_{i, m·n+i} = 1/M,
//   then dÂ[chunk] = S·Ẑ (skipped, dA zeroed, when need_anchor = 0) and dẐ (+)= Sᵀ·Â[chunk] (chunks
//   in stream order: deterministic); one warp per row takes both back through the normalization.
// `path` picks the chunk size as in infonce_loss (0 auto, 1 one chunk, 2 chunks of 64 rows).
// cuda-emu runs the same bodies, chunks and block-reduction twins, and emu::cublas_gemm.
#pragma once
#include <limits>
#include <string>
#include "infonce_loss.h"

namespace mmg {
namespace body {

// Row i (global index) of a chunk: lse and ℓ = lse − mean of the M positives, in double.
template <typename T>
MMG_HD void anchor_lse_finish(T m, double acc, const T* row, int64_t n, int64_t M, int64_t i, T* lse, double* per_row) {
  const double l = double(m) + hd_log(acc);
  double pos = 0;
  for (int64_t v = 0; v < M; ++v) pos += double(row[v * n + i]);
  *lse = static_cast<T>(l);
  *per_row = l - pos / double(M);
}

// One entry of c(P − Y): cy = c/M on the positives.
template <typename T>
MMG_HD T anchor_p_minus_y(T s, T lse, bool positive, T c, T cy) {
  return c * hd_exp(s - lse) - (positive ? cy : T(0));
}

}  // namespace body

struct AnchorPlan {
  int64_t n = 0, d = 0, M = 0;
  double tau = 0;
  int64_t chunk = 1;         // anchor rows per similarity chunk
  int64_t path = 0;          // backward: 0 auto, 1 full, 2 tiled
  bool need_anchor = true;   // backward: compute dA (else it is zeros)
  void* out[2] = {nullptr, nullptr};  // forward: L, lse [n]; backward: dA [n, d], dZ [M·n, d]
};

// Inputs: forward anchor, views[0..M); backward anchor, views[0..M), lse, g. The CPU kernels call
// this too, so every backend reports the same errors.
inline AnchorPlan anchor_infonce_plan(Call& c, bool backward) {
  const int extra = backward ? 2 : 0;
  c.expect_inputs(2 + extra, std::numeric_limits<int>::max());
  AnchorPlan p;
  p.M = c.n_in() - 1 - extra;
  c.expect_float(0, "anchor");
  c.expect_ndim(0, "anchor", 2);
  for (int v = 1; v <= p.M; ++v) {
    const std::string name = "views[" + std::to_string(v - 1) + "]";
    c.expect_same_dtype(0, v, "anchor", name.c_str());
    c.expect_same_shape(0, v, "anchor", name.c_str());
  }
  p.tau = c.attr(0);
  if (!(p.tau > 0) || !std::isfinite(p.tau)) fail(MMG_E_ARG, c.op(), ": expected a finite temperature tau > 0, got ", p.tau);
  const mmg_tensor& A = c.in(0);
  p.n = A.shape[0];
  p.d = A.shape[1];
  if (backward) {
    const int il = int(p.M) + 1, ig = il + 1;
    c.expect_same_dtype(0, il, "anchor", "lse");
    c.expect_same_dtype(0, ig, "anchor", "g");
    if (numel(c.in(il)) != p.n) c.shape_error("lse with " + std::to_string(p.n) + " entries", shape_str(c.in(il)));
    if (numel(c.in(ig)) != 1) c.shape_error("a scalar g", shape_str(c.in(ig)));
    p.path = path_attr(c, 1);
    const int64_t na = c.attr_int_or(2, 1);
    if (na != 0 && na != 1) fail(MMG_E_ARG, c.op(), ": expected need_anchor 0 or 1, got ", na);
    p.need_anchor = na == 1;
    p.out[0] = c.out_like(A).data;
    p.out[1] = c.out({p.M * p.n, p.d}, A.dtype).data;
  } else {
    p.out[0] = c.out({}, A.dtype).data;
    p.out[1] = c.out({p.n}, A.dtype).data;
  }
  p.chunk = sim_chunk_rows(p.n, p.M * p.n, A.dtype, p.path);
  return p;
}

// The chunk's products, row-major, d > 0. ah: Â [n×d]; zh: Ẑ [M·n×d]; s: the rn × M·n scratch.
template <typename T>
GemmCall anchor_sim_gemm(const AnchorPlan& p, int64_t r0, int64_t rn, const T* ah, const T* zh, T* s) {
  // S = (1/τ)·Â[chunk]·Ẑᵀ; alpha rounded to T first, as the CPU passes it.
  return row_major_gemm(dtype_of<T>::value, false, true, rn, p.M * p.n, p.d, double(static_cast<T>(1.0 / p.tau)), ah + r0 * p.d,
                        p.d, zh, p.d, 0.0, s, p.M * p.n);
}
template <typename T>
GemmCall anchor_grad_a_gemm(const AnchorPlan& p, int64_t r0, int64_t rn, const T* s, const T* zh, T* ga) {
  // gÂ[chunk] = c(P − Y)[chunk]·Ẑ
  return row_major_gemm(dtype_of<T>::value, false, false, rn, p.d, p.M * p.n, 1.0, s, p.M * p.n, zh, p.d, 0.0, ga + r0 * p.d, p.d);
}
template <typename T>
GemmCall anchor_grad_z_gemm(const AnchorPlan& p, int64_t r0, int64_t rn, const T* s, const T* ah, T* gz) {
  // gẐ (+)= c(P − Y)[chunk]ᵀ·Â[chunk]
  return row_major_gemm(dtype_of<T>::value, true, false, p.M * p.n, p.d, rn, 1.0, s, p.M * p.n, ah + r0 * p.d, p.d,
                        r0 == 0 ? 0.0 : 1.0, gz, p.d);
}

}  // namespace mmg
