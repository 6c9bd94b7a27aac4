// Reduction bodies shared by the sum/mean/variance/row-wise ops (nvcc and g++; no CUDA header).
// The GPU kernels that use them are in block_reduce.cuh (CUDA backend), the host twins in
// native/emu/block_reduce.h. Every sum accumulates in double, in an order fixed by the shape:
//   - over all elements: block b sums the chunk [b·kSumChunk, (b+1)·kSumChunk) with kBlock
//     thread-strided partials and the shared-memory tree; one block sums the block results the
//     same way (the scheme of the CUDA backend's reduce.cuh, with the element function given by the op);
//   - over a row (a warp per row up to kWarpRowMaxCols entries, else a block per row): thread t
//     of the group sums elements t, t + group size, ..., then the xor butterfly (warp) or the tree;
//   - over rows (column sums): the CPU's own blocking (native/core/reduce.h col_sum), so the
//     column sums round exactly like the CPU's.
// The CPU sums rows and whole tensors with 8 interleaved lanes instead (core/reduce.h lane_sum),
// so those results differ from the CPU's only by the order of the double additions.
#pragma once
#include <cmath>
#include "body_common.h"

namespace mmg {
namespace body {

// Products and sums that nvcc must not contract into an FMA (the host build has no FMA either),
// so the GPU rounds each step exactly like the CPU and cuda-emu do.
#ifdef __CUDA_ARCH__
MMG_HD float mul_rn(float a, float b) { return __fmul_rn(a, b); }
MMG_HD double mul_rn(double a, double b) { return __dmul_rn(a, b); }
MMG_HD float add_rn(float a, float b) { return __fadd_rn(a, b); }
MMG_HD double add_rn(double a, double b) { return __dadd_rn(a, b); }
MMG_HD float sub_rn(float a, float b) { return __fsub_rn(a, b); }
MMG_HD double sub_rn(double a, double b) { return __dsub_rn(a, b); }
#else
MMG_HD float mul_rn(float a, float b) { return a * b; }
MMG_HD double mul_rn(double a, double b) { return a * b; }
MMG_HD float add_rn(float a, float b) { return a + b; }
MMG_HD double add_rn(double a, double b) { return a + b; }
MMG_HD float sub_rn(float a, float b) { return a - b; }
MMG_HD double sub_rn(double a, double b) { return a - b; }
#endif

// ---- all elements: two passes over chunks of kSumChunk (body_common.h) ----
MMG_HD int64_t sum_chunks(int64_t n) { return (n + kSumChunk - 1) / kSumChunk; }

// Thread t's partial of Σ f(j) over block b's chunk of [0, n).
template <typename F>
MMG_HD double chunk_partial(const F& f, int64_t n, int64_t b, int t) {
  const int64_t lo = b * kSumChunk, hi = hd_min(n, lo + kSumChunk);
  double s = 0;
  for (int64_t j = lo + t; j < hi; j += kBlock) s += f(j);
  return s;
}

// ---- one row per thread group: a warp for rows of up to kWarpRowMaxCols entries, else a block ----
// A 64-wide row gives a 256-thread block 64 busy threads and a 9-step tree; a warp per row keeps
// every lane busy and merges with 5 shuffles (body_common.h: kWarp, the xor butterfly). Rows wider
// than this keep a block each, so a few very wide rows still spread over many threads.
constexpr int64_t kWarpRowMaxCols = 1024;
MMG_HD bool warp_row_fits(int64_t n) { return n <= kWarpRowMaxCols; }

// Thread t's partial of Σ_j f(j) over a row of n entries, the group having `step` threads.
template <typename F>
MMG_HD double row_partial(const F& f, int64_t n, int t, int step = kBlock) {
  double s = 0;
  for (int64_t j = t; j < n; j += step) s += f(j);
  return s;
}

// Tree step of a block max: p[t] = max(p[t], p[t + s]) with the CPU's comparison (a NaN never
// replaces a number; rows holding a NaN come out NaN anyway through their sum).
template <typename T>
MMG_HD void tree_max_step(T* p, int t, int s) {
  if (t < s) p[t] = p[t + s] > p[t] ? p[t + s] : p[t];
}

// Thread t's partial max of x[0..n) (−inf when it has no element).
template <typename T>
MMG_HD T row_max_partial(const T* x, int64_t n, int t, int step = kBlock) {
  T m = T(-INFINITY);
  for (int64_t j = t; j < n; j += step) m = x[j] > m ? x[j] : m;
  return m;
}

// Element functions for the sums above (f(j) in double; f(r, j) = f(r·nc + j) for column sums).
template <typename T>
struct ReduceValue {  // x[j]
  const T* x;
  int64_t nc;  // only for f(r, j)
  MMG_HD double operator()(int64_t j) const { return double(x[j]); }
  MMG_HD double operator()(int64_t r, int64_t j) const { return double(x[r * nc + j]); }
};

template <typename T>
struct ReduceSquare {  // x[j]², not contracted into the running sum on the GPU
  const T* x;
  MMG_HD double operator()(int64_t j) const { return mul_rn(double(x[j]), double(x[j])); }
};

template <typename T>
struct ReduceProduct {  // x[j]·y[j]
  const T *x, *y;
  MMG_HD double operator()(int64_t j) const { return mul_rn(double(x[j]), double(y[j])); }
};

// ---- column sums of a [rows, cols] operand, in core/reduce.h col_sum's order ----
// Rows are split into col_blocks(rows) blocks of col_rows_per_block rows; block blk's sum of
// column j runs over its rows in order, then the blocks are added in order per column.
MMG_HD int64_t col_blocks(int64_t rows) { return hd_min<int64_t>(64, hd_max<int64_t>(1, rows / 256)); }
MMG_HD int64_t col_rows_per_block(int64_t rows) {
  const int64_t nb = col_blocks(rows);
  return (rows + nb - 1) / nb;
}

// part[blk·cols + j] = Σ_{r in block blk} f(r, j); thread i of the first pass is (blk, j) = (i / cols, i % cols).
template <typename F>
MMG_HD void col_block_sum(const F& f, int64_t rows, int64_t cols, int64_t i, double* part) {
  const int64_t blk = i / cols, j = i % cols, rb = col_rows_per_block(rows);
  const int64_t r1 = hd_min(rows, (blk + 1) * rb);
  double acc = 0;
  for (int64_t r = blk * rb; r < r1; ++r) acc += f(r, j);
  part[i] = acc;
}

// Σ over the blocks of column j, in block order (second pass, one thread per column).
MMG_HD double col_total(const double* part, int64_t nblocks, int64_t cols, int64_t j) {
  double s = 0;
  for (int64_t blk = 0; blk < nblocks; ++blk) s += part[blk * cols + j];
  return s;
}

}  // namespace body
}  // namespace mmg
