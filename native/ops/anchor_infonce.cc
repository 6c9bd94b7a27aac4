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
// matrix is only formed in blocks of 64 anchor rows (one 64 × M·n buffer per worker chunk).
// The backward forms c(P − Y) in one n × M·n buffer when that is at most kFullBytes, else it
// tiles: dÂ from anchor row blocks, dẐ from Ẑ row blocks (Sᵀ recomputed as ẐÂᵀ/τ), so no two
// workers add into the same row. Same numerics as infonce_loss (max-subtracted log-sum-exp, sums
// in double); the sum of ℓ_i runs in row order.
#include <algorithm>
#include <cmath>
#include <limits>
#include "anchor_infonce.h"  // anchor_infonce_plan and the normalization bodies (shared with CUDA)
#include "../core/registry.h"
#include "../core/row_lse.h"  // blocked similarity driver, dispatched exp loops (shared with infonce_loss)

namespace mmg {
namespace {

using rowlse::HostBuf;

// The exp loops (vexpf, baseline and AVX2+FMA builds, 8 fixed double lanes) are infonce_loss's:
// native/core/row_lse.h.

// In place: one row of c(P − Y). The positives are the columns first, first + stride, ...
// (count of them), each recomputed on its own so the main loop has no branch.
template <typename T>
void row_p_minus_y(T* s, const T* lse, bool per_column, T lse_row, int64_t len, int64_t first, int64_t stride, int64_t count,
                   T c, T cy) {
  constexpr int kStack = 16;
  T keep[kStack];
  const int64_t kept = std::min<int64_t>(count, kStack);
  for (int64_t k = 0; k < kept; ++k) keep[k] = s[first + k * stride];
  rowlse::scaled_exp(s, lse, per_column, lse_row, len, c);
  for (int64_t k = 0; k < count; ++k) {
    const int64_t j = first + k * stride;
    const T sj = k < kept ? keep[k] : T(0);
    // Views beyond kStack: exp already applied, subtract cy (one rounding more; M > 16 is unusual).
    s[j] = k < kept ? body::anchor_p_minus_y(sj, per_column ? lse[j] : lse_row, true, c, cy) : s[j] - cy;
  }
}

// Â, its norms, and the stacked Ẑ with its norms.
template <typename T>
struct Normalized {
  HostBuf<T> ah, an, zh, zn;
  Normalized(Call& c, const AnchorPlan& p) : ah(p.n * p.d), an(p.n), zh(p.M * p.n * p.d), zn(p.M * p.n) {
    const auto norm = body::l2_normalize_row<T>;
    rowlse::normalize_rows(norm, ptr<T>(c.in(0)), p.n, p.d, ah.p, an.p);
    for (int64_t m = 0; m < p.M; ++m)
      rowlse::normalize_rows(norm, ptr<T>(c.in(int(m) + 1)), p.n, p.d, zh.p + m * p.n * p.d, zn.p + m * p.n);
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
  HostBuf<double> per_row(n);
  const double inv_m = 1.0 / double(p.M);
  rowlse::sim_row_blocks<T>(n, w, d, static_cast<T>(1.0 / p.tau), x.ah.p, x.zh.p, nullptr, 0, [&](int64_t r0, int64_t rn, T* S, T*) {
    for (int64_t i = 0; i < rn; ++i) {
      T* row = S + i * w;
      double pos = 0;  // read before the row is overwritten
      for (int64_t m = 0; m < p.M; ++m) pos += double(row[m * n + r0 + i]);
      const double l = rowlse::row_logsumexp(row, w);
      lse[r0 + i] = static_cast<T>(l);
      per_row.p[r0 + i] = l - pos * inv_m;
    }
  });
  *loss = static_cast<T>(rowlse::mean_in_order(per_row.p, n));
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
  const bool full = p.path == 1 || (p.path == 0 && n * w * int64_t(sizeof(T)) <= rowlse::kFullBytes);
  if (!p.need_anchor) std::fill(da, da + n * d, T(0));
  const auto norm_back = body::l2_normalize_row_backward<T>;
  // Anchor rows: the row of c(P − Y) runs over all M·n columns, with the M positives m·n + i.
  auto anchor_rows = [&](T* row, int64_t r) { row_p_minus_y(row, lse, false, lse[r], w, r, n, M, coef, cy); };
  if (full) {
    rowlse::full_backward(norm_back, alpha, n, w, d, x.ah.p, x.an.p, x.zh.p, x.zn.p, p.need_anchor ? da : nullptr, dz, anchor_rows);
    return;
  }
  if (p.need_anchor) rowlse::side_backward(norm_back, alpha, n, w, d, x.ah.p, x.an.p, x.zh.p, da, anchor_rows);
  // View side: rows are Ẑ rows k = m·n + j; Sᵀ[k, i] = ẑ_k·â_i/τ, lse varies along the row, and
  // the one positive is the column i = j.
  rowlse::side_backward(norm_back, alpha, w, n, d, x.zh.p, x.zn.p, x.ah.p, dz,
                        [&](T* row, int64_t r) { row_p_minus_y(row, lse, true, T(0), n, r % n, n, 1, coef, cy); });
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
