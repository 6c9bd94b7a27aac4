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
// each keeps a thresholded candidate buffer per user (see TopkBuffer). Deterministic for given tile sizes. Non-finite entries in U or
// I are an MMG_E_DATA error naming the row (a NaN score has no rank). Not differentiable.
#include <algorithm>
#include <cmath>
#include "score_topk.h"  // score_topk_args, score_topk_not_finite (shared with the CUDA port)
#include "../core/allocator.h"
#include "../core/cpu_dispatch.h"
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
        score_topk_not_finite(c, what, double(x[r * d + q]), r * d + q, d);
}

// Buffered selection for one user: scores above the current K-th best are appended to a buffer;
// when it fills, nth_element keeps the best K and the threshold rises to the K-th best. Cheaper
// than a heap (an append per candidate instead of a sift), and exact: items arrive in increasing
// index order, so a later item equal to the K-th best loses the tie and a strict `>` suffices.
template <typename T>
struct Cand {
  T v;
  int32_t i;
};
template <typename T>
inline bool cand_better(const Cand<T>& a, const Cand<T>& b) {
  return topk_better(a.v, a.i, b.v, b.i);
}
template <typename T>
struct TopkBuffer {
  Cand<T>* buf;
  int32_t size, cap, k;
  bool full;  // thr is valid once K candidates were kept
  T thr;
  void compact() {
    std::nth_element(buf, buf + (k - 1), buf + size, cand_better<T>);
    size = k;
    thr = buf[k - 1].v;  // nth_element leaves the worst kept candidate at k-1
    full = true;
  }
  inline void push(T v, int32_t i) {
    buf[size++] = Cand<T>{v, i};
    if (size == cap) compact();
  }
};

// Bit q set when p[q] > thr, for q < 16. Written with GCC vector extensions: the AVX2 build turns
// the test into a few vcmpps/vorps (the equivalent scalar loop stayed scalar), and the bits are
// gathered only for the rare chunk that has a candidate.
template <typename T>
inline __attribute__((always_inline)) uint32_t above16(const T* __restrict p, T thr) {
  typedef T V __attribute__((vector_size(32), aligned(sizeof(T))));
  constexpr int W = 32 / sizeof(T), NV = 16 / W;
  const V t = V{} + thr;
  decltype(V{} > V{}) m[NV];
  for (int w = 0; w < NV; ++w) {
    V x;
    __builtin_memcpy(&x, p + w * W, sizeof(V));
    m[w] = x > t;
  }
  auto any = m[0];
  for (int w = 1; w < NV; ++w) any |= m[w];
  int64_t lanes[4];
  __builtin_memcpy(lanes, &any, sizeof(lanes));
  if (__builtin_expect((lanes[0] | lanes[1] | lanes[2] | lanes[3]) == 0, 1)) return 0;
  uint32_t bits = 0;
  for (int w = 0; w < NV; ++w)
    for (int l = 0; l < W; ++l) bits |= uint32_t(m[w][l] != 0) << (w * W + l);
  return bits;
}

