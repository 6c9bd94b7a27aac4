// Twin of cuda::topk_rows (the CUDA backend's topk_rows.cuh): per row ("block"), phase 1 for threads
// 0..kBlock-1, then each merge level for every thread, then the emit, over the same slots and the
// same two list buffers (bodies: native/ops/topk_rows.h).
#pragma once
#include <vector>
#include "../ops/topk_rows.h"
#include "grid.h"

namespace mmg {
namespace emu {

template <typename T>
void topk_rows(const T* S, int64_t rows, int64_t n, int32_t k, int32_t cap, T* out_v, int32_t* out_i) {
  if (rows == 0) return;
  const int64_t entries = topk_list_entries(rows, cap);
  std::vector<T> v0(static_cast<size_t>(entries)), v1(static_cast<size_t>(entries));
  std::vector<int32_t> i0(static_cast<size_t>(entries)), i1(static_cast<size_t>(entries));
  for_blocks(rows, n, [&](int64_t r) {
    const int64_t base = r * body::kBlock * int64_t(cap);
    T *a_v = v0.data() + base, *b_v = v1.data() + base;
    int32_t *a_i = i0.data() + base, *b_i = i1.data() + base;
    int32_t len[body::kBlock];
    for (int t = 0; t < body::kBlock; ++t)
      len[t] = body::topk_local(S + r * n, n, t, cap, a_v + int64_t(t) * cap, a_i + int64_t(t) * cap);
    bool in0 = true;
    for (int s = 1; s < body::kBlock; s <<= 1) {
      // One barrier interval per merge level, race-checked (grid.h list_phase).
      list_phase(len, a_v, a_i, b_v, b_i, int64_t(body::kBlock) * cap, [&](int t) {
        if (in0) body::topk_merge_step(t, s, cap, k, len, a_v, a_i, b_v, b_i);
        else body::topk_merge_step(t, s, cap, k, len, b_v, b_i, a_v, a_i);
      });
      in0 = !in0;
    }
    for (int t = 0; t < body::kBlock; ++t) body::topk_emit(t, k, in0 ? a_v : b_v, in0 ? a_i : b_i, out_v + r * k, out_i + r * k);
  });
}

}  // namespace emu
}  // namespace mmg
