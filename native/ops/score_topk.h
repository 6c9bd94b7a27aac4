// score_topk on the CUDA backend (contract: native/ops/score_topk.cc). Users go in batches of
// `batch` rows: per batch one cuBLAS gemm writes the scores S[batch × n] = U_b·Iᵀ into scratch
// (topk_rows.h: scores_gemm), a masking kernel sets the excluded (user, item) scores to
// exactly -1e10 (one block per user row, threads striding over the row's mask entries), and the
// block-per-row top-K kernel (topk_rows.h) writes the K best, best first, lower item first
// on ties, straight into the outputs. The batch keeps the scores plus the top-K lists under
// ~256 MiB (and at most user_tile rows when that attr is set); item_tile is a CPU tiling knob and
// is only validated here (the GPU always scores full item rows).
// Before any of that, on the device: the mask CSR check (check_csr's messages) and the finite
// check of U then I (the first non-finite entry in row-major order, as the CPU's serial scan).
// The selection is exact for the scores it is given; scores come from cuBLAS on a GPU and from
// our CPU gemm on cuda-emu, so near-ties can order differently from the CPU kernel.
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"
#include "topk_rows.h"

namespace mmg {
namespace body {

// Thread t of the block for a user row: its share of the row's mask entries mi[q0..q1).
template <typename T>
MMG_HD void mask_row(T* srow, const int32_t* mi, int32_t q0, int32_t q1, int t) {
  for (int64_t q = int64_t(q0) + t; q < q1; q += kBlock) srow[mi[q]] = T(-1e10);
}

}  // namespace body

// The checked inputs and attrs, and the outputs (allocated by score_topk_args).
struct ScoreTopkArgs {
  int64_t b, n, d, k;
  int64_t user_tile, item_tile;          // attrs 1 and 2 as given (0 = auto)
  const int32_t *mp = nullptr, *mi = nullptr;  // the exclusion mask, or null
  mmg_tensor *oi = nullptr, *ov = nullptr;     // outputs: indices int32 [B, K], values [B, K]
};

// Every input check in the CPU kernel's order (the CPU kernel calls this too), then the outputs.
// check_csr is the caller's CSR check (native/ops/csr_check.h, csr_check.cuh (CUDA backend) or its emu
// twin), all with the same messages; it runs on the mask when one is given.
template <typename CheckCsr>
inline ScoreTopkArgs score_topk_args(Call& c, CheckCsr check_csr) {
  c.expect_inputs(2, 4);
  c.expect_float(0, "U");
  c.expect_same_dtype(0, 1, "U", "I");
  c.expect_ndim(0, "U", 2);
  c.expect_ndim(1, "I", 2);
  const mmg_tensor &U = c.in(0), &I = c.in(1);
  ScoreTopkArgs a;
  const int64_t b = a.b = U.shape[0], d = a.d = U.shape[1], n = a.n = I.shape[0];
  if (I.shape[1] != d) c.shape_error("U and I with the same embedding width", "U " + shape_str(U) + ", I " + shape_str(I));
  const int64_t K = a.k = c.attr_int(0);
  MMG_CHECK(K >= 1 && K <= n, MMG_E_ARG, c.op(), ": expected 1 <= K <= n_items = ", n, ", got K = ", K);
  const int64_t ut = a.user_tile = c.attr_int_or(1, 0), itile = a.item_tile = c.attr_int_or(2, 0);
  MMG_CHECK(ut >= 0 && itile >= 0, MMG_E_ARG, c.op(), ": expected tile sizes >= 0 (0 = auto), got ", ut, " and ", itile);
  if (c.n_in() > 2 && c.has_in(2)) {
    MMG_CHECK(c.n_in() == 4, MMG_E_ARG, c.op(), ": expected mask_indptr and mask_indices together, got only mask_indptr");
    check_csr(c, 2, 3, n, "mask");
    MMG_CHECK(c.in(2).shape[0] == b + 1, MMG_E_SHAPE, c.op(), ": expected mask indptr of length B+1 = ", b + 1, ", got ",
              shape_str(c.in(2)));
    a.mp = ptr<int32_t>(c.in(2));
    a.mi = ptr<int32_t>(c.in(3));
  }
  a.oi = &c.out({b, K}, MMG_I32);
  a.ov = &c.out({b, K}, U.dtype);
  return a;
}

// The GPU's steps (cuda-emu the same): users per step and the per-thread list capacity.
struct ScoreTopkPlan {
  int64_t batch;  // users per step
  int32_t cap;    // per-thread list capacity (topk_rows.h)
};

inline ScoreTopkPlan score_topk_plan(const ScoreTopkArgs& a, int32_t dtype) {
  ScoreTopkPlan p;
  p.cap = topk_cap(a.n, a.k);
  p.batch = topk_rows_per_step(a.b, a.n, p.cap, dtype_size(dtype), a.user_tile);
  return p;
}

// The error for the first non-finite entry x (flat position pos) of U or I (CPU and CUDA).
[[noreturn]] inline void score_topk_not_finite(const Call& c, const char* what, double x, int64_t pos, int64_t d) {
  fail(MMG_E_DATA, c.op(), ": expected finite ", what, " embeddings, got ", x, " in row ", pos / d);
}

}  // namespace mmg
