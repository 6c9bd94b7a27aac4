// Shared by the CUDA kernels (nvcc) and their host twins (g++): no CUDA header may appear here or
// in any native/ops/<op>.h, so the same per-thread logic compiles into the addon's cuda-emu
// device and into libmmgraph_cuda.so.
#pragma once
#include <stdint.h>

#ifdef __CUDACC__
#define MMG_HD __host__ __device__ __forceinline__
#else
#define MMG_HD inline
#endif

namespace mmg {
namespace body {

// Threads per block for every hand-written kernel. The host twins of block reductions use the
// same constant, so the partial sums are formed and merged in the same order on both sides.
constexpr int kBlock = 256;

// Warp-per-row kernels (rows of a few dozen to a few hundred entries, e.g. 64-wide embeddings):
// one warp of kWarp lanes per row, kWarpRows rows per kBlock-thread block. Lane l takes entries
// l, l + kWarp, ... of its row; the lane partials are merged by a xor butterfly: for
// m = kWarp/2, ..., 1 every lane combines its value with lane (l ^ m)'s (warp_*_merge below; on the
// GPU __shfl_xor_sync, the CUDA backend's common.cuh; on the host emu::warp_butterfly, native/emu/grid.h). The
// merged sum is the same in every lane (a + b == b + a bit for bit).
constexpr int kWarp = 32;
constexpr int kWarpRows = kBlock / kWarp;

// One butterfly step as lane `mine` forms it, `other` being lane (l ^ m)'s value.
template <typename T> MMG_HD T warp_sum_merge(T mine, T other) { return mine + other; }
// Max with the CPU's comparison (a NaN never replaces a number; rows holding one come out NaN
// through their sums anyway). Lanes may then disagree on a NaN row, so twins keep every lane.
template <typename T> MMG_HD T warp_max_merge(T mine, T other) { return other > mine ? other : mine; }

template <typename T> MMG_HD T hd_max(T a, T b) { return a > b ? a : b; }
template <typename T> MMG_HD T hd_min(T a, T b) { return a < b ? a : b; }

// One step of the shared-memory tree reduction: for s = kBlock/2, kBlock/4, ..., 1 every thread
// t < s does p[t] += p[t + s]. The GPU runs it with __syncthreads() between steps; the host twin
// (native/emu/grid.h: block_tree_sum) loops over t. Same pairs, same order, same rounding.
template <typename T> MMG_HD void tree_sum_step(T* p, int t, int s) {
  if (t < s) p[t] += p[t + s];
}

// Strided per-thread partial of x[0..n): thread t of a block sums x[t], x[t+kBlock], ...
// (fixed order, so the block result does not depend on scheduling).
template <typename T, typename F> MMG_HD T strided_partial(int t, int64_t n, F f) {
  T acc = T(0);
  for (int64_t j = t; j < n; j += kBlock) acc += f(j);
  return acc;
}

}  // namespace body
}  // namespace mmg

#include <cmath>
namespace mmg {
namespace body {

// Math that resolves to the CUDA device functions under nvcc's device pass and to <cmath> on
// the host, for float and double alike.
#ifdef __CUDA_ARCH__
#define MMG_HD_MATH(name)                                   \
  MMG_HD float hd_##name(float x) { return ::name##f(x); } \
  MMG_HD double hd_##name(double x) { return ::name(x); }
#else
#define MMG_HD_MATH(name)                                      \
  MMG_HD float hd_##name(float x) { return std::name(x); }    \
  MMG_HD double hd_##name(double x) { return std::name(x); }
#endif
MMG_HD_MATH(exp)
MMG_HD_MATH(log)
MMG_HD_MATH(log1p)
MMG_HD_MATH(fabs)
MMG_HD_MATH(sqrt)
#undef MMG_HD_MATH

// Index checks shared by every op that takes row indices (index_check.cu (CUDA backend) on the GPU).
template <typename I>
MMG_HD bool index_in_range(I v, int64_t n) {
  return v >= 0 && int64_t(v) < n;
}

}  // namespace body
}  // namespace mmg

namespace mmg {
namespace body {

// Deterministic sum of a double array in two passes (the CUDA backend's reduce.cuh, emu::sum_doubles): block b
// sums chunk [b·kSumChunk, (b+1)·kSumChunk) with thread-strided partials and the tree; one block
// sums the block results the same way.
constexpr int64_t kSumChunk = int64_t(kBlock) * 64;
MMG_HD double strided_sum(const double* v, int64_t lo, int64_t hi, int t) {
  double s = 0;
  for (int64_t j = lo + t; j < hi; j += kBlock) s += v[j];
  return s;
}

}  // namespace body
}  // namespace mmg

namespace mmg {
namespace body {

// isfinite for float and double on both sides (device: CUDA's overloads; host: <cmath>).
#ifdef __CUDA_ARCH__
MMG_HD bool hd_isfinite(float x) { return ::isfinite(x); }
MMG_HD bool hd_isfinite(double x) { return ::isfinite(x); }
#else
MMG_HD bool hd_isfinite(float x) { return std::isfinite(x); }
MMG_HD bool hd_isfinite(double x) { return std::isfinite(x); }
#endif

// Added with the elementwise ports (tanh): the same pattern as MMG_HD_MATH above.
#ifdef __CUDA_ARCH__
#define MMG_HD_MATH_EW(name)                                \
  MMG_HD float hd_##name(float x) { return ::name##f(x); } \
  MMG_HD double hd_##name(double x) { return ::name(x); }
#else
#define MMG_HD_MATH_EW(name)                                   \
  MMG_HD float hd_##name(float x) { return std::name(x); }    \
  MMG_HD double hd_##name(double x) { return std::name(x); }
#endif
MMG_HD_MATH_EW(tanh)
#undef MMG_HD_MATH_EW

}  // namespace body
}  // namespace mmg
