// The block-per-row top-k kernel (bodies and design: topk_rows.h), for the .cu files that
// select from score rows (score_topk, knn_graph).
#pragma once
#include "../common.cuh"
#include "../../native/ops/topk_rows.h"

namespace mmg {
namespace cuda {

// Block r selects the k best of S[r, 0..n) into out_v/out_i [r·k .. r·k + k). (v0, i0) and
// (v1, i1) are the two list buffers, topk_list_entries(rows, cap) entries each.
template <typename T>
__global__ void topk_rows_kernel(const T* S, int64_t n, int32_t k, int32_t cap, T* v0, int32_t* i0, T* v1, int32_t* i1, T* out_v,
                                 int32_t* out_i) {
  __shared__ int32_t len[body::kBlock];
  const int64_t r = blockIdx.x;
  const int t = threadIdx.x;
  const int64_t base = r * body::kBlock * int64_t(cap);
  v0 += base;
  i0 += base;
  v1 += base;
  i1 += base;
  len[t] = body::topk_local(S + r * n, n, t, cap, v0 + int64_t(t) * cap, i0 + int64_t(t) * cap);
  __syncthreads();
  bool in0 = true;  // which buffer holds the current lists
  for (int s = 1; s < body::kBlock; s <<= 1) {
    if (in0) body::topk_merge_step(t, s, cap, k, len, v0, i0, v1, i1);
    else body::topk_merge_step(t, s, cap, k, len, v1, i1, v0, i0);
    in0 = !in0;
    __syncthreads();
  }
  body::topk_emit(t, k, in0 ? v0 : v1, in0 ? i0 : i1, out_v + r * k, out_i + r * k);
}

// Lists for up to max_rows rows per launch, from the caching allocator.
template <typename T>
struct TopkLists {
  TopkLists(int64_t max_rows, int32_t cap, const char* op)
      : n(topk_list_entries(max_rows, cap)), v(uint64_t(2 * n) * sizeof(T), op), i(uint64_t(2 * n) * sizeof(int32_t), op) {}
  int64_t n;
  Scratch v, i;
};

template <typename T>
void topk_rows(const char* op, const T* S, int64_t rows, int64_t n, int32_t k, int32_t cap, const TopkLists<T>& lists, T* out_v,
               int32_t* out_i) {
  if (rows == 0) return;
  T* v = lists.v.template as<T>();
  int32_t* ix = lists.i.template as<int32_t>();
  topk_rows_kernel<T><<<unsigned(rows), body::kBlock, 0, stream()>>>(S, n, k, cap, v, ix, v + lists.n, ix + lists.n, out_v, out_i);
  check_launch(op, "topk_rows_kernel");
}

}  // namespace cuda
}  // namespace mmg
