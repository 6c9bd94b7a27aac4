// infonce_loss: NCE(a, b; τ), the one-directional in-batch InfoNCE of SMORE and GUME.
//   â_i = a_i / max(‖a_i‖, 1e-12), b̂_j likewise (F.normalize); s_ij = â_i·b̂_j / τ;
//   ℓ_i = logsumexp_j(s_ij) − s_ii;  L = mean_i ℓ_i.  In-batch duplicates are kept as they are.
// Inputs: A, B [n, d], float32 or float64, same dtype and shape. Attrs: [tau > 0].
// Outputs: L (scalar), lse [n] (the row log-sum-exps, kept by the wrapper for the backward).
//   n = 0 gives L = NaN (a mean over nothing).
// infonce_loss_backward: inputs A, B, lse, g (scalar dL); attrs [tau, path = 0] → dA, dB [n, d]:
//   with P_ij = exp(s_ij − lse_i) and c = g/(nτ): dÂ = c(P − I)B̂, dB̂ = c(P − I)ᵀÂ, then each
//   row goes back through the normalization. path: 0 auto, 1 full, 2 tiled (for tests).
// infonce_loss_grad: inputs A, B; attrs [tau, impl = 0] → L (as infonce_loss), dA, dB [n, d] = the gradients
//   of L (dL = 1). The loss is always a terminal node, so a caller that needs gradients gets them
//   from the forward pass (cost.md R8) and only scales them by the upstream scalar afterwards.
// Memory: the forward never forms the n×n similarity matrix; it is computed in blocks of 64
// rows (one 64×n scratch per worker chunk, native/core/row_lse.h). The logsumexp subtracts the row max
// (identical math to the reference, which does not). The backward forms c(P − I) once, in one
// n×n buffer, when that is at most kFullBytes (n = 2048 in float64 is 32 MiB), and runs two GEMMs;
// above that it tiles: dÂ from row blocks and dB̂ from column blocks (Sᵀ recomputed as B̂Âᵀ), so no
// two workers ever add into the same row. The sum of ℓ_i runs in row order.
// The gradient forward (infonce_loss_grad) keeps each 64-row block of S while it is in cache: the
// log-sum-exp pass leaves e = exp(s − m) in place, so C = c(P − I) is e·c/Σe with c subtracted on
// the diagonal (one exp per entry in all, where forward + backward take two, and one similarity
// gemm instead of two); then dÂ[block] = C·B̂ and dB̂ += Cᵀ·Â[block]. dB̂ gathers over all blocks, so
// the blocks are dealt into kGradGroups fixed groups of consecutive blocks, each summing into its
// own n×d partial in block order; the partials are added in group order at the end. The groups do
// not depend on the thread count (each gemm runs serially inside its worker), so neither does the
// result. Scratch: the partials (capped at kFullBytes, fewer groups for a larger n·d) and one
// 64×n block per worker; no n×n buffer.
// float32 on CPUs with AVX2+FMA (gemm_special_vb() ≠ 0; d ≥ 1) runs the same blocks and groups on
// register-tile kernels (infonce_loss_tile.inc, an AVX-512 and an AVX2 copy): B̂ᵀ is packed once per
// call instead of by each of the 3·(n/64) general gemms (Eigen re-packed the 512 KB B̂ for every
// block: a fifth of the op's time at n = 2048, d = 64), and the similarity kernel keeps the row
// maxima as it stores. [2048×64] at 2 threads, AMD Zen 5: 6.3 ms against 9.0 ms (bench/infonce.ts).
// Its sums run in another order than the general gemm's, so float32 results differ from that
// path's in the last bits, but not between thread counts or the two SIMD copies. Attr 1, impl
// (tests, bench): 0 auto, 1 the general-gemm path.
#include <algorithm>
#include <cmath>
#include <limits>
#include "infonce_loss.h"  // infonce_plan, body::l2_normalize_row(_backward) (shared with the CUDA port)
#include "../core/registry.h"
#include "../core/row_lse.h"  // blocked similarity driver, dispatched exp loops (shared with circle_loss, anchor_infonce)
#include "../core/cpu_dispatch.h"
#include "../core/gemm_special.h"  // gemm_special_vb: the SIMD level the float32 tile path runs at
#if MMG_X86_DISPATCH
#include <immintrin.h>
#endif

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

// Groups of row blocks whose dB̂ contributions share one partial sum (see the header comment).
constexpr int64_t kGradGroups = 8;

// The float32 tile path's operands (infonce_loss_tile.inc). dp: d rounded up to whole vectors of
// the SIMD level; ap, bp: Â, B̂ with rows padded to dp (zero past d; Â and B̂ themselves when dp = d);
// bt: B̂ᵀ in the level's K1 panels; the partials and G have rows of dp floats.
struct NceTile {
  int64_t n, d, dp, ldS;
  float alpha, coef;
  double c;
  const float *ah, *bh, *an, *ap, *bp, *bt;
  float* da;
  double* per_row;
  void (*norm_back)(const float*, float, const float*, int64_t, float*);
};

}  // namespace

