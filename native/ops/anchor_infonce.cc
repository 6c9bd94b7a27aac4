// anchor_infonce: SINGER's anchor-based InfoNCE (spec singer.md §6.1), multi-positive and
// SupCon-style with one anchor per entity:
//   a_i = nrm(anchor_i), z^m_j = nrm(views[m]_j) (F.normalize, eps 1e-12); s_{i,(m,j)} = a_i·z^m_j / τ;
//   ℓ_i = logsumexp_{m,j}(s_{i,(m,j)}) − (1/M) Σ_m s_{i,(m,i)};  L = mean_i ℓ_i
//   (= −1/(nM) Σ_i Σ_m log softmax at the positive (m, i)). M = 1 is infonce_loss(anchor, views[0]).
// Inputs: anchor, views[0..M) (M ≥ 1), all [n, d], float32 or float64, same dtype and shape.
// Attrs: [tau > 0]. Outputs: L (scalar), lse [n] (the row log-sum-exps, kept for the backward).
//   n = 0 gives L = NaN (a mean over nothing).
// anchor_infonce_backward: inputs anchor, views[0..M), lse, g (scalar dL); attrs [tau, path = 0,
//   need_anchor = 1] → dA [n, d], dZ [M·n, d] (rows m·n .. m·n + n − 1 are d views[m]). With
//   P = softmax over each anchor's M·n similarities, Y_{i,(m,i)} = 1/M and c = g/(nτ):
//   dÂ = c(P − Y)Ẑ, dẐ = c(P − Y)ᵀÂ, then each row goes back through the normalization.
//   need_anchor = 0 skips dA (it comes back as zeros): the anchor's stop-gradient option.
//   path: 0 auto, 1 full, 2 tiled (for tests), as in infonce_loss.
// Memory: the normalized views are stacked into one [M·n, d] scratch Ẑ; the n × M·n similarity
// matrix is only formed in blocks of kRows anchor rows (one kRows × M·n buffer per worker chunk).
// The backward forms c(P − Y) in one n × M·n buffer when that is at most kFullBytes, else it
// tiles: dÂ from anchor row blocks, dẐ from Ẑ row blocks (Sᵀ recomputed as ẐÂᵀ/τ), so no two
// workers add into the same row. Same numerics as infonce_loss (max-subtracted log-sum-exp, sums
// in double); the sum of ℓ_i runs in row order.
#include <algorithm>
#include <cmath>
#include <limits>
#include "../../cuda/ops/anchor_infonce.body.h"  // anchor_infonce_plan and the normalization bodies (shared with CUDA)
#include "../core/allocator.h"
#include "../core/cpu_dispatch.h"
#include "../core/gemm.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "../core/vmath.h"

namespace mmg {
namespace {

constexpr int64_t kRows = 64;
constexpr int64_t kFullBytes = int64_t(64) << 20;

// The exps dominate, so the float32 loops use vexpf (vmath.h) compiled baseline and AVX2+FMA, as
// in infonce_loss; sums go into 8 fixed double lanes so the result does not depend on SIMD width.
template <typename T>
MMG_ALWAYS_INLINE double exp_shift_sum_body(T* __restrict s, int64_t n, T m) {
  double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t j = 0; j < n; ++j) s[j] = fast_exp(s[j] - m);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; ++l) lane[l] += double(s[j + l]);
  for (; j < n; ++j) lane[j & 7] += double(s[j]);
  double acc = 0;
  for (int l = 0; l < 8; ++l) acc += lane[l];
  return acc;
}
// In place s_j ← c·exp(s_j − l_j), l_j = lse[j] (per column) or lse_row.
template <typename T>
MMG_ALWAYS_INLINE void scaled_exp_body(T* __restrict s, const T* __restrict lse, bool per_column, T lse_row, int64_t n, T c) {
  if (per_column)
    for (int64_t j = 0; j < n; ++j) s[j] = c * fast_exp(s[j] - lse[j]);
  else
    for (int64_t j = 0; j < n; ++j) s[j] = c * fast_exp(s[j] - lse_row);
}
double exp_shift_sum_base(float* s, int64_t n, float m) { return exp_shift_sum_body(s, n, m); }
MMG_TARGET_AVX2 double exp_shift_sum_avx2(float* s, int64_t n, float m) { return exp_shift_sum_body(s, n, m); }
void scaled_exp_base(float* s, const float* lse, bool pc, float lr, int64_t n, float c) { scaled_exp_body(s, lse, pc, lr, n, c); }
MMG_TARGET_AVX2 void scaled_exp_avx2(float* s, const float* lse, bool pc, float lr, int64_t n, float c) {
  scaled_exp_body(s, lse, pc, lr, n, c);
}
inline double exp_shift_sum(float* s, int64_t n, float m) {
  return cpu_has_avx2_fma() ? exp_shift_sum_avx2(s, n, m) : exp_shift_sum_base(s, n, m);
}
inline double exp_shift_sum(double* s, int64_t n, double m) { return exp_shift_sum_body(s, n, m); }
inline void scaled_exp(float* s, const float* lse, bool pc, float lr, int64_t n, float c) {
  if (cpu_has_avx2_fma()) scaled_exp_avx2(s, lse, pc, lr, n, c);
  else scaled_exp_base(s, lse, pc, lr, n, c);
}
inline void scaled_exp(double* s, const double* lse, bool pc, double lr, int64_t n, double c) { scaled_exp_body(s, lse, pc, lr, n, c); }

