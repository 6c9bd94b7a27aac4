// Shared by the elementwise ops (abs, sign, exp, log, sigmoid, tanh, leaky_relu, log_sigmoid,
// scale, add, mul, dropout) on every device: the argument checks (unary_check,
// unary_backward_check: native/core/elementwise.h, the CPU kernels' own) and the bodies of the
// deterministic column sum behind the row-broadcast backwards (add_backward, mul_backward) on the
// GPU and the emulator. Launchers: elementwise.cuh (CUDA backend) (GPU), native/emu/elementwise.h (emulator).
#pragma once
#include "../core/elementwise.h"
#include "../core/hd/body_common.h"

namespace mmg {

namespace body {

// Column sums out[j] = Σ_r f(r, j) of a [rows, cols] operand, in double, deterministically and
// without atomics or shared memory: the rows are cut into `chunks` runs of `rb` rows (a number
// fixed by the shape alone); pass 1 has one thread per (chunk, column) summing its rows in order
// into part[chunk·cols + j] (consecutive threads read consecutive columns: coalesced); pass 2 has
// one thread per column adding the chunk partials in chunk order. With one chunk, pass 1 writes
// the result directly. The host twin (native/emu/elementwise.h) runs the same threads, so the
// emu's sums equal the GPU's bit for bit; the CPU's col_sum (native/core/reduce.h) cuts the rows
// differently (≤ 64 blocks of ≥ 256 rows), so it differs from both only in the double rounding.
constexpr int64_t kColRows = 64;        // at least this many rows per chunk ...
constexpr int64_t kColMaxChunks = 256;  // ... and at most this many chunks (bounds the scratch)

struct ColSumPlan {
  int64_t rows = 0, cols = 0, chunks = 1, rb = 0;
};

inline ColSumPlan col_sum_plan(int64_t rows, int64_t cols) {
  ColSumPlan p;
  p.rows = rows;
  p.cols = cols;
  p.chunks = hd_min<int64_t>(kColMaxChunks, hd_max<int64_t>(1, (rows + kColRows - 1) / kColRows));
  p.rb = (rows + p.chunks - 1) / p.chunks;
  return p;
}

// Pass 1: Σ f(r, j) over chunk `chunk`'s rows, in row order.
template <typename F>
MMG_HD double col_chunk_sum(const ColSumPlan& p, int64_t chunk, int64_t j, const F& f) {
  const int64_t r0 = chunk * p.rb, r1 = hd_min(p.rows, r0 + p.rb);
  double s = 0;
  for (int64_t r = r0; r < r1; ++r) s += f(r, j);
  return s;
}

// Pass 2: column j's chunk partials, in chunk order.
MMG_HD double col_chunks_total(const ColSumPlan& p, const double* part, int64_t j) {
  double s = 0;
  for (int64_t k = 0; k < p.chunks; ++k) s += part[k * p.cols + j];
  return s;
}

// b * a for mul and dropout_backward (one rounding, no contraction possible).
template <typename T>
struct MulOp {
  MMG_HD T operator()(T a, T b) const { return a * b; }
};

}  // namespace body
}  // namespace mmg
