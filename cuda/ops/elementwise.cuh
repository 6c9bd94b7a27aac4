// GPU launchers shared by the elementwise ops (bodies and checks: elementwise.h). Each op's
// .cu supplies a functor from its <op>.h; `make(T())` builds it for the input's dtype T.
// Twin: native/emu/elementwise.h (same index spaces, same bodies).
#pragma once
#include "../common.cuh"
#include "../../native/ops/elementwise.h"

namespace mmg {
namespace cuda {

// One thread per element: y[i] = f(x[i]).
template <typename T, typename F>
__global__ void map1_kernel(int64_t n, const T* x, T* y, F f) {
  MMG_GRID_STRIDE(i, n) y[i] = f(x[i]);
}

// One thread per element: y[i] = f(a[i], b[i]).
template <typename T, typename F>
__global__ void map2_kernel(int64_t n, const T* a, const T* b, T* y, F f) {
  MMG_GRID_STRIDE(i, n) y[i] = f(a[i], b[i]);
}

template <typename T, typename F>
void launch_map1(const char* op, int64_t n, const T* x, T* y, F f) {
  if (n == 0) return;
  map1_kernel<T, F><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, x, y, f);
  check_launch(op, "map1_kernel");
}

template <typename T, typename F>
void launch_map2(const char* op, int64_t n, const T* a, const T* b, T* y, F f) {
  if (n == 0) return;
  map2_kernel<T, F><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, a, b, y, f);
  check_launch(op, "map2_kernel");
}

// unary_kernel on the GPU: the CPU's checks, y shaped like x, y = f(x).
template <typename Make>
void unary_cuda(Call& c, Make make) {
  unary_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, launch_map1<T>(c.op(), numel(X), ptr<T>(X), ptr<T>(Y), make(T())));
}

// unary_backward_kernel on the GPU: inputs (a, g), dx = f(a, g) shaped like a.
template <typename Make>
void unary_backward_cuda(Call& c, const char* a_name, Make make) {
  unary_backward_check(c, a_name);
  const mmg_tensor &A = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c, launch_map2<T>(c.op(), numel(A), ptr<T>(A), ptr<T>(G), ptr<T>(DX), make(T())));
}

// Column sums (body::ColSumPlan): pass 1 over (chunk, column), pass 2 over columns.
template <typename F>
__global__ void col_chunk_kernel(body::ColSumPlan p, F f, double* part) {
  MMG_GRID_STRIDE(i, p.chunks * p.cols) part[i] = body::col_chunk_sum(p, i / p.cols, i % p.cols, f);
}

template <typename E>
__global__ void col_total_kernel(body::ColSumPlan p, const double* part, E emit) {
  MMG_GRID_STRIDE(j, p.cols) emit(j, body::col_chunks_total(p, part, j));
}

template <typename F, typename E>
__global__ void col_direct_kernel(body::ColSumPlan p, F f, E emit) {
  MMG_GRID_STRIDE(j, p.cols) emit(j, body::col_chunk_sum(p, 0, j, f));
}

// emit(j, Σ_r f(r, j)) for every column j (f: (r, j) -> double, emit: (j, double) -> void).
template <typename F, typename E>
void col_sum_cuda(const char* op, int64_t rows, int64_t cols, F f, E emit) {
  if (cols == 0) return;
  const body::ColSumPlan p = body::col_sum_plan(rows, cols);
  if (p.chunks == 1) {
    col_direct_kernel<F, E><<<blocks_for(cols), body::kBlock, 0, stream()>>>(p, f, emit);
    check_launch(op, "col_direct_kernel");
    return;
  }
  Scratch part(uint64_t(p.chunks * cols) * sizeof(double), op);
  col_chunk_kernel<F><<<blocks_for(p.chunks * cols), body::kBlock, 0, stream()>>>(p, f, part.as<double>());
  col_total_kernel<E><<<blocks_for(cols), body::kBlock, 0, stream()>>>(p, part.as<double>(), emit);
  check_launch(op, "col_sum kernels");
}

}  // namespace cuda
}  // namespace mmg
