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
#include <cstring>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#include "score_topk.h"  // score_topk_args, score_topk_not_finite (shared with the CUDA port)
#include "../core/allocator.h"
#include "../core/cpu_dispatch.h"
#include "../core/gemm.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "../core/row_lse.h"  // HostBuf
#include "csr_check.h"
#include "score_topk_panel.h"
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

// The fused float32 path (score_topk_panel.h): items packed once into panels. User tiles of `ut`
// users (rounded up to whole micro blocks) run in parallel; inside a tile the items go in chunks
// of `chunk` panels: every micro block of the tile scores the chunk (its panels stay in L2) into
// S [ut × chunk·NR], then each user's chunk of scores, with its masked items set to −1e10, is
// offered to its selection by threshold (SCORE_SELECT_FN: a few vector passes per chunk, where
// comparing every panel's scores with a per-user threshold in the micro-kernel cost a mispredicted
// branch per user and panel and as much time as the scoring).
struct FusedJob {
  const float *u, *it;
  int64_t b, n, d;
  const int32_t *mp, *mi;
  int64_t K, ut, chunk, n_panels;
  int32_t cap;
  float* packed;
  int32_t* out_i;
  float* out_v;
};

#if MMG_X86_DISPATCH
#define SCORE_VB 64
#define SCORE_TILE_FN fused_tile_avx512
#define SCORE_COMPACT_FN compact_avx512
#define SCORE_SELECT_FN select_avx512
#define SCORE_FINISH_FN finish_avx512
#define SCORE_TILE_TARGET MMG_TARGET_AVX512
#include "score_topk_tile.inc"
#undef SCORE_VB
#undef SCORE_TILE_FN
#undef SCORE_COMPACT_FN
#undef SCORE_SELECT_FN
#undef SCORE_FINISH_FN
#undef SCORE_TILE_TARGET
#define SCORE_VB 32
#define SCORE_TILE_FN fused_tile_avx2
#define SCORE_COMPACT_FN compact_avx2
#define SCORE_SELECT_FN select_avx2
#define SCORE_FINISH_FN finish_avx2
#define SCORE_TILE_TARGET MMG_TARGET_AVX2
#include "score_topk_tile.inc"
#undef SCORE_VB
#undef SCORE_TILE_FN
#undef SCORE_COMPACT_FN
#undef SCORE_SELECT_FN
#undef SCORE_FINISH_FN
#undef SCORE_TILE_TARGET
#endif

// User tiles [t0, t1) of the job.
void fused_tiles(const FusedJob& j, bool wide, int64_t t0, int64_t t1) {
#if MMG_X86_DISPATCH
  const int64_t ut = j.ut, d = j.d, nr = wide ? score_panel::Shape<64>::NR : score_panel::Shape<32>::NR, lds = j.chunk * nr;
  const int64_t slot = int64_t(j.cap) + score_panel::kMaxNR;  // slack for full-vector stores
  // Scratch from the caching allocator (nothing new mapped per call), freed also when a data error
  // (score_panel::Selection::compact) unwinds.
  rowlse::HostBuf<float> vals_buf(ut * slot), scratch_buf(slot), scores_buf(ut * lds);
  rowlse::HostBuf<int32_t> idx_buf(ut * slot);
  rowlse::HostBuf<float> work_buf(lds + 16);  // a chunk's block maxima and their keys
  rowlse::HostBuf<score_panel::Selection> sel_buf(ut);
  float *vals = vals_buf.p, *scratch = scratch_buf.p, *S = scores_buf.p;
  int32_t* idx = idx_buf.p;
  score_panel::Selection* sel = sel_buf.p;
  const int32_t *mp = j.mp, *mi = j.mi;
  for (int64_t t = t0; t < t1; ++t) {
    const int64_t u0 = t * ut, bu = std::min(ut, j.b - u0);
    for (int64_t r = 0; r < bu; ++r) sel[r] = score_panel::Selection{vals + r * slot, idx + r * slot, scratch, 0, j.cap, int32_t(j.K), false, 0.f};
    for (int64_t p0 = 0; p0 < j.n_panels; p0 += j.chunk) {
      const int64_t p1 = std::min(j.n_panels, p0 + j.chunk), i0 = p0 * nr, m = std::min(j.n, p1 * nr) - i0;
      if (wide) fused_tile_avx512(j.u + u0 * d, d, bu, j.packed, p0, p1, S, lds);
      else fused_tile_avx2(j.u + u0 * d, d, bu, j.packed, p0, p1, S, lds);
      for (int64_t r = 0; r < bu; ++r) {
        float* s = S + r * lds;
        if (mp)  // a masked item is worth exactly -1e10 (still rankable, as MMRec)
          for (int32_t q = mp[u0 + r]; q < mp[u0 + r + 1]; ++q)
            if (mi[q] >= i0 && mi[q] < i0 + m) s[mi[q] - i0] = -1e10f;
        if (wide) select_avx512(sel[r], s, m, i0, work_buf.p);
        else select_avx2(sel[r], s, m, i0, work_buf.p);
      }
    }
    for (int64_t r = 0; r < bu; ++r) {
      if (sel[r].size > sel[r].k || !sel[r].full) (wide ? compact_avx512 : compact_avx2)(sel[r]);
      (wide ? finish_avx512 : finish_avx2)(sel[r], j.out_v + (u0 + r) * j.K, j.out_i + (u0 + r) * j.K);
    }
  }
#else
  (void)j, (void)wide, (void)t0, (void)t1;
#endif
}

