// GPU side of cuda/block_reduce.h: the deterministic reductions the sum/mean/variance and row-wise
// ops share. Host twins with the same chunks, strides and trees: cuda/emu/block_reduce.h.
#pragma once
#include "../native/core/hd/block_reduce.h"
#include "common.cuh"

namespace mmg {
namespace cuda {

// Block-wide max with the tree of body::tree_max_step (valid in every thread).
template <typename T>
__device__ T block_tree_max(T v, T* shared) {
  const int t = threadIdx.x;
  shared[t] = v;
  __syncthreads();
  for (int s = body::kBlock / 2; s > 0; s >>= 1) {
    body::tree_max_step(shared, t, s);
    __syncthreads();
  }
  T r = shared[0];
  __syncthreads();
  return r;
}

// The thread group that owns one row of a row kernel (block_reduce.h: warp_row_fits picks it):
// its size, the thread's index in it, its rows and its reductions (valid in every thread).
template <int NT>
struct RowGroup;
template <>
struct RowGroup<body::kWarp> {
  static constexpr int size = body::kWarp;
  static unsigned grid(int64_t rows) { return warp_row_blocks(rows); }
  static __device__ int thread() { return lane_index(); }
  static __device__ int64_t first() { return int64_t(blockIdx.x) * body::kWarpRows + threadIdx.x / body::kWarp; }
  static __device__ int64_t stride() { return int64_t(gridDim.x) * body::kWarpRows; }
  template <typename T>
  static __device__ T sum(T v, T*) { return warp_sum(v); }
  template <typename T>
  static __device__ T max(T v, T*) { return warp_max(v); }
};
template <>
struct RowGroup<body::kBlock> {
  static constexpr int size = body::kBlock;
  static unsigned grid(int64_t rows);
  static __device__ int thread() { return threadIdx.x; }
  static __device__ int64_t first() { return blockIdx.x; }
  static __device__ int64_t stride() { return gridDim.x; }
  template <typename T>
  static __device__ T sum(T v, T* sh) { return block_tree_sum(v, sh); }
  template <typename T>
  static __device__ T max(T v, T* sh) { return block_tree_max(v, sh); }
};
using WarpRows = RowGroup<body::kWarp>;
using BlockRows = RowGroup<body::kBlock>;
// Rows G::first(), + G::stride(), ...: uniform in the group, so its barriers/shuffles stay legal.
#define MMG_GROUP_ROWS(G, r, nrows) for (int64_t r = G::first(); r < (nrows); r += G::stride())

// Grid for a block-per-row kernel; rows beyond it are taken by a block-stride loop (MMG_BLOCK_ROWS).
inline unsigned row_blocks(int64_t rows) {
  return static_cast<unsigned>(rows < 1 ? 1 : (rows > 65535 * 16 ? 65535 * 16 : rows));
}
inline unsigned RowGroup<body::kBlock>::grid(int64_t rows) { return row_blocks(rows); }
// Every block walks rows blockIdx.x, blockIdx.x + gridDim.x, ... (uniform in the block, so the
// __syncthreads() of the block reductions inside stay legal).
#define MMG_BLOCK_ROWS(r, nrows) for (int64_t r = blockIdx.x; r < (nrows); r += gridDim.x)

template <typename F>
__global__ void reduce_all_partials_kernel(F f, int64_t n, double* partial) {
  __shared__ double sh[body::kBlock];
  const double s = block_tree_sum(body::chunk_partial(f, n, blockIdx.x, threadIdx.x), sh);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

template <typename E>
__global__ void reduce_all_finish_kernel(const double* partial, int64_t nb, E emit) {
  __shared__ double sh[body::kBlock];
  const double s = block_tree_sum(body::strided_sum(partial, 0, nb, threadIdx.x), sh);
  if (threadIdx.x == 0) emit(s);
}

// emit(Σ_{j<n} f(j)) on the device, in one thread, after the two passes (f and emit are
// __host__ __device__ functors passed by value). n = 0 emits 0.
template <typename F, typename E>
void reduce_all(int64_t n, F f, E emit, const char* op) {
  const int64_t nb = body::sum_chunks(n);
  Scratch partial(uint64_t(nb > 0 ? nb : 1) * sizeof(double), op);
  if (nb > 0) reduce_all_partials_kernel<F><<<unsigned(nb), body::kBlock, 0, stream()>>>(f, n, partial.as<double>());
  reduce_all_finish_kernel<E><<<1, body::kBlock, 0, stream()>>>(partial.as<double>(), nb, emit);
  check_launch(op, "reduce_all kernels");
}

template <typename F>
__global__ void col_block_sum_kernel(F f, int64_t rows, int64_t cols, double* part) {
  MMG_GRID_STRIDE(i, body::col_blocks(rows) * cols) body::col_block_sum(f, rows, cols, i, part);
}

template <typename E>
__global__ void col_total_kernel(const double* part, int64_t nblocks, int64_t cols, E emit) {
  MMG_GRID_STRIDE(j, cols) emit(j, body::col_total(part, nblocks, cols, j));
}

// emit(j, Σ_r f(r, j)) for every column j < cols, in core/reduce.h col_sum's order.
template <typename F, typename E>
void col_sums(int64_t rows, int64_t cols, F f, E emit, const char* op) {
  if (cols == 0) return;
  const int64_t nb = body::col_blocks(rows);
  Scratch part(uint64_t(nb * cols) * sizeof(double), op);
  col_block_sum_kernel<F><<<blocks_for(nb * cols), body::kBlock, 0, stream()>>>(f, rows, cols, part.as<double>());
  col_total_kernel<E><<<blocks_for(cols), body::kBlock, 0, stream()>>>(part.as<double>(), nb, cols, emit);
  check_launch(op, "col_sums kernels");
}

}  // namespace cuda
}  // namespace mmg