// Offers one tile row (items base .. base+bi-1) to a user's buffer. Once warm, almost no score
// beats the threshold: 16 scores are tested at a time (above16) and only the qualifying ones are
// visited, in increasing item order.
template <typename T>
inline __attribute__((always_inline)) void select_row_body(const T* __restrict row, int64_t bi, int32_t base, TopkBuffer<T>& h) {
  int64_t j = 0;
  for (; j < bi && !h.full; ++j) h.push(row[j], int32_t(base + j));
  if (j == bi) return;
  T thr = h.thr;
  for (; j + 16 <= bi; j += 16) {
    for (uint32_t bits = above16<T>(row + j, thr); bits; bits &= bits - 1) {
      const int q = __builtin_ctz(bits);
      if (row[j + q] > thr) {  // the threshold may have risen since the mask was taken
        h.push(row[j + q], int32_t(base + j + q));
        thr = h.thr;
      }
    }
  }
  for (; j < bi; ++j)
    if (row[j] > thr) {
      h.push(row[j], int32_t(base + j));
      thr = h.thr;
    }
}
#if MMG_X86_DISPATCH
template <typename T>
MMG_TARGET_AVX2 void select_row_avx2(const T* row, int64_t bi, int32_t base, TopkBuffer<T>& h) {
  select_row_body<T>(row, bi, base, h);
}
#endif
template <typename T>
void select_row_base(const T* row, int64_t bi, int32_t base, TopkBuffer<T>& h) {
  select_row_body<T>(row, bi, base, h);
}
template <typename T>
inline void select_row_any(const T* row, int64_t bi, int32_t base, TopkBuffer<T>& h) {
#if MMG_X86_DISPATCH
  if (cpu_has_avx2_fma()) return select_row_avx2<T>(row, bi, base, h);
#endif
  select_row_base<T>(row, bi, base, h);
}

template <typename T>
void score_topk(const T* u, const T* it, int64_t b, int64_t n, int64_t d, const int32_t* mp, const int32_t* mi, int64_t K,
                int64_t ut, int64_t itile, int32_t* out_i, T* out_v) {
  const int64_t n_utiles = (b + ut - 1) / ut;
  const int32_t cap = int32_t(std::max<int64_t>(4 * K, K + 256));
  parallel_for(n_utiles, 1, [&](int64_t t0, int64_t t1) {
    const int64_t it_w = std::min(itile, n);
    const size_t s_bytes = sizeof(T) * size_t(ut) * size_t(it_w);
    // Scratch from the caching allocator, so repeated calls (one per user batch) map nothing new.
    T* s = static_cast<T*>(host_alloc(s_bytes));
    const size_t store_bytes = sizeof(Cand<T>) * size_t(ut) * size_t(cap), sel_bytes = sizeof(TopkBuffer<T>) * size_t(ut);
    Cand<T>* store = static_cast<Cand<T>*>(host_alloc(store_bytes));
    TopkBuffer<T>* sel = static_cast<TopkBuffer<T>*>(host_alloc(sel_bytes));
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t u0 = t * ut, bu = std::min(ut, b - u0);
      for (int64_t r = 0; r < bu; ++r) sel[r] = TopkBuffer<T>{store + r * cap, 0, cap, int32_t(K), false, T(0)};
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
          select_row_any<T>(row, bi, int32_t(i0), sel[r]);
        }
      }
      for (int64_t r = 0; r < bu; ++r) {
        TopkBuffer<T>& h = sel[r];
        if (h.size > K) h.compact();
        std::sort(h.buf, h.buf + K, cand_better<T>);
        for (int64_t q = 0; q < K; ++q) {
          out_v[(u0 + r) * K + q] = h.buf[q].v;
          out_i[(u0 + r) * K + q] = h.buf[q].i;
        }
      }
    }
    host_free(sel, sel_bytes);
    host_free(store, store_bytes);
    host_free(s, s_bytes);
  });
}

void score_topk_cpu(Call& c) {
  const ScoreTopkArgs a = score_topk_args(c, check_csr);
  if (a.b == 0) return;
  const int64_t ut = a.user_tile == 0 ? 128 : a.user_tile, itile = a.item_tile == 0 ? 2048 : a.item_tile;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    check_finite<T>(c, ptr<T>(c.in(0)), a.b, a.d, "user");
    check_finite<T>(c, ptr<T>(c.in(1)), a.n, a.d, "item");
    score_topk<T>(ptr<T>(c.in(0)), ptr<T>(c.in(1)), a.b, a.n, a.d, a.mp, a.mi, a.k, ut, itile, ptr<int32_t>(*a.oi), ptr<T>(*a.ov));
  });
}

}  // namespace
MMG_REGISTER_KERNEL("score_topk", MMG_CPU, score_topk_cpu);
}  // namespace mmg
