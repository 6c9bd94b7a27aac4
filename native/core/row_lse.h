// Row-wise pieces of the contrastive losses' CPU kernels (infonce_loss, circle_loss,
// anchor_infonce): a scratch buffer, the per-row parallel loop, the blocked similarity driver and
// the float32 exp loops behind the log-sum-exps and the softmax coefficients.
//
// Numerics: the n×n exps are most of these ops' time, so the float32 loops use vexpf (vmath.h,
// ≤ 1 ulp from expf; glibc's expf is an opaque call that keeps a loop scalar) and are compiled
// twice, baseline and AVX2+FMA, picked at run time (cpu_dispatch.h). float64 keeps std::exp.
// Sums go into 8 fixed double lanes (lane = j mod 8) merged in order, so a result does not
// depend on the SIMD width.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include "allocator.h"
#include "gemm_special.h"  // gemm_thread_scratch
#include "cpu_dispatch.h"
#include "gemm.h"
#include "parallel.h"
#include "vmath.h"

namespace mmg {
namespace rowlse {

// Rows per similarity block: one kBlockRows × width scratch per worker chunk.
constexpr int64_t kBlockRows = 64;
// The largest similarity / coefficient matrix the backward forms whole (n = 2048 in float64 is 32 MiB).
constexpr int64_t kFullBytes = int64_t(64) << 20;

// Allocator-backed scratch of n elements (at least one, so the pointer is never null).
template <typename T>
struct HostBuf {
  size_t bytes;
  T* p;
  explicit HostBuf(int64_t n) : bytes(sizeof(T) * static_cast<size_t>(std::max<int64_t>(n, 1))), p(static_cast<T*>(host_alloc(bytes))) {}
  ~HostBuf() { host_free(p, bytes); }
  HostBuf(const HostBuf&) = delete;
  HostBuf& operator=(const HostBuf&) = delete;
};

// Per-thread, grow-only scratch of n elements for work inside parallel chunks (slot 0: a
// similarity block, slot 1: its product; gemm_thread_scratch's slots 6 and 7). From the caching
// allocator, the number of blocks a step mapped depended on how many chunks happened to run at
// once (a worker that wakes late leaves its chunk to the caller), so the steady state of a
// training step (no fresh block after warm-up) was not reproducible.
template <typename T>
T* chunk_scratch(int slot, int64_t n) {
  return static_cast<T*>(gemm_thread_scratch(6 + slot, sizeof(T) * static_cast<size_t>(std::max<int64_t>(n, 1))));
}

// fn(r) for every row r in [0, n) of a [n, d] matrix, in parallel chunks of about 8192 elements.
template <typename Fn>
void for_each_row(int64_t n, int64_t d, Fn&& fn) {
  parallel_for(n, std::max<int64_t>(1, 8192 / std::max<int64_t>(d, 1)), [&](int64_t s, int64_t e) {
    for (int64_t r = s; r < e; ++r) fn(r);
  });
}

// x̂_r = norm(x_r, d, x̂_r) for each row of x [n, d], keeping the returned norms. `norm` is the
// per-row body shared with the CUDA port (body::l2_normalize_row, native/ops/infonce_loss.h),
// passed in so this header stays free of the per-op headers.
template <typename T, typename Norm>
void normalize_rows(Norm&& norm, const T* x, int64_t n, int64_t d, T* xhat, T* norms) {
  for_each_row(n, d, [&](int64_t r) { norms[r] = norm(x + r * d, d, xhat + r * d); });
}

// A pair loss's normalized inputs: Â, B̂ [n, d] and their row norms.
template <typename T>
struct NormalizedPair {
  HostBuf<T> ah, bh, an, bn;
  template <typename Norm>
  NormalizedPair(Norm&& norm, const T* a, const T* b, int64_t n, int64_t d) : ah(n * d), bh(n * d), an(n), bn(n) {
    normalize_rows(norm, a, n, d, ah.p, an.p);
    normalize_rows(norm, b, n, d, bh.p, bn.p);
  }
};

// The blocked similarity driver. Row blocks [r0, r0 + rn) of X [rows, d] run in parallel; each
// gets S = alpha·X[r0 : r0 + rn]·Yᵀ (rn × width, row-major, Y [width, d]) and calls
// fn(r0, rn, S, G). S lies in dst + r0·width when dst is given (a whole rows × width buffer),
// else in a per-worker kBlockRows × width scratch; G is a per-worker kBlockRows × g_cols scratch
// (nullptr when g_cols = 0).
template <typename T, typename Fn>
void sim_row_blocks(int64_t rows, int64_t width, int64_t d, T alpha, const T* x, const T* y, T* dst, int64_t g_cols, Fn&& fn) {
  const int64_t nblk = (rows + kBlockRows - 1) / kBlockRows;
  auto run = [&](int64_t b0, int64_t b1, T* scratch, T* g) {
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t r0 = blk * kBlockRows, rn = std::min(kBlockRows, rows - r0);
      T* s = dst ? dst + r0 * width : scratch;
      gemm<T>(false, true, rn, width, d, alpha, x + r0 * d, d, y, d, T(0), s, width);
      fn(r0, rn, s, g);
    }
  };
  parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
    T* S = dst ? nullptr : chunk_scratch<T>(0, kBlockRows * width);
    T* G = g_cols == 0 ? nullptr : chunk_scratch<T>(1, kBlockRows * g_cols);
    run(b0, b1, S, G);
  });
}

