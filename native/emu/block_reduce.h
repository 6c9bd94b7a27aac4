// Host twins of block_reduce.cuh (CUDA backend) for cuda-emu: the same chunks, thread strides, trees and
// merge orders, so these round exactly like the GPU kernels (whose products are not contracted
// into FMAs: body::mul_rn).
#pragma once
#include <algorithm>
#include <vector>
#include "../core/hd/block_reduce.h"
#include "grid.h"

namespace mmg {
namespace emu {

// Twin of cuda::block_tree_max over body::kBlock partials.
template <typename T, typename F>
T block_max(F partial) {
  T p[body::kBlock];
  for (int t = 0; t < body::kBlock; ++t) p[t] = partial(t);
  BlockShared<T> sh;
  sh.phase([&](int t, T* s) { s[t] = p[t]; });
  for (int s = body::kBlock / 2; s > 0; s >>= 1) sh.phase([&](int t, T* q) { body::tree_max_step(q, t, s); });
  return sh.v[0];
}

// Twins of the row kernels' groups (cuda::RowGroup): f(r, nt) for every row r, nt = the group's
// thread count (a warp when body::warp_row_fits(nc), else a block).
template <typename F>
void for_row_groups(int64_t rows, int64_t nc, F f) {
  if (body::warp_row_fits(nc)) for_warp_rows(rows, nc, [&](int64_t r) { f(r, body::kWarp); });
  else for_blocks(rows, nc, [&](int64_t r) { f(r, body::kBlock); });
}
// RowGroup::sum over partial(t), t < nt.
template <typename T, typename F>
T group_sum(int nt, F partial) {
  return nt == body::kWarp ? warp_sum<T>(partial) : block_sum<T>(partial);
}
// RowGroup::max as thread t of the group sees it, into m[t] for t < nt.
template <typename T, typename F>
void group_max(int nt, F partial, T* m) {
  if (nt == body::kWarp) return warp_max_lanes<T>(partial, m);
  const T v = block_max<T>(partial);
  std::fill(m, m + nt, v);
}

// Twin of cuda::reduce_all: returns Σ_{j<n} f(j) (0 for n = 0).
template <typename F>
double reduce_all(int64_t n, const F& f) {
  const int64_t nb = body::sum_chunks(n);
  std::vector<double> partial(size_t(nb > 0 ? nb : 1));
  for_blocks(nb, body::kSumChunk, [&](int64_t b) {
    partial[size_t(b)] = block_sum<double>([&](int t) { return body::chunk_partial(f, n, b, t); });
  });
  return block_sum<double>([&](int t) { return body::strided_sum(partial.data(), 0, nb, t); });
}

// Twin of cuda::col_sums.
template <typename F, typename E>
void col_sums(int64_t rows, int64_t cols, const F& f, E emit) {
  if (cols == 0) return;
  const int64_t nb = body::col_blocks(rows);
  std::vector<double> part(size_t(nb * cols));
  for_threads(nb * cols, [&](int64_t i) { body::col_block_sum(f, rows, cols, i, part.data()); });
  for_threads(cols, [&](int64_t j) { emit(j, body::col_total(part.data(), nb, cols, j)); });
}

}  // namespace emu
}  // namespace mmg
