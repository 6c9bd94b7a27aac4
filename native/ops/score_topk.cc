// score_topk: full-ranking top-K for a batch of users, without materializing the [B, n] scores.
// Inputs: U [B, d], I [n, d] (float32/float64, same dtype); optional exclusion CSR mask_indptr int32
// [B+1], mask_indices int32 [nnz] in [0, n) (null or absent = nothing masked).
// Attrs: [K (1..n), user_tile (0 = auto), item_tile (0 = auto)].
// Outputs: indices int32 [B, K], values [B, K] in U's dtype, each row best first.
//   score(b, i) = U[b]·I[i]; masked (b, i) get exactly -1e10 (as MMRec assigns, not adds), so when a
//   row has fewer than K unmasked items the masked ones fill the tail at -1e10, still ranked.
//   Ties (equal scores, e.g. among masked items) rank the LOWER item index first; torch.topk leaves
//   tie order unspecified.
// Scores come from mmg::gemm on [user_tile × item_tile] tiles; the user tiles run in parallel and
// each keeps a K-entry heap per user. Deterministic for given tile sizes. Non-finite entries in U or
// I are an MMG_E_DATA error naming the row (a NaN score has no rank). Not differentiable.
#include <algorithm>
#include <cmath>
#include <vector>
#include "../core/allocator.h"
#include "../core/gemm.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "csr_check.h"
#include "topk_select.h"

namespace mmg {
namespace {

template <typename T>
void check_finite(const Call& c, const T* x, int64_t rows, int64_t d, const char* what) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t q = 0; q < d; ++q)
      if (!std::isfinite(x[r * d + q]))
        fail(MMG_E_DATA, c.op(), ": expected finite ", what, " embeddings, got ", double(x[r * d + q]), " in row ", r);
}

template <typename T>
void score_topk(const T* u, const T* it, int64_t b, int64_t n, int64_t d, const int32_t* mp, const int32_t* mi, int64_t K,
                int64_t ut, int64_t itile, int32_t* out_i, T* out_v) {
  const int64_t n_utiles = (b + ut - 1) / ut;
  parallel_for(n_utiles, 1, [&](int64_t t0, int64_t t1) {
    const int64_t it_w = std::min(itile, n);
    const size_t s_bytes = sizeof(T) * size_t(ut) * size_t(it_w);
    T* s = static_cast<T*>(host_alloc(s_bytes));
    std::vector<T> hv(static_cast<size_t>(ut * K));
    std::vector<int32_t> hi(static_cast<size_t>(ut * K));
    std::vector<int32_t> hs(static_cast<size_t>(ut));
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t u0 = t * ut, bu = std::min(ut, b - u0);
      std::fill(hs.begin(), hs.end(), 0);
      for (int64_t i0 = 0; i0 < n; i0 += it_w) {
        const int64_t bi = std::min(it_w, n - i0);
        gemm<T>(false, true, bu, bi, d, T(1), u + u0 * d, d, it + i0 * d, d, T(0), s, bi);  // nested: runs serially
        for (int64_t r = 0; r < bu; ++r) {
          T* row = s + r * bi;
          if (mp)
            for (int32_t q = mp[u0 + r]; q < mp[u0 + r + 1]; ++q) {
              const int64_t j = mi[q] - i0;
              if (j >= 0 && j < bi) row[j] = T(-1e10);
            }
          T* v = hv.data() + r * K;
          int32_t* ix = hi.data() + r * K;
          int32_t* size = &hs[r];
          int64_t j = 0;
          for (; j < bi && *size < K; ++j) topk_push<T>(v, ix, size, int32_t(K), row[j], int32_t(i0 + j));
          // Items arrive in increasing index, so an equal score never displaces the root: a strict
          // comparison with the current K-th best is the whole admission test.
          for (; j < bi; ++j)
            if (row[j] > v[0]) topk_push<T>(v, ix, size, int32_t(K), row[j], int32_t(i0 + j));
        }
      }
      for (int64_t r = 0; r < bu; ++r) {
        T* v = hv.data() + r * K;
        int32_t* ix = hi.data() + r * K;
        topk_sort_best_first<T>(v, ix, int32_t(K));
        std::copy(v, v + K, out_v + (u0 + r) * K);
        std::copy(ix, ix + K, out_i + (u0 + r) * K);
      }
    }
    host_free(s, s_bytes);
  });
}

void score_topk_cpu(Call& c) {
  c.expect_inputs(2, 4);
  c.expect_float(0, "U");
  c.expect_same_dtype(0, 1, "U", "I");
  c.expect_ndim(0, "U", 2);
  c.expect_ndim(1, "I", 2);
  const mmg_tensor &U = c.in(0), &I = c.in(1);
  const int64_t b = U.shape[0], d = U.shape[1], n = I.shape[0];
  if (I.shape[1] != d) c.shape_error("U and I with the same embedding width", "U " + shape_str(U) + ", I " + shape_str(I));
  const int64_t K = c.attr_int(0);
  MMG_CHECK(K >= 1 && K <= n, MMG_E_ARG, c.op(), ": expected 1 <= K <= n_items = ", n, ", got K = ", K);
  int64_t ut = c.attr_int_or(1, 0), itile = c.attr_int_or(2, 0);
  MMG_CHECK(ut >= 0 && itile >= 0, MMG_E_ARG, c.op(), ": expected tile sizes >= 0 (0 = auto), got ", ut, " and ", itile);
  if (ut == 0) ut = 64;
  if (itile == 0) itile = 1024;
  const int32_t *mp = nullptr, *mi = nullptr;
  if (c.n_in() > 2 && c.has_in(2)) {
    MMG_CHECK(c.n_in() == 4, MMG_E_ARG, c.op(), ": expected mask_indptr and mask_indices together, got only mask_indptr");
    check_csr(c, 2, 3, n, "mask");
    MMG_CHECK(c.in(2).shape[0] == b + 1, MMG_E_SHAPE, c.op(), ": expected mask indptr of length B+1 = ", b + 1, ", got ",
              shape_str(c.in(2)));
    mp = ptr<int32_t>(c.in(2));
    mi = ptr<int32_t>(c.in(3));
  }
  mmg_tensor& OI = c.out({b, K}, MMG_I32);
  mmg_tensor& OV = c.out({b, K}, U.dtype);
  if (b == 0) return;
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    check_finite<T>(c, ptr<T>(U), b, d, "user");
    check_finite<T>(c, ptr<T>(I), n, d, "item");
    score_topk<T>(ptr<T>(U), ptr<T>(I), b, n, d, mp, mi, K, ut, itile, ptr<int32_t>(OI), ptr<T>(OV));
  });
}

}  // namespace
MMG_REGISTER_KERNEL("score_topk", MMG_CPU, score_topk_cpu);
}  // namespace mmg