#if MMG_X86_DISPATCH
namespace {
#define GK_NS nce512
#define GK_TARGET MMG_TARGET_AVX512
#define GK_VB 64
#include "../core/gemm_simd.inc"
#include "infonce_loss_tile.inc"
#undef GK_NS
#undef GK_TARGET
#undef GK_VB
#define GK_NS nce256
#define GK_TARGET MMG_TARGET_AVX2
#define GK_VB 32
#include "../core/gemm_simd.inc"
#include "infonce_loss_tile.inc"
#undef GK_NS
#undef GK_TARGET
#undef GK_VB
}  // namespace
#endif

namespace {

// The float32 tile path (vb = gemm_special_vb(), nonzero; d ≥ 1): the blocks, groups and exp pass
// of infonce_forward_grad below, with the three products on packed operands.
void infonce_grad_tile(int vb, const mmg_tensor& A, const mmg_tensor& B, double tau, float* loss, float* da, float* db) {
#if MMG_X86_DISPATCH
  const int64_t n = A.shape[0], d = A.shape[1];
  const int64_t w = vb / 4, dp = (d + w - 1) / w * w, ldS = (n + 15) / 16 * 16 + 16;
  const int64_t nr1 = vb == 64 ? nce512::nce::NR1 : nce256::nce::NR1, panels = (n + nr1 - 1) / nr1;
  const rowlse::NormalizedPair<float> x(body::l2_normalize_row<float>, ptr<float>(A), ptr<float>(B), n, d);
  const int64_t nblk = (n + rowlse::kBlockRows - 1) / rowlse::kBlockRows;
  const int64_t part = n * dp;
  const int64_t cap = rowlse::kFullBytes / std::max<int64_t>(1, part * int64_t(sizeof(float)));
  const int64_t groups = std::max<int64_t>(1, std::min({nblk, kGradGroups, cap}));
  HostBuf<float> parts(groups * part), bt(panels * nr1 * d), pad(dp == d ? 0 : 2 * n * dp);
  HostBuf<double> per_row(n);
  NceTile t{n, d, dp, ldS, static_cast<float>(1.0 / tau), body::infonce_coef<float>(1.f, n, tau), 1.0 / (double(n) * tau),
            x.ah.p, x.bh.p, x.an.p, x.ah.p, x.bh.p, bt.p, da, per_row.p, body::l2_normalize_row_backward<float>};
  if (dp != d) {
    float *ap = pad.p, *bp = pad.p + n * dp;
    rowlse::for_each_row(n, dp, [&](int64_t r) {
      for (int64_t j = 0; j < dp; ++j) {
        ap[r * dp + j] = j < d ? x.ah.p[r * d + j] : 0.f;
        bp[r * dp + j] = j < d ? x.bh.p[r * d + j] : 0.f;
      }
    });
    t.ap = ap;
    t.bp = bp;
  }
  parallel_for(panels, std::max<int64_t>(1, 4096 / std::max<int64_t>(d, 1)), [&](int64_t p0, int64_t p1) {
    if (vb == 64) nce512::nce::pack_bt(t, bt.p, p0, p1);
    else nce256::nce::pack_bt(t, bt.p, p0, p1);
  });
  parallel_for(groups, 1, [&](int64_t g0, int64_t g1) {
    float* S = rowlse::chunk_scratch<float>(0, rowlse::kBlockRows * ldS);
    float* G = rowlse::chunk_scratch<float>(1, rowlse::kBlockRows * (dp + 16));
    float* rmax = G + rowlse::kBlockRows * dp;
    for (int64_t grp = g0; grp < g1; ++grp) {
      const int64_t b0 = nblk * grp / groups, b1 = nblk * (grp + 1) / groups;
      for (int64_t blk = b0; blk < b1; ++blk) {
        const int64_t r0 = blk * rowlse::kBlockRows;
        const int rn = int(std::min(rowlse::kBlockRows, n - r0));
        if (vb == 64) nce512::nce::grad_block(t, r0, rn, parts.p + grp * part, blk == b0, S, G, rmax);
        else nce256::nce::grad_block(t, r0, rn, parts.p + grp * part, blk == b0, S, G, rmax);
      }
    }
  });
  rowlse::for_each_row(n, d, [&](int64_t r) {
    float* out = db + r * d;
    std::copy(parts.p + r * dp, parts.p + r * dp + d, out);
    for (int64_t grp = 1; grp < groups; ++grp) {
      const float* p = parts.p + grp * part + r * dp;
      for (int64_t j = 0; j < d; ++j) out[j] += p[j];
    }
    body::l2_normalize_row_backward<float>(x.bh.p + r * d, x.bn.p[r], out, d, out);
  });
  *loss = static_cast<float>(rowlse::mean_in_order(per_row.p, n));
#else
  (void)vb, (void)A, (void)B, (void)tau, (void)loss, (void)da, (void)db;
  fail(MMG_E_INTERNAL, "infonce_loss_grad: the tile path does not apply");
#endif
}

template <typename T>
void infonce_forward_grad(const mmg_tensor& A, const mmg_tensor& B, double tau, T* loss, T* da, T* db) {
  const int64_t n = A.shape[0], d = A.shape[1];
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  const rowlse::NormalizedPair<T> x(body::l2_normalize_row<T>, ptr<T>(A), ptr<T>(B), n, d);
  const T *ah = x.ah.p, *bh = x.bh.p;
  const int64_t nblk = (n + rowlse::kBlockRows - 1) / rowlse::kBlockRows;
  const int64_t part = n * d;
  const int64_t cap = rowlse::kFullBytes / std::max<int64_t>(1, part * int64_t(sizeof(T)));
  const int64_t groups = std::max<int64_t>(1, std::min({nblk, kGradGroups, cap}));
  HostBuf<T> parts(groups * part);
  HostBuf<double> per_row(n);
  const T alpha = static_cast<T>(1.0 / tau);
  const double c = 1.0 / (double(n) * tau);
  const T coef = body::infonce_coef<T>(T(1), n, tau);
  const auto norm_back = body::l2_normalize_row_backward<T>;
  parallel_for(groups, 1, [&](int64_t g0, int64_t g1) {
    T* S = rowlse::chunk_scratch<T>(0, rowlse::kBlockRows * n);
    T* G = rowlse::chunk_scratch<T>(1, rowlse::kBlockRows * std::max<int64_t>(d, 1));
    for (int64_t grp = g0; grp < g1; ++grp) {
      const int64_t b0 = nblk * grp / groups, b1 = nblk * (grp + 1) / groups;
      for (int64_t blk = b0; blk < b1; ++blk) {
        const int64_t r0 = blk * rowlse::kBlockRows, rn = std::min(rowlse::kBlockRows, n - r0);
        gemm<T>(false, true, rn, n, d, alpha, ah + r0 * d, d, bh, d, T(0), S, n);
        for (int64_t i = 0; i < rn; ++i) {
          T* row = S + i * n;
          const int64_t diag = r0 + i;
          const double s_ii = double(row[diag]);  // read before the row is overwritten
          T m;
          const double sum = rowlse::row_max_exp_sum(row, n, &m);  // row ← e = exp(s − m)
          per_row.p[diag] = double(m) + std::log(sum) - s_ii;
          // c·P = e·(c/Σe); the diagonal's −c after the scaling, as c(P − I) rounds it.
          rowlse::scale_row(row, n, static_cast<T>(c / sum));
          row[diag] -= coef;
        }
        if (d == 0) continue;
        gemm<T>(false, false, rn, d, n, T(1), S, n, bh, d, T(0), G, d);  // dÂ[block] = C·B̂
        for (int64_t i = 0; i < rn; ++i) norm_back(ah + (r0 + i) * d, x.an.p[r0 + i], G + i * d, d, da + (r0 + i) * d);
        // dB̂ (partial of this group) += Cᵀ·Â[block]
        gemm<T>(true, false, n, d, rn, T(1), S, n, ah + r0 * d, d, blk == b0 ? T(0) : T(1), parts.p + grp * part, d);
      }
    }
  });
  if (d > 0)
    rowlse::for_each_row(n, d, [&](int64_t r) {
      T* out = db + r * d;
      std::copy(parts.p + r * d, parts.p + (r + 1) * d, out);
      for (int64_t grp = 1; grp < groups; ++grp) {
        const T* p = parts.p + grp * part + r * d;
        for (int64_t j = 0; j < d; ++j) out[j] += p[j];
      }
      norm_back(bh + r * d, x.bn.p[r], out, d, out);
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
  const InfoncePlan p = infonce_plan(c, InfonceKind::Forward);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  MMG_FLOAT_SWITCH(A.dtype, T, c, infonce_forward<T>(A, B, p.tau, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

void infonce_loss_grad_cpu(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Grad);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const int64_t impl = c.attr_int_or(1, 0);
  if (impl < 0 || impl > 1) fail(MMG_E_ARG, c.op(), ": expected impl 0 (auto) or 1 (general gemm), got ", impl);
  const int vb = gemm_special_vb();
  if (A.dtype == MMG_F32 && impl == 0 && vb != 0 && p.n > 0 && p.d > 0) {
    infonce_grad_tile(vb, A, B, p.tau, static_cast<float*>(p.out[0]), static_cast<float*>(p.out[1]), static_cast<float*>(p.out[2]));
    return;
  }
  MMG_FLOAT_SWITCH(A.dtype, T, c,
                   infonce_forward_grad<T>(A, B, p.tau, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1]), static_cast<T*>(p.out[2])));
}

void infonce_loss_backward_cpu(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Backward);
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
MMG_REGISTER_KERNEL("infonce_loss_grad", MMG_CPU, infonce_loss_grad_cpu);
}  // namespace mmg
