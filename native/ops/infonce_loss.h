// infonce_loss on the CUDA backend (contract: native/ops/infonce_loss.cc): NCE(a, b; τ) with
// cosine similarities, in-batch negatives and a max-subtracted log-sum-exp, and its hand-written
// backward. The per-row / per-element bodies are the CPU kernel's formulas in the same operation
// order; the products are cuBLAS gemms described by GemmCall (native/core/hd/lib_calls.h).
//
// Forward (infonce_loss → L, lse):
//   1. row-normalize A and B: one warp per row (body::l2_sumsq_lane / l2_scale_lane, double sum of
//      squares over the lanes, xor butterfly);
//   2. for each chunk of rows [r0, r0 + rn): S = (1/τ)·Â[chunk]·B̂ᵀ, one gemm into an rn×n scratch
//      (chunks keep S under kInfonceSimBytes; at SMORE's n = 2048 the whole matrix is one chunk);
//   3. one block per row of the chunk: shared-memory tree max of the row, then the tree sum (double)
//      of exp(s − max) → lse_i, and ℓ_i = lse_i − s_ii kept in double;
//   4. L = mean of ℓ_i by the deterministic two-pass sum (the CUDA backend's reduce.cuh); n = 0 gives NaN.
// Backward (infonce_loss_backward → dA, dB), per chunk of rows:
//   S = (1/τ)·Â[chunk]·B̂ᵀ (gemm), then in place S ← c(P − I) with c = g/(nτ) (elementwise kernel,
//   g read on the device), then two gemms: dÂ[chunk] = S·B̂ (into dA) and dB̂ (+)= Sᵀ·Â[chunk]
//   (into dB, beta = 1 after the first chunk: chunks run in order on the stream, so the sum is
//   deterministic); finally one warp per row takes dÂ, dB̂ back through the normalization, in place.
//   The attr `path` is validated like the CPU's; on this backend it picks the chunk size:
//   0 auto (budget), 1 one chunk, 2 chunks of 64 rows (the CPU's tile, so tests exercise the
//   multi-chunk accumulation at small n).
// Forward with gradient (infonce_loss_grad → L, dA, dB at dL = 1): per chunk, the forward's gemm
//   and log-sum-exp rows, then on the same S the backward's c(P − I) (c = 1/(nτ), no g) and its two
//   gemms; S is formed once per chunk instead of twice. The lse rows go to a scratch vector.
// cuda-emu runs the same bodies, the same chunking, a host twin of the block reduction (same
// strides, same tree) and emu::cublas_gemm for the descriptors.
#pragma once
#include <algorithm>
#include <cmath>
#include <string>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"
#include "../core/hd/body_common.h"
#include "../core/hd/lib_calls.h"