// Whether the fused path serves this call (float32 on a CPU with FMA); otherwise the tiled path.
bool score_topk_fused(const float* u, const float* it, int64_t b, int64_t n, int64_t d, const int32_t* mp, const int32_t* mi, int64_t K,
                      int64_t ut, int64_t itile, int32_t* oi, float* ov) {
#if MMG_X86_DISPATCH
  if (d <= 0) return false;
  const bool wide = cpu_has_avx512();
  if (!wide && !cpu_has_avx2_fma()) return false;
  const int nr = wide ? score_panel::Shape<64>::NR : score_panel::Shape<32>::NR, mr = wide ? score_panel::Shape<64>::MR : score_panel::Shape<32>::MR;
  FusedJob j{u, it, b, n, d, mp, mi, K, 0, 0, 0, int32_t(2 * K + 64 + score_panel::kMaxNR), nullptr, oi, ov};
  j.n_panels = (n + nr - 1) / nr;
  // The tile sizes only tune speed (the answer does not depend on them); bounded so a tile's
  // scores (ut × chunk·NR floats) stay a few MB whatever the caller asks.
  j.ut = (std::min<int64_t>(std::min(ut, b), 512) + mr - 1) / mr * mr;
  j.chunk = std::min<int64_t>(std::clamp<int64_t>(itile / nr, 1, 128), j.n_panels);
  rowlse::HostBuf<float> packed(j.n_panels * d * nr);
  j.packed = packed.p;
  {
    parallel_for(j.n_panels, 64, [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; ++p) score_panel::pack_panel(it, n, d, p, nr, j.packed + p * d * nr);
    });
    parallel_for((b + j.ut - 1) / j.ut, 1, [&](int64_t t0, int64_t t1) { fused_tiles(j, wide, t0, t1); });
  }
  return true;
#else
  (void)u, (void)it, (void)b, (void)n, (void)d, (void)mp, (void)mi, (void)K, (void)ut, (void)itile, (void)oi, (void)ov;
  return false;
#endif
}

bool score_topk_fused(const double*, const double*, int64_t, int64_t, int64_t, const int32_t*, const int32_t*, int64_t, int64_t, int64_t,
                      int32_t*, double*) {
  return false;  // float64 keeps the tiled path
}

void score_topk_cpu(Call& c) {
  const ScoreTopkArgs a = score_topk_args(c, check_csr);
  if (a.b == 0) return;
  const int64_t ut = a.user_tile == 0 ? 128 : a.user_tile, itile = a.item_tile == 0 ? 2048 : a.item_tile;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    check_finite<T>(c, ptr<T>(c.in(0)), a.b, a.d, "user");
    check_finite<T>(c, ptr<T>(c.in(1)), a.n, a.d, "item");
    if (score_topk_fused(ptr<T>(c.in(0)), ptr<T>(c.in(1)), a.b, a.n, a.d, a.mp, a.mi, a.k, a.user_tile == 0 ? 96 : a.user_tile,
                         a.item_tile == 0 ? 1024 : a.item_tile, ptr<int32_t>(*a.oi), ptr<T>(*a.ov)))
      return;
    score_topk<T>(ptr<T>(c.in(0)), ptr<T>(c.in(1)), a.b, a.n, a.d, a.mp, a.mi, a.k, ut, itile, ptr<int32_t>(*a.oi), ptr<T>(*a.ov));
  });
}

}  // namespace
MMG_REGISTER_KERNEL("score_topk", MMG_CPU, score_topk_cpu);
}  // namespace mmg
