// knn_graph on the CUDA backend (contract: native/ops/knn_graph.cc; protocol §11). Steps:
//   1. inverse norms: one warp per row sums double(x)² over its lanes (the CPU: in column order;
//      the sums differ by the order of the double additions), and the first row whose inverse
//      norm is not finite and > 0 is the CPU's MMG_E_DATA error;
//   2. per block of `block` rows: one cuBLAS gemm for the raw dot products of the block's rows with
//      ALL n rows (S [block × n], scratch; the CPU's half-matrix symmetry trick would need scattered
//      updates of other rows' selections), a scaling kernel to cosines with the CPU's formula
//      T(double(dot)·inv_i·inv_j), then the block-per-row top-k kernel (topk_rows.h, same as
//      score_topk) writes each row's k best (best first, lower column on ties) into the outputs;
//   3. one thread per row: degree = Σ double(kept sims) (best-first order; the CPU sums in its heap
//      order: the same terms, rounding differs at 1e-16), 1/sqrt(deg) with 0^-½ := 0 and a negative
//      degree giving NaN, then the row sorted by column (heap sort, columns are distinct);
//   4. one thread per entry: w_ij = T(dinv_i·double(sim_ij)·dinv_j); indptr[r] = r·k.
// Memory O(n·k) outputs + O(n) doubles + one step's scores and lists (≤ ~256 MiB by default).
// `block` (attr 1) is the rows per step; 0 = as many as fit that budget.
#pragma once
#include <cmath>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"
#include "../core/hd/body_common.h"
#include "topk_rows.h"

namespace mmg {
namespace body {

// Σ x_rq² over q = lane, lane + step, ... in double (no FMA: rounds as on the host). The CPU sums
// the columns in order (lane 0, step 1); the CUDA kernel takes a warp per row (step kWarp) and
// merges the lanes with the xor butterfly.
template <typename T>
MMG_HD double knn_sumsq_part(const T* x, int64_t r, int64_t f, int lane, int step) {
  double s = 0;
  for (int64_t q = lane; q < f; q += step) s += mul_rn(double(x[r * f + q]), double(x[r * f + q]));
  return s;
}
MMG_HD double knn_inv_from_sumsq(double s) { return 1.0 / hd_sqrt(s); }

// 1/‖x_r‖₂ in double, columns summed in order (the CPU's loop).
template <typename T>
MMG_HD double knn_inv_norm(const T* x, int64_t r, int64_t f) {
  return knn_inv_from_sumsq(knn_sumsq_part(x, r, f, 0, 1));
}

MMG_HD bool knn_norm_bad(double inv) { return !(hd_isfinite(inv) && inv > 0); }

// Entry e of a block's [bi × n] dot products (rows i0..) to its cosine.
template <typename T>
MMG_HD void knn_scale(int64_t e, int64_t n, int64_t i0, const double* inv, T* S) {
  const int64_t r = e / n, q = e - r * n;
  S[e] = T(double(S[e]) * inv[i0 + r] * inv[q]);
}

// Row r of the k kept (sim, column) pairs, best first: its inverse sqrt degree into dinv[r], then
// the row sorted by column in place.
template <typename T>
MMG_HD void knn_row_finish(int64_t r, int64_t k, T* v, int32_t* j, double* dinv) {
  T* rv = v + r * k;
  int32_t* rj = j + r * k;
  double deg = 0;
  for (int64_t q = 0; q < k; ++q) deg += double(rv[q]);
  const double di = 1.0 / hd_sqrt(deg);  // negative → NaN, like torch.pow(deg, -0.5)
  dinv[r] = (di == di && !hd_isfinite(di)) ? 0.0 : di;  // 0^-½ (inf) := 0; NaN stays NaN
  topk_sort_by_col(rv, rj, int32_t(k));
}

// Entry e (row e / k) to its sym-normalized weight.
template <typename T>
MMG_HD void knn_weight(int64_t e, int64_t k, const double* dinv, const int32_t* j, T* v) {
  v[e] = T(dinv[e / k] * double(v[e]) * dinv[j[e]]);
}

}  // namespace body

// The input checks and the attrs (the CPU kernel calls this too); block is attr 1 as given (0 = auto).
struct KnnArgs {
  int64_t n, f, k, block;
};

inline KnnArgs knn_graph_args(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "X");
  c.expect_ndim(0, "X", 2);
  const mmg_tensor& X = c.in(0);
  const int64_t n = X.shape[0], f = X.shape[1];
  const int64_t k = c.attr_int(0);
  MMG_CHECK(k >= 1 && k <= n, MMG_E_ARG, c.op(), ": expected 1 <= k <= n = ", n, " (number of rows), got k = ", k);
  MMG_CHECK(n * k < (int64_t(1) << 31), MMG_E_ARG, c.op(), ": expected n·k < 2^31, got ", n, "·", k);
  const int64_t block = c.attr_int_or(1, 0);
  MMG_CHECK(block >= 0, MMG_E_ARG, c.op(), ": expected block >= 0 (0 = auto), got ", block);
  return {n, f, k, block};
}

struct KnnPlan {
  int64_t n, f, k;
  int64_t block;  // rows per step
  int32_t cap;    // per-thread list capacity (topk_rows.h)
};

inline KnnPlan knn_graph_check(Call& c) {
  const KnnArgs a = knn_graph_args(c);
  KnnPlan p;
  p.n = a.n;
  p.f = a.f;
  p.k = a.k;
  p.cap = topk_cap(a.n, a.k);
  p.block = topk_rows_per_step(a.n, a.n, p.cap, dtype_size(c.in(0).dtype), a.block);
  return p;
}

// The error for the first row with a zero or non-finite norm (inv = its inverse norm; CPU and CUDA).
[[noreturn]] inline void knn_bad_norm(const Call& c, int64_t r, double inv) {
  fail(MMG_E_DATA, c.op(), ": expected every feature row to have a non-zero finite L2 norm, got ",
       std::isinf(inv) ? "norm 0" : "a non-finite norm", " at row ", r, " (the reference would produce NaN similarities for it)");
}

}  // namespace mmg
