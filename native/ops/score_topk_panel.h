// score_topk's fused float32 path, the parts shared by its SIMD copies (score_topk_tile.inc holds
// the kernels, compiled once per ISA): items packed once per call into panels of NR items,
// [panel][d][NR]; an MR-user micro block computes its MR × NR scores as register accumulators
// (one FMA chain per score, over d in order) and stores them to an L2-resident chunk of scores;
// each user's chunk then goes through a threshold selection in a few vector passes (only scores
// that can still rank reach the user's candidate buffer). The tiled path re-packed the items for
// every user tile and ran the selection per score.
//
// Same answer as the tiled path: a score is one FMA chain over d in order (so it does not depend on
// tile sizes, thread count or which SIMD copy runs), masked items are worth exactly -1e10, and the
// selection below is exact under the order "larger score first, equal scores: lower index first".
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>

namespace mmg {
namespace score_panel {

template <int VB>
struct Shape {
  static constexpr int W = VB / 4;              // floats per vector
  static constexpr int NR = 2 * W;              // items per panel: two vectors
  static constexpr int MR = VB == 64 ? 12 : 6;  // users per micro block: 2·MR accumulators
};
constexpr int kMaxNR = 32;

// Packs items [n, d] into panel p of [ceil(n/NR)][d][NR], zero-padded past n (padding lanes are
// never offered).
inline void pack_panel(const float* it, int64_t n, int64_t d, int64_t p, int nr, float* dst) {
  const int64_t i0 = p * nr, ni = std::min<int64_t>(nr, n - i0);
  for (int64_t k = 0; k < d; ++k) {
    float* row = dst + k * nr;
    for (int64_t j = 0; j < ni; ++j) row[j] = it[(i0 + j) * d + k];
    for (int64_t j = ni; j < nr; ++j) row[j] = 0.f;
  }
}

// Order-preserving map of a float to an unsigned key (larger float, larger key; -0 < +0).
inline uint32_t float_key(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
inline float key_float(uint32_t key) {
  const uint32_t u = (key & 0x80000000u) ? (key & 0x7fffffffu) : ~key;
  float f;
  __builtin_memcpy(&f, &u, 4);
  return f;
}

// The k-th largest of v[0, n) (1 <= k <= n), exactly: the largest key T with at least k keys >= T,
// built bit by bit from the most significant one. Each bit costs one counting pass, a loop the
// compiler vectorizes (compare + add, no branch), so ~20 passes over ~150 keys cost less than one
// byte-histogram round did (a 1 KiB count array to clear, dependent increments, a 256-bucket scan).
// `work` holds n keys rounded up to a multiple of 16. Bits above the highest one where the
// smallest and largest keys differ are common to every key, the answer included, and are taken as
// they are.
inline float radix_kth(const float* v, int32_t n, int32_t k, uint32_t* work) {
  uint32_t lo = 0xffffffffu, hi = 0;
  for (int32_t q = 0; q < n; ++q) {
    const uint32_t key = float_key(v[q]);
    work[q] = key;
    lo = std::min(lo, key);
    hi = std::max(hi, key);
  }
  if (lo == hi) return key_float(lo);
  // Zero keys pad the counting passes to whole 16-key vectors (no scalar remainder loop); every
  // candidate below has a bit set, so a zero key is never counted.
  const int32_t n16 = (n + 15) & ~15;
  for (int32_t q = n; q < n16; ++q) work[q] = 0;
  const int top = 31 - __builtin_clz(lo ^ hi);  // highest bit where keys differ
  uint32_t t = hi & ~((2u << top) - 1u);        // top = 31: 2u << 31 wraps to 0, nothing is common
  for (int bit = top; bit >= 0; --bit) {
    const uint32_t cand = t | (1u << bit);
    int32_t count = 0;
    for (int32_t q = 0; q < n16; ++q) count += work[q] >= cand;
    if (count == k) {  // exactly k keys are >= cand: the k-th largest is the least of them
      uint32_t least = 0xffffffffu;
      for (int32_t q = 0; q < n16; ++q) least = std::min(least, work[q] | (0u - uint32_t(work[q] < cand)));  // vectorizes
      return key_float(least);
    }
    if (count > k) t = cand;
  }
  return key_float(t);
}

// One user's candidates, values and indices apart (so a SIMD copy can append a compressed vector
// of each). Invariant once `full`: thr is the K-th best of a set of items that all precede every
// item still to come, so an item not above thr cannot enter the top K (a tie loses to the earlier
// index), and whatever is appended above it is sorted out by the next compaction.
struct Selection {
  float* v;
  int32_t* i;
  float* scratch;  // cap + 16 floats for compaction
  int32_t size, cap, k;
  bool full;
  float thr;

  // Keeps the K best: finds the K-th largest value τ (radix_kth), keeps every entry above τ and, of
  // those equal to τ, the lowest indices. Branch-free passes: the candidates come in random order,
  // and nth_element's comparisons mispredicted so often that compacting cost more than scoring.
  // compact() is the baseline copy (out of line); the SIMD copies call compact_body() from their
  // own targeted wrapper, where its counting loops vectorize at their width.
  __attribute__((noinline)) void compact() { compact_body(); }
  inline void compact_body() {
    const float tau = radix_kth(v, size, k, reinterpret_cast<uint32_t*>(scratch));
    int32_t* ties = reinterpret_cast<int32_t*>(scratch);  // free again once τ is known
    int32_t n_ties = 0, kept = 0;
    for (int32_t q = 0; q < size; ++q) {
      ties[n_ties] = i[q];
      n_ties += v[q] == tau;
    }
    for (int32_t q = 0; q < size; ++q) {
      const float x = v[q];
      const int32_t ix = i[q];
      v[kept] = x;
      i[kept] = ix;
      kept += x > tau;
    }
    settle(tau, kept, ties, n_ties);
  }
  // After a compaction kept the `kept` entries above τ in place and listed the items scoring
  // exactly τ in ties: fills the K slots with the lowest-index ties.
  void settle(float tau, int32_t kept, int32_t* ties, int32_t n_ties) {
    // 1 <= need <= n_ties, since τ is the K-th largest. No score is NaN here: the inputs are
    // finite and each score is one FMA chain, whose exact products cannot overflow, so a score
    // saturates at ±inf and stays there (inf − inf never occurs).
    const int32_t need = k - kept;
    if (need < n_ties) std::nth_element(ties, ties + need, ties + n_ties);
    for (int32_t q = 0; q < need; ++q) {
      v[kept] = tau;
      i[kept++] = ties[q];
    }
    size = k;
    thr = tau;
    full = true;
  }
};

// Up to this K, write_sorted ranks by counting (K² vectorized compares) instead of sorting.
constexpr int32_t kRankSortMax = 128;

// Sorts the K kept candidates best first (compacting first if more are held) into out_v/out_i.
// write_sorted: the same for a selection already holding exactly its K best (the SIMD copies call it
// from their targeted wrapper, where the ranking loop vectorizes at their width).
__attribute__((always_inline)) inline void write_sorted(Selection& h, float* out_v, int32_t* out_i);
inline void finish(Selection& h, float* out_v, int32_t* out_i) {
  if (h.size > h.k || !h.full) h.compact();
  write_sorted(h, out_v, out_i);
}
__attribute__((always_inline)) inline void write_sorted(Selection& h, float* out_v, int32_t* out_i) {
  // One 64-bit key per entry, larger first: the score's order-preserving key above the inverted
  // index (equal scores: lower index first), so the sort compares plain integers.
  uint64_t* key = reinterpret_cast<uint64_t*>(h.scratch);  // scratch holds cap >= 2K floats
  for (int32_t q = 0; q < h.k; ++q) key[q] = uint64_t(float_key(h.v[q])) << 32 | uint32_t(~uint32_t(h.i[q]));
  if (h.k <= kRankSortMax) {
    // The keys are distinct (the index part is), so each one's rank is the number of larger keys:
    // K² compares in a loop that vectorizes and never branches, where a comparison sort
    // mispredicted on about half of its ~K·log K comparisons.
    for (int32_t a = 0; a < h.k; ++a) {
      const uint64_t x = key[a];
      int32_t rank = 0;
      for (int32_t b = 0; b < h.k; ++b) rank += key[b] > x;
      out_v[rank] = key_float(uint32_t(x >> 32));
      out_i[rank] = int32_t(~uint32_t(x));
    }
    return;
  }
  std::sort(key, key + h.k, [](uint64_t a, uint64_t b) { return a > b; });
  for (int32_t q = 0; q < h.k; ++q) {
    out_v[q] = key_float(uint32_t(key[q] >> 32));
    out_i[q] = int32_t(~uint32_t(key[q]));
  }
}

}  // namespace score_panel
}  // namespace mmg
