// infonce_loss: NCE(a, b; τ), the one-directional in-batch InfoNCE of SMORE and GUME.
//   â_i = a_i / max(‖a_i‖, 1e-12), b̂_j likewise (F.normalize); s_ij = â_i·b̂_j / τ;
//   ℓ_i = logsumexp_j(s_ij) − s_ii;  L = mean_i ℓ_i.  In-batch duplicates are kept as they are.
// Inputs: A, B [n, d], float32 or float64, same dtype and shape. Attrs: [tau > 0].
// Outputs: L (scalar), lse [n] (the row log-sum-exps, kept by the wrapper for the backward).
//   n = 0 gives L = NaN (a mean over nothing).
// infonce_loss_backward: inputs A, B, lse, g (scalar dL); attrs [tau, path = 0] → dA, dB [n, d]:
//   with P_ij = exp(s_ij − lse_i) and c = g/(nτ): dÂ = c(P − I)B̂, dB̂ = c(P − I)ᵀÂ, then each
//   row goes back through the normalization. path: 0 auto, 1 full, 2 tiled (for tests).
// Memory: the forward never forms the n×n similarity matrix; it is computed in blocks of kRows
// rows (one kRows×n scratch per worker chunk) with mmg::gemm. The logsumexp subtracts the row max
// (identical math to the reference, which does not). The backward forms c(P − I) once, in one
// n×n buffer, when that is at most kFullBytes (n = 2048 in float64 is 32 MiB), and runs two GEMMs;
// above that it tiles: dÂ from row blocks and dB̂ from column blocks (Sᵀ recomputed as B̂Âᵀ), so no
// two workers ever add into the same row. The sum of ℓ_i runs in row order.
#include <algorithm>
#include <cmath>
#include <limits>
#include "../../cuda/ops/infonce_loss.body.h"  // infonce_plan, body::l2_normalize_row(_backward) (shared with the CUDA port)
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

// The per-row normalization and its backward (body::l2_normalize_row, l2_normalize_row_backward)
// and the input checks (infonce_plan) are shared with the CUDA port: cuda/ops/infonce_loss.body.h.

// The n×n exps are most of this op's time, so the float32 loops use vexpf (native/core/vmath.h,
// ≤ 1 ulp from expf; glibc's expf is an opaque call that keeps a loop scalar) and are compiled twice,
// baseline and AVX2+FMA, picked at run time. float64 keeps std::exp. Sums go into 8 fixed double
// lanes (lane = j mod 8) merged in order, so the result does not depend on the SIMD width.
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

// In place s_j ← exp(s_j − m); returns Σ_j exp(s_j − m).
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

// log Σ_j exp(s_j), with the max subtracted first. Overwrites s with the shifted exps.
template <typename T>
inline double row_logsumexp(T* s, int64_t n) {
  T m = s[0];
  for (int64_t j = 1; j < n; ++j) m = std::max(m, s[j]);
  return double(m) + std::log(exp_shift_sum(s, n, m));
}

// In place: s_j ← c·(exp(s_j − lse) − [j == diag]). One row of c(P − I). The diagonal entry is
// recomputed on its own so the main loop has no branch.
template <typename T>
inline void row_softmax_minus_eye(T* s, const T* lse, bool lse_per_column, T lse_row, int64_t n, int64_t diag, T c) {
  const T sd = s[diag];
  scaled_exp(s, lse, lse_per_column, lse_row, n, c);
  s[diag] = c * (fast_exp(sd - (lse_per_column ? lse[diag] : lse_row)) - T(1));
}

// ---- host plumbing ----

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

template <typename T>
void infonce_forward(const mmg_tensor& A, const mmg_tensor& B, double tau, T* loss, T* lse) {
  const int64_t n = A.shape[0], d = A.shape[1];
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  Buf<T> ah(n * d), bh(n * d), an(n), bn(n);
  Buf<double> per_row(n);
  normalize_rows(ptr<T>(A), n, d, ah.p, an.p);
  normalize_rows(ptr<T>(B), n, d, bh.p, bn.p);
  const int64_t nblk = (n + kRows - 1) / kRows;
  parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
    Buf<T> S(kRows * n);
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t r0 = blk * kRows, rn = std::min(kRows, n - r0);
      gemm<T>(false, true, rn, n, d, static_cast<T>(1.0 / tau), ah.p + r0 * d, d, bh.p, d, T(0), S.p, n);
      for (int64_t i = 0; i < rn; ++i) {
        const double s_ii = double(S.p[i * n + r0 + i]);  // read before the row is overwritten
        const double l = row_logsumexp(S.p + i * n, n);
        lse[r0 + i] = static_cast<T>(l);
        per_row.p[r0 + i] = l - s_ii;
      }
    }
  });
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += per_row.p[i];
  *loss = static_cast<T>(sum / static_cast<double>(n));
}