// In place: one row of c(P − Y). The positives are the columns first, first + stride, ...
// (count of them), each recomputed on its own so the main loop has no branch.
template <typename T>
void row_p_minus_y(T* s, const T* lse, bool per_column, T lse_row, int64_t len, int64_t first, int64_t stride, int64_t count,
                   T c, T cy) {
  constexpr int kStack = 16;
  T keep[kStack];
  const int64_t kept = std::min<int64_t>(count, kStack);
  for (int64_t k = 0; k < kept; ++k) keep[k] = s[first + k * stride];
  scaled_exp(s, lse, per_column, lse_row, len, c);
  for (int64_t k = 0; k < count; ++k) {
    const int64_t j = first + k * stride;
    const T sj = k < kept ? keep[k] : T(0);
    // Views beyond kStack: exp already applied, subtract cy (one rounding more; M > 16 is unusual).
    s[j] = k < kept ? body::anchor_p_minus_y(sj, per_column ? lse[j] : lse_row, true, c, cy) : s[j] - cy;
  }
}

template <typename T>
struct Buf {
  size_t bytes;
  T* p;
  explicit Buf(int64_t n) : bytes(sizeof(T) * static_cast<size_t>(std::max<int64_t>(n, 1))), p(static_cast<T*>(host_alloc(bytes))) {}
  ~Buf() { host_free(p, bytes); }
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
};

template <typename T>
void normalize_rows(const T* x, int64_t n, int64_t d, T* xhat, T* norms) {
  parallel_for(n, std::max<int64_t>(1, 8192 / std::max<int64_t>(d, 1)), [&](int64_t s, int64_t e) {
    for (int64_t r = s; r < e; ++r) norms[r] = body::l2_normalize_row(x + r * d, d, xhat + r * d);
  });
}

// Â, its norms, and the stacked Ẑ with its norms.
template <typename T>
struct Normalized {
  Buf<T> ah, an, zh, zn;
  Normalized(Call& c, const AnchorPlan& p) : ah(p.n * p.d), an(p.n), zh(p.M * p.n * p.d), zn(p.M * p.n) {
    normalize_rows(ptr<T>(c.in(0)), p.n, p.d, ah.p, an.p);
    for (int64_t m = 0; m < p.M; ++m) normalize_rows(ptr<T>(c.in(int(m) + 1)), p.n, p.d, zh.p + m * p.n * p.d, zn.p + m * p.n);
  }
};

template <typename T>
void anchor_forward(Call& c, const AnchorPlan& p, T* loss, T* lse) {
  const int64_t n = p.n, d = p.d, w = p.M * p.n;
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  Normalized<T> x(c, p);
  Buf<double> per_row(n);
  const double inv_m = 1.0 / double(p.M);
  const int64_t nblk = (n + kRows - 1) / kRows;
  parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
    Buf<T> S(kRows * w);
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t r0 = blk * kRows, rn = std::min(kRows, n - r0);
      gemm<T>(false, true, rn, w, d, static_cast<T>(1.0 / p.tau), x.ah.p + r0 * d, d, x.zh.p, d, T(0), S.p, w);
      for (int64_t i = 0; i < rn; ++i) {
        T* row = S.p + i * w;
        double pos = 0;  // read before the row is overwritten
        for (int64_t m = 0; m < p.M; ++m) pos += double(row[m * n + r0 + i]);
        T mx = row[0];
        for (int64_t j = 1; j < w; ++j) mx = std::max(mx, row[j]);
        const double l = double(mx) + std::log(exp_shift_sum(row, w, mx));
        lse[r0 + i] = static_cast<T>(l);
        per_row.p[r0 + i] = l - pos * inv_m;
      }
    }
  });
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += per_row.p[i];
  *loss = static_cast<T>(sum / static_cast<double>(n));
}

