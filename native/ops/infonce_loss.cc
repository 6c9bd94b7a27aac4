// infonce_loss: NCE(a, b; τ), the one-directional in-batch InfoNCE of SMORE and GUME.
//   â_i = a_i / max(‖a_i‖, 1e-12), b̂_j likewise (F.normalize); s_ij = â_i·b̂_j / τ;
//   ℓ_i = logsumexp_j(s_ij) − s_ii;  L = mean_i ℓ_i.  In-batch duplicates are kept as they are.
// Inputs: A, B [n, d], float32 or float64, same dtype and shape. Attrs: [tau > 0].
// Outputs: L (scalar), lse [n] (the row log-sum-exps, kept by the wrapper for the backward).
//   n = 0 gives L = NaN (a mean over nothing).
// infonce_loss_backward: inputs A, B, lse, g (scalar dL); attrs [tau, path = 0] → dA, dB [n, d]:
//   with P_ij = exp(s_ij − lse_i) and c = g/(nτ): dÂ = c(P − I)B̂, dB̂ = c(P − I)ᵀÂ, then each
//   row goes back through the normalization. path: 0 auto, 1 full, 2 tiled (for tests).
// Memory: the forward never forms the n×n similarity matrix; it is computed in blocks of 64
// rows (one 64×n scratch per worker chunk, native/core/row_lse.h). The logsumexp subtracts the row max
// (identical math to the reference, which does not). The backward forms c(P − I) once, in one
// n×n buffer, when that is at most kFullBytes (n = 2048 in float64 is 32 MiB), and runs two GEMMs;
// above that it tiles: dÂ from row blocks and dB̂ from column blocks (Sᵀ recomputed as B̂Âᵀ), so no
// two workers ever add into the same row. The sum of ℓ_i runs in row order.
#include <algorithm>
#include <cmath>
#include <limits>
#include "infonce_loss.h"  // infonce_plan, body::l2_normalize_row(_backward) (shared with the CUDA port)
#include "../core/registry.h"
#include "../core/row_lse.h"  // blocked similarity driver, dispatched exp loops (shared with circle_loss, anchor_infonce)

namespace mmg {
namespace {

using rowlse::HostBuf;

// The per-row normalization and its backward (body::l2_normalize_row, l2_normalize_row_backward)
// and the input checks (infonce_plan) are shared with the CUDA port: native/ops/infonce_loss.h.
// The exp loops and their SIMD dispatch: native/core/row_lse.h.

// In place: s_j ← c·(exp(s_j − lse) − [j == diag]). One row of c(P − I). The diagonal entry is
// recomputed on its own so the main loop has no branch.
template <typename T>
inline void row_softmax_minus_eye(T* s, const T* lse, bool lse_per_column, T lse_row, int64_t n, int64_t diag, T c) {
  const T sd = s[diag];
  rowlse::scaled_exp(s, lse, lse_per_column, lse_row, n, c);
  s[diag] = c * (fast_exp(sd - (lse_per_column ? lse[diag] : lse_row)) - T(1));
}

// ---- host plumbing ----

template <typename T>
void infonce_forward(const mmg_tensor& A, const mmg_tensor& B, double tau, T* loss, T* lse) {
  const int64_t n = A.shape[0], d = A.shape[1];
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  const rowlse::NormalizedPair<T> x(body::l2_normalize_row<T>, ptr<T>(A), ptr<T>(B), n, d);
  HostBuf<double> per_row(n);
  rowlse::sim_row_blocks<T>(n, n, d, static_cast<T>(1.0 / tau), x.ah.p, x.bh.p, nullptr, 0, [&](int64_t r0, int64_t rn, T* S, T*) {
    for (int64_t i = 0; i < rn; ++i) {
      const double s_ii = double(S[i * n + r0 + i]);  // read before the row is overwritten
      const double l = rowlse::row_logsumexp(S + i * n, n);
      lse[r0 + i] = static_cast<T>(l);
      per_row.p[r0 + i] = l - s_ii;
    }
  });
  *loss = static_cast<T>(rowlse::mean_in_order(per_row.p, n));
}

// One row r of c(P − I) in place. For the A side (transposed = false) rows are anchors i and lse
// is the row's; for the B side (transposed = true) rows are targets j, the similarity row is
// Sᵀ[j, :] = B̂_j·Â/τ and lse varies along it. The 1/τ of s_ij is folded into c.
template <typename T>
auto p_minus_eye_rows(const T* lse, T c, int64_t n, bool transposed) {
  return [=](T* row, int64_t r) { row_softmax_minus_eye(row, lse, transposed, transposed ? T(0) : lse[r], n, r, c); };
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
    const rowlse::NormalizedPair<T> x(body::l2_normalize_row<T>, ptr<T>(A), ptr<T>(B), n, d);
    const T coef = static_cast<T>(double(*ptr<T>(g)) / (double(n) * tau));
    const bool full = path == 1 || (path == 0 && n * n * int64_t(sizeof(T)) <= rowlse::kFullBytes);
    const T alpha = static_cast<T>(1.0 / tau);
    const auto norm_back = body::l2_normalize_row_backward<T>;
    if (full) {
      rowlse::full_backward(norm_back, alpha, n, n, d, x.ah.p, x.an.p, x.bh.p, x.bn.p, da, db, p_minus_eye_rows(ptr<T>(lse), coef, n, false));
    } else {
      rowlse::side_backward(norm_back, alpha, n, n, d, x.ah.p, x.an.p, x.bh.p, da, p_minus_eye_rows(ptr<T>(lse), coef, n, false));
      rowlse::side_backward(norm_back, alpha, n, n, d, x.bh.p, x.bn.p, x.ah.p, db, p_minus_eye_rows(ptr<T>(lse), coef, n, true));
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("infonce_loss", MMG_CPU, infonce_loss_cpu);
MMG_REGISTER_KERNEL("infonce_loss_backward", MMG_CPU, infonce_loss_backward_cpu);
}  // namespace mmg
