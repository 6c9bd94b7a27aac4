// Block-per-row top-k, shared by score_topk and knn_graph on the CUDA backend (kernel:
// topk_rows.cuh (CUDA backend); cuda-emu twin: native/emu/topk_rows.h), plus the cuBLAS call that forms
// the rows (row-major S = Q·Iᵀ).
//
// Order (native/ops/topk_select.h): larger value first, equal values rank the LOWER index first.
// That is a total order for non-NaN values, so the k best of a row are one well-defined list and
// any correct selection returns exactly the CPU's list for the same scores.
//
// One block of kBlock threads per row of n values:
//   1. local: thread t keeps the best `cap` of its strided slice row[t], row[t + kBlock], ... in a
//      bounded heap (topk_select.h's scheme), then sorts it best first. cap = min(k, ⌈n/kBlock⌉),
//      so the kBlock lists of a row hold at most n + kBlock entries.
//   2. merge: a tree over adjacent lists: for s = 1, 2, 4, ..., kBlock/2, thread t with t % 2s == 0
//      merges its list with thread t+s's, keeping the best min(k, la + lb). Lists live in global
//      scratch, kBlock·cap entries per row and two buffers used in turn (a level reads one and
//      writes the other); the merged list of group [t, t+2s) is written from slot t onwards, into
//      slots only that group owns. Lengths live in shared memory; a __syncthreads() separates
//      the levels.
//   3. emit: after log2(kBlock) levels slot 0 holds the row's k best, best first; the threads copy
//      them out in a strided loop.
// The host twin runs the same three bodies over the same slots, threads and levels.
// Cost: phase 1 is O((n/kBlock)·log cap) per thread; the merges are sequential in one thread,
// O(k) per level, so the design targets the k ≤ a few hundred of recommendation metrics and kNN
// graphs (k = n still works, slowly).
#pragma once
#include <cstdint>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"
#include "../core/hd/lib_calls.h"

