// cooccurrence_graph bodies shared by the CPU kernel (native/ops/cooccurrence_graph.cc, which states
// the contract), the CUDA kernels (cooccurrence_graph.cu) and the cuda-emu twin. Every backend
// computes the same numbers bit for bit:
//   - acc[j] for row i is Σ over i's users u in ascending order of w_u (1, or 1/deg_u for two_hop),
//     in double: the CPU walks Rt's row i in order, and a GPU block takes the users one at a time
//     (its threads split u's item list, whose ids are distinct, then __syncthreads()), so every
//     acc[j] receives its terms in the same order;
//   - sim = acc, or acc / sqrt(deg_i·deg_j) (one formula, correctly rounded on both sides);
//   - the top-k order is total (larger value, then lower column), so the kept set does not depend
//     on the order candidates arrive in; degrees are summed over the kept row in column order.
// NO CUDA headers here (shared by nvcc and g++).
#pragma once
#include <cstdint>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"
#include "topk_rows.h"

namespace mmg {
namespace body {

enum : int32_t { kCoocCosine = 0, kCoocCount = 1, kCoocTwoHop = 2 };

// What one user u adds to acc[j] for each pair (u, i), (u, j).
MMG_HD double cooc_user_weight(int32_t mode, const int32_t* rp, int64_t u) {
  return mode == kCoocTwoHop ? 1.0 / double(rp[u + 1] - rp[u]) : 1.0;
}

MMG_HD double cooc_sim(int32_t mode, double acc, const int32_t* tp, int64_t i, int64_t j) {
  if (mode == kCoocCount) return acc;
  return acc / hd_sqrt(double(tp[i + 1] - tp[i]) * double(tp[j + 1] - tp[j]));
}

// Row r of a CSR does not list strictly ascending columns (a duplicate pair or a descent).
MMG_HD bool cooc_row_unsorted(const int32_t* p, const int32_t* j, int64_t r) {
  for (int64_t q = int64_t(p[r]) + 1; q < p[r + 1]; ++q)
    if (j[q] <= j[q - 1]) return true;
  return false;
}

// Some pair (u, i) of R's row u is missing from Rt's row i (Rt's rows ascending: bisection).
// With both sides sorted and nnz equal, no missing pair means Rt = Rᵀ exactly.
MMG_HD bool cooc_pair_missing(const int32_t* rp, const int32_t* rj, const int32_t* tp, const int32_t* tj, int64_t u) {
  for (int64_t q = rp[u]; q < rp[u + 1]; ++q) {
    const int32_t i = rj[q];
    int64_t lo = tp[i], hi = tp[i + 1];
    while (lo < hi) {
      const int64_t mid = (lo + hi) / 2;
      if (tj[mid] < u) lo = mid + 1; else hi = mid;
    }
    if (lo == tp[i + 1] || tj[lo] != u) return true;
  }
  return false;
}

// Capacity of row i's kept list: min(k, candidates it can have), where candidates are bounded by
// n_items − 1 and by Σ_u (deg_u − 1). Keeps the scratch O(min(n·k, two-hop pairs)) for any k.
MMG_HD int32_t cooc_row_bound(int64_t i, int64_t k, int64_t n_items, const int32_t* rp, const int32_t* tp, const int32_t* tj) {
  int64_t b = 0;
  const int64_t lim = k < n_items - 1 ? k : n_items - 1;
  for (int64_t q = tp[i]; q < tp[i + 1] && b < lim; ++q) b += rp[tj[q] + 1] - rp[tj[q]] - 1;
  return int32_t(b < lim ? b : lim);
}

// One user's scatter for row i, by thread t of `stride` (kBlock on the GPU, 0 of 1 on the CPU):
// u's items j ≠ i get acc[j] += w; the first touch appends j to the candidate list through claim()
// (an atomic slot on the GPU). u's item ids are distinct, so no two threads share an acc[j].
template <typename Claim>
MMG_HD void cooc_scatter(int t, int stride, int64_t i, double w, const int32_t* uj, int64_t len, double* acc, int32_t* touched,
                         Claim& claim) {
  for (int64_t q = t; q < len; q += stride) {
    const int32_t j = uj[q];
    if (j == i) continue;
    if (acc[j] == 0) touched[claim()] = j;
    acc[j] += w;
  }
}

// Phase 1 of the block top-k for thread t: the best `cap` of candidates touched[t], touched[t +
// kBlock], ... (value sim, column j), best first, clearing their acc[j] for the next row.
MMG_HD int32_t cooc_local(int t, int32_t mode, int64_t i, const int32_t* tp, double* acc, const int32_t* touched, int64_t ncand,
                          int32_t cap, double* v, int32_t* ix) {
  int32_t size = 0;
  for (int64_t q = t; q < ncand; q += kBlock) {
    const int32_t j = touched[q];
    topk_heap_push(v, ix, &size, cap, cooc_sim(mode, acc[j], tp, i, j), j);
    acc[j] = 0;
  }
  topk_heap_sort(v, ix, size);
  return size;
}

// Phase 3, thread t: the merged list (len ≤ the row's bound) to the row's kept slots.
MMG_HD void cooc_emit_list(int t, int32_t len, const double* v, const int32_t* ix, double* out_v, int32_t* out_j) {
  for (int32_t q = t; q < len; q += kBlock) {
    out_v[q] = v[q];
    out_j[q] = ix[q];
  }
}

// Row r's kept list (cnt entries at off): sorted by column in place (heap sort; columns are
// distinct), then dinv[r] = (Σ kept values, column order)^-½ with 0^-½ := 0 (an empty row).
MMG_HD void cooc_row_finish(int64_t r, const int64_t* off, const int32_t* cnt, double* v, int32_t* j, double* dinv) {
  double* rv = v + off[r];
  int32_t* rj = j + off[r];
  const int32_t len = cnt[r];
  topk_sort_by_col(rv, rj, len);
  double deg = 0;
  for (int32_t q = 0; q < len; ++q) deg += rv[q];
  dinv[r] = deg > 0 ? 1.0 / hd_sqrt(deg) : 0.0;
}

// Row r's output entries at indptr[r]: w_ij = T(dinv_i · sim_ij · dinv_j).
template <typename T>
MMG_HD void cooc_emit(int64_t r, const int64_t* off, const int32_t* cnt, const int32_t* indptr, const double* v, const int32_t* j,
                      const double* dinv, int32_t* oj, T* ov) {
  const int64_t o = off[r], p = indptr[r];
  for (int32_t q = 0; q < cnt[r]; ++q) {
    oj[p + q] = j[o + q];
    ov[p + q] = T(dinv[r] * v[o + q] * dinv[j[o + q]]);
  }
}

}  // namespace body

struct CoocArgs {
  int64_t n_users, n_items, nnz, k;
  int32_t mode, dtype;
};

// Input and attribute checks that read no index data (every backend; check_csr runs after).
inline CoocArgs cooc_args(Call& c) {
  c.expect_inputs(4, 4);
  c.expect_dtype(0, "R indptr", {MMG_I32});
  c.expect_ndim(0, "R indptr", 1);
  c.expect_dtype(2, "Rt indptr", {MMG_I32});
  c.expect_ndim(2, "Rt indptr", 1);
  const mmg_tensor &RP = c.in(0), &TP = c.in(2);
  MMG_CHECK(RP.shape[0] >= 1, MMG_E_SHAPE, c.op(), ": expected R indptr with at least one entry, got shape ", shape_str(RP));
  MMG_CHECK(TP.shape[0] >= 1, MMG_E_SHAPE, c.op(), ": expected Rt indptr with at least one entry, got shape ", shape_str(TP));
  CoocArgs a;
  a.n_users = RP.shape[0] - 1;
  a.n_items = TP.shape[0] - 1;
  a.k = c.attr_int(0);
  MMG_CHECK(a.k >= 1, MMG_E_ARG, c.op(), ": expected k >= 1, got ", a.k);
  const int64_t mode = c.attr_int_or(1, body::kCoocCosine);
  MMG_CHECK(mode >= 0 && mode <= 2, MMG_E_ARG, c.op(), ": expected mode 0 (cosine), 1 (count) or 2 (two_hop), got ", mode);
  const int64_t dt = c.attr_int_or(2, MMG_F32);
  MMG_CHECK(dt == MMG_F32 || dt == MMG_F64, MMG_E_DTYPE, c.op(), ": expected dtype code 0 (float32) or 1 (float64), got ", dt);
  a.mode = int32_t(mode);
  a.dtype = int32_t(dt);
  a.nnz = -1;
  return a;
}

// After check_csr on both: equal pair counts.
inline void cooc_check_nnz(const Call& c, int64_t r_nnz, int64_t t_nnz) {
  MMG_CHECK(r_nnz == t_nnz, MMG_E_SHAPE, c.op(), ": expected R and Rt with the same number of pairs, got ", r_nnz, " and ", t_nnz);
}

// The structure scan's findings (first bad row of each check, kCoocNone when none), reported in
// the CPU's order.
constexpr uint64_t kCoocNone = ~uint64_t(0);
inline void cooc_report(const Call& c, uint64_t r_unsorted, uint64_t t_unsorted, uint64_t missing) {
  if (r_unsorted != kCoocNone)
    fail(MMG_E_DATA, c.op(), ": expected R's rows to hold strictly ascending item ids (no duplicate pairs), got a repeat or descent in row ",
         int64_t(r_unsorted));
  if (t_unsorted != kCoocNone)
    fail(MMG_E_DATA, c.op(), ": expected Rt's rows to hold strictly ascending user ids (no duplicate pairs), got a repeat or descent in row ",
         int64_t(t_unsorted));
  if (missing != kCoocNone)
    fail(MMG_E_DATA, c.op(), ": expected Rt to be the transpose of R, got a pair of R's row ", int64_t(missing), " missing from Rt");
}

// The row kernel's launch shape (CUDA and cuda-emu): G persistent blocks, each with a dense double
// accumulator and a touched list of n_items entries plus two top-k list buffers of kBlock·cap
// entries, G ≤ 1024 and the scratch within ~256 MiB. cap = min(largest row bound, ⌈n/kBlock⌉)
// (topk_rows.h's per-thread list capacity).
struct CoocPlan {
  int64_t blocks;
  int32_t cap;
};
inline CoocPlan cooc_plan(int64_t n_items, int64_t kmax) {
  CoocPlan p;
  const int64_t slice = (n_items + body::kBlock - 1) / body::kBlock;
  p.cap = int32_t(kmax < slice ? kmax : slice);
  const int64_t per_block = n_items * 12 + 2 * int64_t(body::kBlock) * p.cap * 12;
  int64_t g = (int64_t(256) << 20) / (per_block > 0 ? per_block : 1);
  if (g > 1024) g = 1024;
  if (g > n_items) g = n_items;
  p.blocks = g < 1 ? 1 : g;
  return p;
}

// Output entries must fit int32 indptr.
inline void cooc_check_total(const Call& c, int64_t total) {
  MMG_CHECK(total < (int64_t(1) << 31), MMG_E_ARG, c.op(), ": expected fewer than 2^31 kept entries, got ", total);
}

// Every backend's first step: cooc_args, then the backend's check_csr (`check`, called as
// check(c, i_indptr, i_indices, n_cols, what)) on R and Rt, and the index arrays.
struct CoocInputs {
  CoocArgs a;
  const int32_t *rp, *rj, *tp, *tj;  // R indptr, indices; Rt indptr, indices
};
template <typename Check>
CoocInputs cooc_inputs(Call& c, Check check) {
  CoocInputs in;
  in.a = cooc_args(c);
  in.a.nnz = check(c, 0, 1, in.a.n_items, "R");
  cooc_check_nnz(c, in.a.nnz, check(c, 2, 3, in.a.n_users, "Rt"));
  in.rp = ptr<int32_t>(c.in(0));
  in.rj = ptr<int32_t>(c.in(1));
  in.tp = ptr<int32_t>(c.in(2));
  in.tj = ptr<int32_t>(c.in(3));
  return in;
}

// The host backends' (CPU, cuda-emu) outputs from the kept counts: indptr [n + 1] filled with
// their prefix sums, indices and values [total] for the emit step.
template <typename T>
struct CoocHostOut {
  int32_t* p;
  int32_t* j;
  T* v;
};
template <typename T>
CoocHostOut<T> cooc_host_outputs(Call& c, int64_t n, const int32_t* cnt) {
  int64_t total = 0;
  for (int64_t r = 0; r < n; ++r) total += cnt[r];
  cooc_check_total(c, total);
  mmg_tensor& P = c.out({n + 1}, MMG_I32);
  mmg_tensor& J = c.out({total}, MMG_I32);
  mmg_tensor& V = c.out({total}, dtype_of<T>::value);
  int32_t* p = ptr<int32_t>(P);
  p[0] = 0;
  for (int64_t r = 0; r < n; ++r) p[r + 1] = p[r] + cnt[r];
  return {p, ptr<int32_t>(J), ptr<T>(V)};
}

}  // namespace mmg