// The backward's two shapes, for a similarity S = alpha·X·Yᵀ with X [rows, d], Y [width, d]
// normalized (x̂ rows with norms xn), a coefficient matrix C = dL/dS formed row by row in place
// over S by coef_row(row, r), and norm_back the normalization backward shared with the CUDA port
// (body::l2_normalize_row_backward).
//
// Tiled, one side: per row block, C[block] then dX̂[block] = C[block]·Y, each row back through the
// normalization into dx. Blocks own their rows, so no two workers write the same row.
template <typename T, typename NormBack, typename CoefRow>
void side_backward(NormBack&& norm_back, T alpha, int64_t rows, int64_t width, int64_t d, const T* xhat, const T* xnorm,
                   const T* other_hat, T* dx, CoefRow&& coef_row) {
  sim_row_blocks<T>(rows, width, d, alpha, xhat, other_hat, nullptr, d, [&](int64_t r0, int64_t rn, T* S, T* G) {
    for (int64_t i = 0; i < rn; ++i) coef_row(S + i * width, r0 + i);
    gemm<T>(false, false, rn, d, width, T(1), S, width, other_hat, d, T(0), G, d);
    for (int64_t i = 0; i < rn; ++i) norm_back(xhat + (r0 + i) * d, xnorm[r0 + i], G + i * d, d, dx + (r0 + i) * d);
  });
}

// Whole: C [rows × width] in one buffer (the exps once), then dX̂ = C·Y (skipped when dx is null)
// and dŶ = Cᵀ·X̂, two gemms instead of four, each row back through the normalization.
template <typename T, typename NormBack, typename CoefRow>
void full_backward(NormBack&& norm_back, T alpha, int64_t rows, int64_t width, int64_t d, const T* xhat, const T* xnorm,
                   const T* yhat, const T* ynorm, T* dx, T* dy, CoefRow&& coef_row) {
  HostBuf<T> C(rows * width), gx(dx ? rows * d : 0), gy(width * d);
  sim_row_blocks<T>(rows, width, d, alpha, xhat, yhat, C.p, 0, [&](int64_t r0, int64_t rn, T* S, T*) {
    for (int64_t i = 0; i < rn; ++i) coef_row(S + i * width, r0 + i);
  });
  if (dx) gemm<T>(false, false, rows, d, width, T(1), C.p, width, yhat, d, T(0), gx.p, d);  // gX̂ = C·Ŷ
  gemm<T>(true, false, width, d, rows, T(1), C.p, width, xhat, d, T(0), gy.p, d);          // gŶ = Cᵀ·X̂
  if (dx) for_each_row(rows, d, [&](int64_t r) { norm_back(xhat + r * d, xnorm[r], gx.p + r * d, d, dx + r * d); });
  for_each_row(width, d, [&](int64_t r) { norm_back(yhat + r * d, ynorm[r], gy.p + r * d, d, dy + r * d); });
}

// Σ_i v_i in index order, over n; the mean of the per-row loss terms.
inline double mean_in_order(const double* v, int64_t n) {
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += v[i];
  return sum / static_cast<double>(n);
}

// Σ_j e_j in the 8 fixed lanes.
template <typename T>
MMG_ALWAYS_INLINE double lanes_sum(const T* e, int64_t n) {
  double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; ++l) lane[l] += double(e[j + l]);
  for (; j < n; ++j) lane[j & 7] += double(e[j]);
  double acc = 0;
  for (int l = 0; l < 8; ++l) acc += lane[l];
  return acc;
}

// In place s_j ← exp(s_j − m); returns Σ_j exp(s_j − m) (exp(−inf − m) = 0 for masked entries).
template <typename T>
MMG_ALWAYS_INLINE double exp_shift_sum_body(T* __restrict s, int64_t n, T m) {
  for (int64_t j = 0; j < n; ++j) s[j] = fast_exp(s[j] - m);
  return lanes_sum(s, n);
}

