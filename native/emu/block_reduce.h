// Host twins of block_reduce.cuh (CUDA backend) for cuda-emu: the same chunks, thread strides, trees and
// merge orders, so these round exactly like the GPU kernels (whose products are not contracted
// into FMAs: body::mul_rn).
#pragma once
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
  for (int s = body::kBlock / 2; s > 0; s >>= 1)
    for (int t = 0; t < s; ++t) body::tree_max_step(p, t, s);
  return p[0];
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
