// circle_loss: Circle Loss (Sun et al. 2020) with in-batch negatives, SynerGraph's auxiliary task.
//   â_i = a_i / max(‖a_i‖, 1e-12), b̂_j likewise (F.normalize); s_ij = â_i·b̂_j (cosine);
//   s_p^i = s_ii; s_n^ij = s_ij for j ≠ i; α_p^i = [1 + m − s_p^i]_+, α_n^ij = [s_n^ij + m]_+ (both
//   constants for the gradient); z_ij = γ α_n^ij (s_n^ij − m);
//   x_i = logsumexp_{j≠i} z_ij − γ α_p^i (s_p^i − 1 + m);  ℓ_i = softplus(x_i);  L = mean_i ℓ_i.
//   This is log(1 + Σ_{j≠i} e^{z_ij}·e^{−γα_p(s_p − 1 + m)}) without overflow for any γ.
// Inputs: A, B [n, d], float32 or float64, same dtype and shape. Attrs: [margin in [0, 1], gamma > 0].
// Outputs: L (scalar), lse [n] (logsumexp_{j≠i} z_ij), x [n] (the softplus arguments); the wrapper
//   keeps lse and x for the backward.
//   n = 0 gives L = NaN (a mean over nothing, like infonce_loss). n = 1 has no negatives: the
//   logsumexp over nothing is −inf, so x = −inf, ℓ = 0 and the gradients are 0.
// circle_loss_backward: inputs A, B, lse, x, g (scalar dL); attrs [margin, gamma, path = 0] → dA, dB:
//   with w_i = (g/n)·σ(x_i), C_ij = w_i·exp(z_ij − lse_i)·γα_n^ij (j ≠ i), C_ii = −w_i·γα_p^i:
//   dÂ = C·B̂, dB̂ = Cᵀ·Â, then each row goes back through the normalization.
//   path: 0 auto, 1 full, 2 tiled (for tests).
// Memory and order: as infonce_loss. The forward computes S in blocks of 64 rows (one 64×n
// scratch per worker chunk); the backward forms C in one n×n buffer when that is at most
// kFullBytes, else tiles: dÂ from row blocks and dB̂ from row blocks of Sᵀ = B̂Âᵀ. The sum of ℓ_i
// runs in row order. Per-element math: native/ops/circle_loss.h (shared with the CUDA port).
#include <algorithm>
#include <cmath>
#include <limits>
#include "circle_loss.h"  // circle_plan, body::circle_* and body::l2_normalize_row(_backward)
#include "../core/registry.h"
#include "../core/row_lse.h"  // blocked similarity driver, dispatched exp-shift-sum (shared with infonce_loss)