// In place s_j ← c·exp(s_j − l_j), with l_j = lse[j] (per column) or lse_row.
template <typename T>
MMG_ALWAYS_INLINE void scaled_exp_body(T* __restrict s, const T* __restrict lse, bool per_column, T lse_row, int64_t n, T c) {
  if (per_column)
    for (int64_t j = 0; j < n; ++j) s[j] = c * fast_exp(s[j] - lse[j]);
  else
    for (int64_t j = 0; j < n; ++j) s[j] = c * fast_exp(s[j] - lse_row);
}

// max_j s_j (n ≥ 1) in 8 fixed lanes, so the loop vectorizes (a running std::max is one serial
// dependency chain, which the compiler may even keep in memory). Exact, so the order is free;
// a NaN entry can change which value is returned, but the exps that follow are NaN either way.
template <typename T>
MMG_ALWAYS_INLINE T row_max_body(const T* __restrict s, int64_t n) {
  T lane[8];
  for (int l = 0; l < 8; ++l) lane[l] = s[0];
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; ++l) lane[l] = lane[l] < s[j + l] ? s[j + l] : lane[l];
  for (; j < n; ++j) lane[j & 7] = lane[j & 7] < s[j] ? s[j] : lane[j & 7];
  T m = lane[0];
  for (int l = 1; l < 8; ++l) m = m < lane[l] ? lane[l] : m;
  return m;
}

// In place s_j ← a·s_j.
template <typename T>
MMG_ALWAYS_INLINE void scale_row_body(T* __restrict s, int64_t n, T a) {
  for (int64_t j = 0; j < n; ++j) s[j] *= a;
}

inline double exp_shift_sum_base(float* s, int64_t n, float m) { return exp_shift_sum_body(s, n, m); }
MMG_TARGET_AVX2 inline double exp_shift_sum_avx2(float* s, int64_t n, float m) { return exp_shift_sum_body(s, n, m); }
inline void scaled_exp_base(float* s, const float* lse, bool pc, float lr, int64_t n, float c) { scaled_exp_body(s, lse, pc, lr, n, c); }
MMG_TARGET_AVX2 inline void scaled_exp_avx2(float* s, const float* lse, bool pc, float lr, int64_t n, float c) {
  scaled_exp_body(s, lse, pc, lr, n, c);
}

inline float row_max_base(const float* s, int64_t n) { return row_max_body(s, n); }
MMG_TARGET_AVX2 inline float row_max_avx2(const float* s, int64_t n) { return row_max_body(s, n); }
inline void scale_row_base(float* s, int64_t n, float a) { scale_row_body(s, n, a); }
MMG_TARGET_AVX2 inline void scale_row_avx2(float* s, int64_t n, float a) { scale_row_body(s, n, a); }

inline double exp_shift_sum(float* s, int64_t n, float m) {
  return cpu_has_avx2_fma() ? exp_shift_sum_avx2(s, n, m) : exp_shift_sum_base(s, n, m);
}
inline double exp_shift_sum(double* s, int64_t n, double m) { return exp_shift_sum_body(s, n, m); }
inline void scaled_exp(float* s, const float* lse, bool pc, float lr, int64_t n, float c) {
  if (cpu_has_avx2_fma()) scaled_exp_avx2(s, lse, pc, lr, n, c);
  else scaled_exp_base(s, lse, pc, lr, n, c);
}
inline void scaled_exp(double* s, const double* lse, bool pc, double lr, int64_t n, double c) { scaled_exp_body(s, lse, pc, lr, n, c); }
inline void scale_row(float* s, int64_t n, float a) {
  if (cpu_has_avx2_fma()) scale_row_avx2(s, n, a);
  else scale_row_base(s, n, a);
}
inline void scale_row(double* s, int64_t n, double a) { scale_row_body(s, n, a); }
inline float row_max(const float* s, int64_t n) { return cpu_has_avx2_fma() ? row_max_avx2(s, n) : row_max_base(s, n); }
inline double row_max(const double* s, int64_t n) { return row_max_body(s, n); }

// m = max_j s_j, then s_j ← exp(s_j − m) in place; returns Σ_j exp(s_j − m) and m in *max.
template <typename T>
inline double row_max_exp_sum(T* s, int64_t n, T* max) {
  const T m = row_max(s, n);
  *max = m;
  return exp_shift_sum(s, n, m);
}

// log Σ_j exp(s_j), with the max subtracted first. Overwrites s with the shifted exps.
template <typename T>
inline double row_logsumexp(T* s, int64_t n) {
  T m;
  const double sum = row_max_exp_sum(s, n, &m);
  return double(m) + std::log(sum);
}

}  // namespace rowlse
}  // namespace mmg
