// Bounded top-k selection shared by knn_graph and score_topk: a min-heap of the k best
// (value, index) pairs seen so far, in caller-owned arrays so a kernel can keep one per row.
// Order: larger value first; equal values rank the LOWER index first. This is a total order for
// non-NaN values, so the selected set does not depend on the order candidates arrive in.
// Each function is a small pure per-row routine (easy to port to a __device__ body).
#pragma once
#include <cstdint>

namespace mmg {

template <typename T>
inline bool topk_better(T va, int32_t ia, T vb, int32_t ib) {
  return va > vb || (va == vb && ia < ib);
}

template <typename T>
inline void topk_sift_down(T* val, int32_t* idx, int32_t size, int32_t pos) {
  for (;;) {
    int32_t l = 2 * pos + 1, worst = pos;
    if (l < size && topk_better(val[worst], idx[worst], val[l], idx[l])) worst = l;
    if (l + 1 < size && topk_better(val[worst], idx[worst], val[l + 1], idx[l + 1])) worst = l + 1;
    if (worst == pos) return;
    T tv = val[pos]; val[pos] = val[worst]; val[worst] = tv;
    int32_t ti = idx[pos]; idx[pos] = idx[worst]; idx[worst] = ti;
    pos = worst;
  }
}

// Offers (v, i) to a heap currently holding *size of at most k entries; the root (slot 0) is the
// worst kept entry, so a full heap's admission test is one comparison against val[0].
template <typename T>
inline void topk_push(T* val, int32_t* idx, int32_t* size, int32_t k, T v, int32_t i) {
  if (*size < k) {
    int32_t pos = (*size)++;
    val[pos] = v;
    idx[pos] = i;
    while (pos > 0) {  // sift up: a better entry moves toward the leaves
      int32_t parent = (pos - 1) / 2;
      if (!topk_better(val[parent], idx[parent], val[pos], idx[pos])) break;
      T tv = val[pos]; val[pos] = val[parent]; val[parent] = tv;
      int32_t ti = idx[pos]; idx[pos] = idx[parent]; idx[parent] = ti;
      pos = parent;
    }
  } else if (topk_better(v, i, val[0], idx[0])) {
    val[0] = v;
    idx[0] = i;
    topk_sift_down(val, idx, k, 0);
  }
}

// Turns a heap of `size` entries into best-first order in place (heap sort).
template <typename T>
inline void topk_sort_best_first(T* val, int32_t* idx, int32_t size) {
  for (int32_t end = size - 1; end > 0; --end) {
    T tv = val[0]; val[0] = val[end]; val[end] = tv;
    int32_t ti = idx[0]; idx[0] = idx[end]; idx[end] = ti;
    topk_sift_down(val, idx, end, 0);
  }
}

}  // namespace mmg