namespace mmg {
namespace body {

constexpr int kTopkLevels = 8;  // log2(kBlock)
static_assert((1 << kTopkLevels) == kBlock, "the merge tree covers kBlock lists");

template <typename T>
MMG_HD bool topk_better(T va, int32_t ia, T vb, int32_t ib) {
  return va > vb || (va == vb && ia < ib);
}

template <typename T>
MMG_HD void topk_swap(T* v, int32_t* ix, int32_t a, int32_t b) {
  const T tv = v[a];
  v[a] = v[b];
  v[b] = tv;
  const int32_t ti = ix[a];
  ix[a] = ix[b];
  ix[b] = ti;
}

// Heap whose root (slot 0) is the WORST kept entry.
template <typename T>
MMG_HD void topk_sift_down(T* v, int32_t* ix, int32_t size, int32_t pos) {
  for (;;) {
    const int32_t l = 2 * pos + 1;
    int32_t worst = pos;
    if (l < size && topk_better(v[worst], ix[worst], v[l], ix[l])) worst = l;
    if (l + 1 < size && topk_better(v[worst], ix[worst], v[l + 1], ix[l + 1])) worst = l + 1;
    if (worst == pos) return;
    topk_swap(v, ix, pos, worst);
    pos = worst;
  }
}

template <typename T>
MMG_HD void topk_heap_push(T* v, int32_t* ix, int32_t* size, int32_t cap, T val, int32_t i) {
  if (*size < cap) {
    int32_t pos = (*size)++;
    v[pos] = val;
    ix[pos] = i;
    while (pos > 0) {
      const int32_t parent = (pos - 1) / 2;
      if (!topk_better(v[parent], ix[parent], v[pos], ix[pos])) break;
      topk_swap(v, ix, pos, parent);
      pos = parent;
    }
  } else if (topk_better(val, i, v[0], ix[0])) {
    v[0] = val;
    ix[0] = i;
    topk_sift_down(v, ix, cap, 0);
  }
}

// Heap sort in place: best first.
template <typename T>
MMG_HD void topk_heap_sort(T* v, int32_t* ix, int32_t size) {
  for (int32_t end = size - 1; end > 0; --end) {
    topk_swap(v, ix, 0, end);
    topk_sift_down(v, ix, end, 0);
  }
}

// Sift-down in a max-heap ordered by column (values move along).
template <typename T>
MMG_HD void topk_sift_by_col(T* v, int32_t* ix, int32_t pos, int32_t len) {
  for (;;) {
    const int32_t l = 2 * pos + 1;
    int32_t big = pos;
    if (l < len && ix[l] > ix[big]) big = l;
    if (l + 1 < len && ix[l + 1] > ix[big]) big = l + 1;
    if (big == pos) return;
    topk_swap(v, ix, pos, big);
    pos = big;
  }
}

// A kept list (distinct columns) sorted by column in place: a max-heap on the column, then the
// root repeatedly moved to the end (knn_graph and cooccurrence_graph emit rows in column order).
template <typename T>
MMG_HD void topk_sort_by_col(T* v, int32_t* ix, int32_t len) {
  for (int32_t start = len / 2 - 1; start >= 0; --start) topk_sift_by_col(v, ix, start, len);
  for (int32_t end = len - 1; end > 0; --end) {
    topk_swap(v, ix, 0, end);
    topk_sift_by_col(v, ix, 0, end);
  }
}

// Phase 1 for thread t: the best `cap` of row[t], row[t + kBlock], ... into (v, ix), best first.
// Returns the list's length (< cap when the slice is shorter).
template <typename T>
MMG_HD int32_t topk_local(const T* row, int64_t n, int t, int32_t cap, T* v, int32_t* ix) {
  int32_t size = 0;
  for (int64_t j = t; j < n; j += kBlock) topk_heap_push(v, ix, &size, cap, row[j], int32_t(j));
  topk_heap_sort(v, ix, size);
  return size;
}

// Merges two best-first lists into (ov, oi), keeping the best min(k, la + lb). Returns the length.
template <typename T>
MMG_HD int32_t topk_merge(const T* av, const int32_t* ai, int32_t la, const T* bv, const int32_t* bi, int32_t lb, int32_t k, T* ov,
                          int32_t* oi) {
  const int32_t len = la + lb < k ? la + lb : k;
  int32_t a = 0, b = 0;
  for (int32_t o = 0; o < len; ++o) {
    if (b >= lb || (a < la && topk_better(av[a], ai[a], bv[b], bi[b]))) {
      ov[o] = av[a];
      oi[o] = ai[a++];
    } else {
      ov[o] = bv[b];
      oi[o] = bi[b++];
    }
  }
  return len;
}

// Phase 2, level s (1, 2, 4, ..., kBlock/2), thread t: lists of one row at slots t·cap, in (iv, ii),
// lengths in len[] (shared memory on the GPU).
template <typename T>
MMG_HD void topk_merge_step(int t, int s, int32_t cap, int32_t k, int32_t* len, const T* iv, const int32_t* ii, T* ov, int32_t* oi) {
  if (t % (2 * s) != 0) return;
  const int64_t a = int64_t(t) * cap, b = int64_t(t + s) * cap;
  len[t] = topk_merge(iv + a, ii + a, len[t], iv + b, ii + b, len[t + s], k, ov + a, oi + a);
}

// Phase 3, thread t: the first k entries of slot 0 to the row's outputs.
template <typename T>
MMG_HD void topk_emit(int t, int32_t k, const T* v, const int32_t* ix, T* out_v, int32_t* out_i) {
  for (int32_t q = t; q < k; q += kBlock) {
    out_v[q] = v[q];
    out_i[q] = ix[q];
  }
}

}  // namespace body

// Per-thread list capacity for rows of n values and k kept.
inline int32_t topk_cap(int64_t n, int64_t k) {
  const int64_t slice = (n + body::kBlock - 1) / body::kBlock;
  return int32_t(slice < k ? slice : k);
}

// Scratch entries (per buffer) the lists of `rows` rows need.
inline int64_t topk_list_entries(int64_t rows, int32_t cap) { return rows * body::kBlock * int64_t(cap); }

// Rows per step so that one step's scores (rows·n values) and list buffers stay within ~256 MiB;
// at least 1, at most `rows`, and at most `limit` when limit > 0.
inline int64_t topk_rows_per_step(int64_t rows, int64_t n, int32_t cap, size_t value_bytes, int64_t limit) {
  const int64_t budget = int64_t(256) << 20;
  const int64_t per_row = n * int64_t(value_bytes) + 2 * int64_t(body::kBlock) * cap * int64_t(value_bytes + 4);
  int64_t r = budget / (per_row > 0 ? per_row : 1);
  if (r < 1) r = 1;
  if (limit > 0 && r > limit) r = limit;
  return r < rows ? r : rows;
}

// cuBLAS call for the row-major scores S[nq × n_items] = Q·Iᵀ (Q [nq × d], I [n_items × d], both
// row-major, ldc = n_items). Column-major, S is Sᵀ [n_items × nq] = I·Qᵀ: A = I read as the
// column-major [d × n_items] and transposed (lda = d), B = Q read as column-major [d × nq] (ldb = d).
// d = 0 gives zeros and must not reach cuBLAS (lda = 0 is invalid): callers clear S instead.
inline GemmCall scores_gemm(int32_t dtype, const void* items, int64_t n_items, const void* q, int64_t nq, int64_t d, void* S) {
  GemmCall g;
  g.dtype = dtype;
  g.trans_a = true;
  g.trans_b = false;
  g.m = n_items;
  g.n = nq;
  g.k = d;
  g.A = items;
  g.lda = d;
  g.B = q;
  g.ldb = d;
  g.C = S;
  g.ldc = n_items;
  g.alpha = 1;
  g.beta = 0;
  return g;
}

}  // namespace mmg
