// Deterministic reductions shared by the reduction ops (sum, mean, row_norm, row_softmax, ...).
// Every sum accumulates in double and in an order fixed by the shape alone, never by the thread
// count or timing, so results are bit-identical from run to run and machine to machine.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>
#include "allocator.h"
#include "parallel.h"

namespace mmg {

// Elements per parallel chunk: big enough to amortize a pool wake-up, small enough to split work.
constexpr int64_t kGrain = 1 << 15;

// Rows per parallel chunk for row-wise ops over `cols` columns.
inline int64_t row_grain(int64_t cols) { return std::max<int64_t>(1, kGrain / std::max<int64_t>(cols, 1)); }

// Σ_{i<n} f(i) in double with 8 interleaved accumulators: a fixed order the compiler can vectorize
// (a single running sum would serialize on one add's latency and cannot be reordered).
template <typename F>
inline double lane_sum(int64_t n, F f) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += f(i + k);
  for (int k = 0; i < n; ++i, ++k) acc[k] += f(i);
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

// Σ_{i<n} f(i) over the whole range: fixed chunks of kGrain summed in parallel, then the chunk
// partials added in index order.
template <typename F>
inline double total_sum(int64_t n, F f) {
  if (n <= kGrain) return lane_sum(n, f);
  const int64_t nchunks = (n + kGrain - 1) / kGrain;
  std::vector<double> partial(static_cast<size_t>(nchunks), 0.0);  // n/32k doubles: small
  parallel_for(nchunks, 1, [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      const int64_t lo = c * kGrain, len = std::min(n - lo, kGrain);
      partial[c] = lane_sum(len, [&](int64_t i) { return f(lo + i); });
    }
  });
  double s = 0;
  for (double p : partial) s += p;
  return s;
}

// out[j] = Σ_r f(r, j) for a [rows, cols] operand (column sums), written through emit(j, sum).
// Rows are split into a number of blocks fixed by `rows`; each block's column sums go to a double
// scratch row (from the caching allocator), and the blocks are then added in order per column.
template <typename F, typename Emit>
inline void col_sum(int64_t rows, int64_t cols, F f, Emit emit) {
  if (cols == 0) return;
  const int64_t nblocks = std::min<int64_t>(64, std::max<int64_t>(1, rows / 256));
  const int64_t rb = (rows + nblocks - 1) / nblocks;
  const size_t bytes = sizeof(double) * static_cast<size_t>(nblocks * cols);
  double* part = static_cast<double*>(host_alloc(bytes));
  parallel_for(nblocks, 1, [&](int64_t b, int64_t e) {
    for (int64_t blk = b; blk < e; ++blk) {
      double* acc = part + blk * cols;
      std::fill(acc, acc + cols, 0.0);
      const int64_t r1 = std::min(rows, (blk + 1) * rb);
      for (int64_t r = blk * rb; r < r1; ++r)
        for (int64_t j = 0; j < cols; ++j) acc[j] += f(r, j);
    }
  });
  parallel_for(cols, kGrain / 8, [&](int64_t b, int64_t e) {
    for (int64_t j = b; j < e; ++j) {
      double s = 0;
      for (int64_t blk = 0; blk < nblocks; ++blk) s += part[blk * cols + j];
      emit(j, s);
    }
  });
  host_free(part, bytes);
}

}  // namespace mmg