namespace mmg {
namespace {

using body::CircleConsts;
using rowlse::HostBuf;

// The n×n logits and exps are most of the time: the float32 loops use vexpf and are compiled
// twice (baseline and AVX2+FMA, picked at run time), as in infonce_loss. Sums go into 8 fixed
// double lanes (lane = j mod 8) merged in order, so the result does not depend on the SIMD width.

// In place s_j ← z_j = γα_n(s_j)(s_j − m); returns max_j z_j over j ≠ diag (s[diag] ← −inf).
template <typename T>
MMG_ALWAYS_INLINE T logits_max_body(T* __restrict s, int64_t n, int64_t diag, CircleConsts<T> k) {
  for (int64_t j = 0; j < n; ++j) s[j] = body::circle_logit(s[j], k);
  s[diag] = -std::numeric_limits<T>::infinity();
  T m = -std::numeric_limits<T>::infinity();
  for (int64_t j = 0; j < n; ++j) m = s[j] > m ? s[j] : m;
  return m;
}

// In place s_j ← C entry off the diagonal (body::circle_coef's formula), with lse and w per row
// (per_column = false) or per column (the transposed side). The diagonal is fixed by the caller.
template <typename T>
MMG_ALWAYS_INLINE void coef_body(T* __restrict s, const T* __restrict lse, const T* __restrict w, bool per_column, T lse_row,
                                 T w_row, int64_t n, CircleConsts<T> k) {
  if (per_column) {
    for (int64_t j = 0; j < n; ++j) {
      const T a = body::circle_alpha_n(s[j], k);
      const T v = w[j] * fast_exp(body::circle_logit(s[j], k) - lse[j]) * (k.gamma * a);
      s[j] = a > T(0) ? v : T(0);
    }
  } else {
    for (int64_t j = 0; j < n; ++j) {
      const T a = body::circle_alpha_n(s[j], k);
      const T v = w_row * fast_exp(body::circle_logit(s[j], k) - lse_row) * (k.gamma * a);
      s[j] = a > T(0) ? v : T(0);
    }
  }
}

float logits_max_base(float* s, int64_t n, int64_t diag, CircleConsts<float> k) { return logits_max_body(s, n, diag, k); }
MMG_TARGET_AVX2 float logits_max_avx2(float* s, int64_t n, int64_t diag, CircleConsts<float> k) { return logits_max_body(s, n, diag, k); }
void coef_base(float* s, const float* lse, const float* w, bool pc, float lr, float wr, int64_t n, CircleConsts<float> k) {
  coef_body(s, lse, w, pc, lr, wr, n, k);
}
MMG_TARGET_AVX2 void coef_avx2(float* s, const float* lse, const float* w, bool pc, float lr, float wr, int64_t n, CircleConsts<float> k) {
  coef_body(s, lse, w, pc, lr, wr, n, k);
}

inline float logits_max(float* s, int64_t n, int64_t diag, CircleConsts<float> k) {
  return cpu_has_avx2_fma() ? logits_max_avx2(s, n, diag, k) : logits_max_base(s, n, diag, k);
}
inline double logits_max(double* s, int64_t n, int64_t diag, CircleConsts<double> k) { return logits_max_body(s, n, diag, k); }
inline void coef(float* s, const float* lse, const float* w, bool pc, float lr, float wr, int64_t n, CircleConsts<float> k) {
  if (cpu_has_avx2_fma()) coef_avx2(s, lse, w, pc, lr, wr, n, k);
  else coef_base(s, lse, w, pc, lr, wr, n, k);
}
inline void coef(double* s, const double* lse, const double* w, bool pc, double lr, double wr, int64_t n, CircleConsts<double> k) {
  coef_body(s, lse, w, pc, lr, wr, n, k);
}

// One row of C in place. The diagonal (the positive pair, −w·γα_p) is computed on its own so the
// main loop has no branch; on the transposed side its weight is the column's own, w[diag].
template <typename T>
inline void row_coef(T* s, const T* lse, const T* w, bool per_column, int64_t row, int64_t n, int64_t diag, const CircleConsts<T>& k) {
  const T sd = s[diag];
  coef(s, lse, w, per_column, lse[row], w[row], n, k);
  s[diag] = body::circle_coef(sd, true, T(0), w[diag], k);
}

// ---- host plumbing ----

template <typename T>
void circle_forward(const mmg_tensor& A, const mmg_tensor& B, const CircleConsts<T>& k, T* loss, T* lse, T* x) {
  const int64_t n = A.shape[0], d = A.shape[1];
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  const rowlse::NormalizedPair<T> nx(body::l2_normalize_row<T>, ptr<T>(A), ptr<T>(B), n, d);
  HostBuf<double> per_row(n);
  rowlse::sim_row_blocks<T>(n, n, d, T(1), nx.ah.p, nx.bh.p, nullptr, 0, [&](int64_t r0, int64_t rn, T* S, T*) {
    for (int64_t i = 0; i < rn; ++i) {
      T* row = S + i * n;
      const T sp = row[r0 + i];  // read before the row is overwritten
      T m = -std::numeric_limits<T>::infinity();
      double acc = 0;
      if (n > 1) {  // n = 1: no negatives, the empty logsumexp (m = −inf, acc = 0)
        m = logits_max(row, n, r0 + i, k);
        acc = rowlse::exp_shift_sum(row, n, m);  // the row is scratch: the shifted exps may overwrite it
      }
      body::circle_finish(m, acc, sp, k, lse + r0 + i, x + r0 + i, per_row.p + r0 + i);
    }
  });
  *loss = static_cast<T>(rowlse::mean_in_order(per_row.p, n));
}

void circle_loss_cpu(Call& c) {
  const CirclePlan p = circle_plan(c, 2);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  MMG_FLOAT_SWITCH(A.dtype, T, c,
                   circle_forward<T>(A, B, body::circle_consts<T>(p.margin, p.gamma), static_cast<T*>(p.out[0]),
                                     static_cast<T*>(p.out[1]), static_cast<T*>(p.out[2])));
}

void circle_loss_backward_cpu(Call& c) {
  const CirclePlan p = circle_plan(c, 5);
  const int64_t n = p.n, d = p.d;
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  if (n == 0) return;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    T *da = static_cast<T*>(p.out[0]), *db = static_cast<T*>(p.out[1]);
    const CircleConsts<T> k = body::circle_consts<T>(p.margin, p.gamma);
    const rowlse::NormalizedPair<T> nx(body::l2_normalize_row<T>, ptr<T>(A), ptr<T>(B), n, d);
    HostBuf<T> w(n);
    const T g = *ptr<T>(c.in(4));
    const T* x = ptr<T>(c.in(3));
    for (int64_t i = 0; i < n; ++i) w.p[i] = body::circle_row_weight(g, n, x[i]);
    const T* lse = ptr<T>(c.in(2));
    const bool full = p.path == 1 || (p.path == 0 && n * n * int64_t(sizeof(T)) <= rowlse::kFullBytes);
    // Rows of C: for the A side (transposed = false) anchors i; for the B side targets j, the
    // similarity row is Sᵀ[j, :] = B̂_j·Âᵀ and lse, w vary along it.
    const T* wp = w.p;
    auto coef_rows = [&](bool transposed) { return [=, &k](T* row, int64_t r) { row_coef(row, lse, wp, transposed, r, n, r, k); }; };
    const auto norm_back = body::l2_normalize_row_backward<T>;
    if (full) {
      rowlse::full_backward(norm_back, T(1), n, n, d, nx.ah.p, nx.an.p, nx.bh.p, nx.bn.p, da, db, coef_rows(false));
    } else {
      rowlse::side_backward(norm_back, T(1), n, n, d, nx.ah.p, nx.an.p, nx.bh.p, da, coef_rows(false));
      rowlse::side_backward(norm_back, T(1), n, n, d, nx.bh.p, nx.bn.p, nx.ah.p, db, coef_rows(true));
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("circle_loss", MMG_CPU, circle_loss_cpu);
MMG_REGISTER_KERNEL("circle_loss_backward", MMG_CPU, circle_loss_backward_cpu);
}  // namespace mmg