template <typename T>
void anchor_backward(Call& c, const AnchorPlan& p, T* da, T* dz) {
  const int64_t n = p.n, d = p.d, M = p.M, w = M * n;
  const double tau = p.tau;
  Normalized<T> x(c, p);
  const T* lse = ptr<T>(c.in(int(M) + 1));
  const T coef = body::infonce_coef(*ptr<T>(c.in(int(M) + 2)), n, tau);
  const T cy = static_cast<T>(double(coef) / double(M));
  const T alpha = static_cast<T>(1.0 / tau);
  const int64_t grain = std::max<int64_t>(1, 8192 / std::max<int64_t>(d, 1));
  const bool full = p.path == 1 || (p.path == 0 && n * w * int64_t(sizeof(T)) <= kFullBytes);
  if (!p.need_anchor) std::fill(da, da + n * d, T(0));
  if (full) {
    Buf<T> P(n * w), ga(p.need_anchor ? n * d : 0), gz(w * d);
    const int64_t nblk = (n + kRows - 1) / kRows;
    parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
      for (int64_t blk = b0; blk < b1; ++blk) {
        const int64_t r0 = blk * kRows, rn = std::min(kRows, n - r0);
        T* rows = P.p + r0 * w;
        gemm<T>(false, true, rn, w, d, alpha, x.ah.p + r0 * d, d, x.zh.p, d, T(0), rows, w);
        for (int64_t i = 0; i < rn; ++i) row_p_minus_y(rows + i * w, lse, false, lse[r0 + i], w, r0 + i, n, M, coef, cy);
      }
    });
    if (p.need_anchor) gemm<T>(false, false, n, d, w, T(1), P.p, w, x.zh.p, d, T(0), ga.p, d);  // gÂ = c(P − Y)·Ẑ
    gemm<T>(true, false, w, d, n, T(1), P.p, w, x.ah.p, d, T(0), gz.p, d);                      // gẐ = c(P − Y)ᵀ·Â
    if (p.need_anchor)
      parallel_for(n, grain, [&](int64_t s, int64_t e) {
        for (int64_t r = s; r < e; ++r) body::l2_normalize_row_backward(x.ah.p + r * d, x.an.p[r], ga.p + r * d, d, da + r * d);
      });
    parallel_for(w, grain, [&](int64_t s, int64_t e) {
      for (int64_t r = s; r < e; ++r) body::l2_normalize_row_backward(x.zh.p + r * d, x.zn.p[r], gz.p + r * d, d, dz + r * d);
    });
    return;
  }
  // Tiled. Anchor side: block rows are anchors i, the row of c(P − Y) runs over all M·n columns.
  if (p.need_anchor) {
    const int64_t nblk = (n + kRows - 1) / kRows;
    parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
      Buf<T> S(kRows * w), G(kRows * d);
      for (int64_t blk = b0; blk < b1; ++blk) {
        const int64_t r0 = blk * kRows, rn = std::min(kRows, n - r0);
        gemm<T>(false, true, rn, w, d, alpha, x.ah.p + r0 * d, d, x.zh.p, d, T(0), S.p, w);
        for (int64_t i = 0; i < rn; ++i) row_p_minus_y(S.p + i * w, lse, false, lse[r0 + i], w, r0 + i, n, M, coef, cy);
        gemm<T>(false, false, rn, d, w, T(1), S.p, w, x.zh.p, d, T(0), G.p, d);
        for (int64_t i = 0; i < rn; ++i)
          body::l2_normalize_row_backward(x.ah.p + (r0 + i) * d, x.an.p[r0 + i], G.p + i * d, d, da + (r0 + i) * d);
      }
    });
  }
  // View side: block rows are Ẑ rows k = m·n + j; Sᵀ[k, i] = ẑ_k·â_i/τ, lse varies along the row,
  // and the one positive is the column i = j.
  const int64_t nblk = (w + kRows - 1) / kRows;
  parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
    Buf<T> S(kRows * n), G(kRows * d);
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t r0 = blk * kRows, rn = std::min(kRows, w - r0);
      gemm<T>(false, true, rn, n, d, alpha, x.zh.p + r0 * d, d, x.ah.p, d, T(0), S.p, n);
      for (int64_t i = 0; i < rn; ++i) row_p_minus_y(S.p + i * n, lse, true, T(0), n, (r0 + i) % n, n, 1, coef, cy);
      gemm<T>(false, false, rn, d, n, T(1), S.p, n, x.ah.p, d, T(0), G.p, d);
      for (int64_t i = 0; i < rn; ++i)
        body::l2_normalize_row_backward(x.zh.p + (r0 + i) * d, x.zn.p[r0 + i], G.p + i * d, d, dz + (r0 + i) * d);
    }
  });
}

void anchor_infonce_cpu(Call& c) {
  const AnchorPlan p = anchor_infonce_plan(c, false);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, anchor_forward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

void anchor_infonce_backward_cpu(Call& c) {
  const AnchorPlan p = anchor_infonce_plan(c, true);
  if (p.n == 0) return;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, anchor_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

}  // namespace
MMG_REGISTER_KERNEL("anchor_infonce", MMG_CPU, anchor_infonce_cpu);
MMG_REGISTER_KERNEL("anchor_infonce_backward", MMG_CPU, anchor_infonce_backward_cpu);
}  // namespace mmg