namespace mmg {
namespace body {

constexpr double kInfonceNormEps = 1e-12;

// ‖x‖ from Σ x² (double), and the divisor max(‖x‖, eps): a NaN norm stays NaN (std::max's order).
template <typename T>
MMG_HD T l2_norm_of(double sumsq) {
  return static_cast<T>(hd_sqrt(sumsq));
}
template <typename T>
MMG_HD T l2_denom(T norm) {
  const T eps = static_cast<T>(kInfonceNormEps);
  return norm < eps ? eps : norm;
}

// out = x / max(‖x‖, eps); returns ‖x‖ (unclamped). The CPU kernels call this and the backward
// below; the CUDA kernels run the per-lane forms that follow (warp per row, contrastive.cuh).
template <typename T>
MMG_HD T l2_normalize_row(const T* x, int64_t d, T* out) {
  double s = 0;
  for (int64_t j = 0; j < d; ++j) s += mul_rn(double(x[j]), double(x[j]));  // no FMA: rounds as on the host
  const T norm = l2_norm_of<T>(s);
  const T denom = l2_denom(norm);
  for (int64_t j = 0; j < d; ++j) out[j] = x[j] / denom;
  return norm;
}

// Backward of l2_normalize_row: dx from the gradient g of x̂. Where the norm was clamped the
// divisor is a constant (clamp_min passes no gradient), so dx = g / eps. Safe in place (dx == g):
// every g[j] is read before dx[j] is written.
template <typename T>
MMG_HD void l2_normalize_row_backward(const T* xhat, T norm, const T* g, int64_t d, T* dx) {
  const T eps = static_cast<T>(kInfonceNormEps);
  if (!(norm > eps)) {
    for (int64_t j = 0; j < d; ++j) dx[j] = g[j] / eps;
    return;
  }
  T dot = T(0);
  for (int64_t j = 0; j < d; ++j) dot += xhat[j] * g[j];
  for (int64_t j = 0; j < d; ++j) dx[j] = (g[j] - xhat[j] * dot) / norm;
}

// Warp-per-row forms (body_common.h: lane l takes entries l, l + kWarp, ...; the partials are
// merged by the xor butterfly). They differ from the row forms above only in the order of the
// sums (and in keeping the GPU from contracting the backward's products into FMAs).
// Lane partial of Σ x² (double).
template <typename T>
MMG_HD double l2_sumsq_lane(const T* x, int64_t d, int lane) {
  double s = 0;
  for (int64_t j = lane; j < d; j += kWarp) s += mul_rn(double(x[j]), double(x[j]));
  return s;
}
// The lane's entries of x̂ = x / max(‖x‖, eps).
template <typename T>
MMG_HD void l2_scale_lane(const T* x, int64_t d, T norm, T* out, int lane) {
  const T denom = l2_denom(norm);
  for (int64_t j = lane; j < d; j += kWarp) out[j] = x[j] / denom;
}
// Lane partial of x̂·g (in T, as the CPU's dot).
template <typename T>
MMG_HD T l2_backward_dot_lane(const T* xhat, const T* g, int64_t d, int lane) {
  T dot = T(0);
  for (int64_t j = lane; j < d; j += kWarp) dot = add_rn(dot, mul_rn(xhat[j], g[j]));
  return dot;
}
// The lane's entries of dx (dot = the merged x̂·g). In place (dx == g) is safe: a lane reads and
// writes only its own entries, and its dot partial was formed before the butterfly.
template <typename T>
MMG_HD void l2_backward_lane(const T* xhat, T norm, const T* g, int64_t d, T dot, T* dx, int lane) {
  const T eps = static_cast<T>(kInfonceNormEps);
  if (!(norm > eps)) {
    for (int64_t j = lane; j < d; j += kWarp) dx[j] = g[j] / eps;
    return;
  }
  for (int64_t j = lane; j < d; j += kWarp) dx[j] = sub_rn(g[j], mul_rn(xhat[j], dot)) / norm;
}

// Block-per-row log-sum-exp. Thread t of the block handles j = t, t + kBlock, ... of the row;
// the block merges the kBlock partials with a shared-memory tree: the max with block_reduce.h's
// row_max_partial and tree_max_step, then the sum below.
template <typename T>
MMG_HD double lse_exp_partial(const T* row, int64_t n, int t, T m) {
  double acc = 0;
  for (int64_t j = t; j < n; j += kBlock) acc += double(hd_exp(row[j] - m));  // exp in T, like the CPU
  return acc;
}
// Row i of the chunk starting at r0: writes lse and the row's loss term ℓ = lse − s_ii (double).
template <typename T>
MMG_HD void lse_finish(T m, double acc, const T* row, int64_t diag, T* lse, double* per_row) {
  const double l = double(m) + hd_log(acc);
  *lse = static_cast<T>(l);
  *per_row = l - double(row[diag]);
}

// c = g / (nτ), as the CPU forms it (double, then T).
template <typename T>
MMG_HD T infonce_coef(T g, int64_t n, double tau) {
  return static_cast<T>(double(g) / (double(n) * tau));
}
// The same for g read from memory, or g = 1 when there is none (infonce_loss_grad).
template <typename T>
MMG_HD T infonce_coef(const T* g, int64_t n, double tau) {
  return infonce_coef(g ? *g : T(1), n, tau);
}

// One entry of c(P − I): the CPU's row_softmax_minus_eye.
template <typename T>
MMG_HD T infonce_p_minus_eye(T s, T lse, bool diag, T c) {
  return c * (hd_exp(s - lse) - (diag ? T(1) : T(0)));
}

}  // namespace body

// Bytes of similarity scratch one chunk may use (the CPU's kFullBytes).
constexpr int64_t kInfonceSimBytes = int64_t(64) << 20;
constexpr int64_t kInfonceTileRows = 64;

// The three kernels: infonce_loss, infonce_loss_backward, infonce_loss_grad.
enum class InfonceKind { Forward, Backward, Grad };

struct InfoncePlan {
  int64_t n = 0, d = 0;
  double tau = 0;
  int64_t chunk = 1;  // rows per similarity chunk
  int64_t path = 0;   // backward: attr 1 (0 auto, 1 full, 2 tiled)
  // The outputs: forward L (scalar), lse [n]; backward dA, dB; grad L, dA, dB.
  void* out[3] = {nullptr, nullptr, nullptr};
};

// The checks the pair losses (infonce_loss, circle_loss) share: n_in inputs, A float [n, d], B like A.
inline void expect_pair_inputs(Call& c, int n_in) {
  c.expect_inputs(n_in, n_in);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  c.expect_ndim(0, "A", 2);
  c.expect_same_shape(0, 1, "A", "B");
}

// The backward's attr `path` (at index i, default 0): 0 auto, 1 full, 2 tiled.
inline int64_t path_attr(Call& c, int i) {
  const int64_t path = c.attr_int_or(i, 0);
  if (path < 0 || path > 2) fail(MMG_E_ARG, c.op(), ": expected path 0 (auto), 1 (full) or 2 (tiled), got ", path);
  return path;
}

// Rows per similarity chunk of n rows × width columns: path 1 one chunk, 2 kInfonceTileRows rows
// (the CPU's tile, so tests exercise the multi-chunk accumulation at small n), else as many as
// fit in kInfonceSimBytes.
inline int64_t sim_chunk_rows(int64_t n, int64_t width, int32_t dtype, int64_t path) {
  const int64_t row_bytes = std::max<int64_t>(width, 1) * int64_t(dtype_size(dtype));
  const int64_t chunk = path == 1 ? n : path == 2 ? kInfonceTileRows : kInfonceSimBytes / row_bytes;
  return std::max<int64_t>(1, std::min<int64_t>(chunk, n));
}

// The checks (the CPU kernels call this too), the outputs and the chunk size.
inline InfoncePlan infonce_plan(Call& c, InfonceKind kind) {
  const int n_in = kind == InfonceKind::Backward ? 4 : 2;
  expect_pair_inputs(c, n_in);
  InfoncePlan p;
  p.tau = c.attr(0);
  if (!(p.tau > 0) || !std::isfinite(p.tau)) fail(MMG_E_ARG, c.op(), ": expected a finite temperature tau > 0, got ", p.tau);
  const mmg_tensor& A = c.in(0);
  p.n = A.shape[0];
  p.d = A.shape[1];
  int64_t& path = p.path;
  if (kind == InfonceKind::Backward) {
    const mmg_tensor &lse = c.in(2), &g = c.in(3);
    c.expect_same_dtype(0, 2, "A", "lse");
    c.expect_same_dtype(0, 3, "A", "g");
    if (numel(lse) != p.n) c.shape_error("lse with " + std::to_string(p.n) + " entries", shape_str(lse));
    if (numel(g) != 1) c.shape_error("a scalar g", shape_str(g));
    path = path_attr(c, 1);
  }
  if (kind == InfonceKind::Backward) {
    p.out[0] = c.out_like(A).data;
    p.out[1] = c.out_like(c.in(1)).data;
  } else if (kind == InfonceKind::Grad) {
    p.out[0] = c.out({}, A.dtype).data;
    p.out[1] = c.out_like(A).data;
    p.out[2] = c.out_like(c.in(1)).data;
  } else {
    p.out[0] = c.out({}, A.dtype).data;
    p.out[1] = c.out({p.n}, A.dtype).data;
  }
  p.chunk = sim_chunk_rows(p.n, p.n, A.dtype, path);
  return p;
}

// Row-major C[m×n] = alpha·op(A)·op(B) + beta·C as the column-major cuBLAS call: the column-major
// view of a row-major buffer is its transpose, so Cᵀ = op(B)ᵀ·op(A)ᵀ (operands swapped, flags
// kept, leading dimensions = the row-major column counts). Same mapping as matmul.h.
inline GemmCall row_major_gemm(int32_t dtype, bool ta, bool tb, int64_t m, int64_t n, int64_t k, double alpha, const void* A,
                               int64_t lda, const void* B, int64_t ldb, double beta, void* C, int64_t ldc) {
  GemmCall g;
  g.dtype = dtype;
  g.trans_a = tb;
  g.trans_b = ta;
  g.m = n;
  g.n = m;
  g.k = k;
  g.A = B;
  g.lda = ldb;
  g.B = A;
  g.ldb = lda;
  g.C = C;
  g.ldc = ldc;
  g.alpha = alpha;
  g.beta = beta;
  return g;
}

// The three products of one chunk [r0, r0 + rn), row-major, with d > 0 (the launchers handle
// d = 0 without a library call). ah, bh: Â, B̂ [n×d]; s: the rn×n chunk scratch.
template <typename T>
GemmCall infonce_sim_gemm(const InfoncePlan& p, int64_t r0, int64_t rn, const T* ah, const T* bh, T* s) {
  // S = (1/τ)·Â[chunk]·B̂ᵀ; alpha rounded to T first, as the CPU passes it.
  return row_major_gemm(dtype_of<T>::value, false, true, rn, p.n, p.d, double(static_cast<T>(1.0 / p.tau)), ah + r0 * p.d, p.d, bh,
                        p.d, 0.0, s, p.n);
}
template <typename T>
GemmCall infonce_grad_a_gemm(const InfoncePlan& p, int64_t r0, int64_t rn, const T* s, const T* bh, T* ga) {
  // gÂ[chunk] = c(P − I)[chunk]·B̂
  return row_major_gemm(dtype_of<T>::value, false, false, rn, p.d, p.n, 1.0, s, p.n, bh, p.d, 0.0, ga + r0 * p.d, p.d);
}
template <typename T>
GemmCall infonce_grad_b_gemm(const InfoncePlan& p, int64_t r0, int64_t rn, const T* s, const T* ah, T* gb) {
  // gB̂ (+)= c(P − I)[chunk]ᵀ·Â[chunk]
  return row_major_gemm(dtype_of<T>::value, true, false, p.n, p.d, rn, 1.0, s, p.n, ah + r0 * p.d, p.d, r0 == 0 ? 0.0 : 1.0, gb,
                        p.d);
}

}  // namespace mmg