// One side of the backward. For the A side (transposed = false) block rows are anchors i and
// the row of c(P − I) is indexed by j; for the B side (transposed = true) block rows are
// targets j, the similarity row is Sᵀ[j, :] = B̂_j·Â/τ and lse varies along it.
template <typename T>
void infonce_side_backward(bool transposed, const T* xhat, const T* xnorm, const T* other_hat, const T* lse, T c,
                           double tau, int64_t n, int64_t d, T* dx) {
  const int64_t nblk = (n + kRows - 1) / kRows;
  parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
    Buf<T> S(kRows * n), G(kRows * d);
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t r0 = blk * kRows, rn = std::min(kRows, n - r0);
      gemm<T>(false, true, rn, n, d, static_cast<T>(1.0 / tau), xhat + r0 * d, d, other_hat, d, T(0), S.p, n);
      for (int64_t i = 0; i < rn; ++i)
        row_softmax_minus_eye(S.p + i * n, lse, transposed, transposed ? T(0) : lse[r0 + i], n, r0 + i, c);
      // Gradient of x̂ for the block: c(P − I)[block] · other̂ (the 1/τ of s_ij is folded into c).
      gemm<T>(false, false, rn, d, n, T(1), S.p, n, other_hat, d, T(0), G.p, d);
      for (int64_t i = 0; i < rn; ++i)
        body::l2_normalize_row_backward(xhat + (r0 + i) * d, xnorm[r0 + i], G.p + i * d, d, dx + (r0 + i) * d);
    }
  });
}

// Both sides from one n×n buffer holding c(P − I): 1× the exps and two GEMMs instead of 2× and four.
template <typename T>
void infonce_full_backward(const T* ah, const T* an, const T* bh, const T* bn, const T* lse, T c, double tau, int64_t n,
                           int64_t d, T* da, T* db) {
  Buf<T> P(n * n), ga(n * d), gb(n * d);
  const int64_t nblk = (n + kRows - 1) / kRows;
  parallel_for(nblk, 1, [&](int64_t b0, int64_t b1) {
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t r0 = blk * kRows, rn = std::min(kRows, n - r0);
      T* rows = P.p + r0 * n;
      gemm<T>(false, true, rn, n, d, static_cast<T>(1.0 / tau), ah + r0 * d, d, bh, d, T(0), rows, n);
      for (int64_t i = 0; i < rn; ++i) row_softmax_minus_eye(rows + i * n, lse, false, lse[r0 + i], n, r0 + i, c);
    }
  });
  gemm<T>(false, false, n, d, n, T(1), P.p, n, bh, d, T(0), ga.p, d);  // gÂ = c(P − I)·B̂
  gemm<T>(true, false, n, d, n, T(1), P.p, n, ah, d, T(0), gb.p, d);   // gB̂ = c(P − I)ᵀ·Â
  parallel_for(n, std::max<int64_t>(1, 8192 / std::max<int64_t>(d, 1)), [&](int64_t s, int64_t e) {
    for (int64_t r = s; r < e; ++r) {
      body::l2_normalize_row_backward(ah + r * d, an[r], ga.p + r * d, d, da + r * d);
      body::l2_normalize_row_backward(bh + r * d, bn[r], gb.p + r * d, d, db + r * d);
    }
  });
}

void infonce_loss_cpu(Call& c) {
  const InfoncePlan p = infonce_plan(c, 2);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  MMG_FLOAT_SWITCH(A.dtype, T, c, infonce_forward<T>(A, B, p.tau, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

void infonce_loss_backward_cpu(Call& c) {
  const InfoncePlan p = infonce_plan(c, 4);
  const double tau = p.tau;
  const int64_t n = p.n, d = p.d, path = p.path;
  const mmg_tensor &A = c.in(0), &B = c.in(1), &lse = c.in(2), &g = c.in(3);
  if (n == 0) return;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    T *da = static_cast<T*>(p.out[0]), *db = static_cast<T*>(p.out[1]);
    Buf<T> ah(n * d), bh(n * d), an(n), bn(n);
    normalize_rows(ptr<T>(A), n, d, ah.p, an.p);
    normalize_rows(ptr<T>(B), n, d, bh.p, bn.p);
    const T coef = static_cast<T>(double(*ptr<T>(g)) / (double(n) * tau));
    const bool full = path == 1 || (path == 0 && n * n * int64_t(sizeof(T)) <= kFullBytes);
    if (full) {
      infonce_full_backward<T>(ah.p, an.p, bh.p, bn.p, ptr<T>(lse), coef, tau, n, d, da, db);
    } else {
      infonce_side_backward<T>(false, ah.p, an.p, bh.p, ptr<T>(lse), coef, tau, n, d, da);
      infonce_side_backward<T>(true, bh.p, bn.p, ah.p, ptr<T>(lse), coef, tau, n, d, db);
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("infonce_loss", MMG_CPU, infonce_loss_cpu);
MMG_REGISTER_KERNEL("infonce_loss_backward", MMG_CPU, infonce_loss_backward_cpu);
}  // namespace mmg
