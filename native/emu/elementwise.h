// cuda-emu twins of elementwise.cuh (CUDA backend): the same bodies over the same index spaces.
#pragma once
#include <vector>
#include "../ops/elementwise.h"
#include "grid.h"

namespace mmg {
namespace emu {

template <typename T, typename F>
void map1(int64_t n, const T* x, T* y, F f) {
  for_threads(n, [&](int64_t i) { y[i] = f(x[i]); });
}

template <typename T, typename F>
void map2(int64_t n, const T* a, const T* b, T* y, F f) {
  for_threads(n, [&](int64_t i) { y[i] = f(a[i], b[i]); });
}

template <typename Make>
void unary(Call& c, Make make) {
  unary_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, map1<T>(numel(X), ptr<T>(X), ptr<T>(Y), make(T())));
}

template <typename Make>
void unary_backward(Call& c, const char* a_name, Make make) {
  unary_backward_check(c, a_name);
  const mmg_tensor &A = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c, map2<T>(numel(A), ptr<T>(A), ptr<T>(G), ptr<T>(DX), make(T())));
}

// Twin of cuda::col_sum_cuda: the same chunks, the same per-thread sums.
template <typename F, typename E>
void col_sum(int64_t rows, int64_t cols, F f, E emit) {
  if (cols == 0) return;
  const body::ColSumPlan p = body::col_sum_plan(rows, cols);
  if (p.chunks == 1) {
    for_threads(cols, [&](int64_t j) { emit(j, body::col_chunk_sum(p, 0, j, f)); });
    return;
  }
  std::vector<double> part(size_t(p.chunks * cols));
  for_threads(p.chunks * cols, [&](int64_t i) { part[size_t(i)] = body::col_chunk_sum(p, i / cols, i % cols, f); });
  for_threads(cols, [&](int64_t j) { emit(j, body::col_chunks_total(p, part.data(), j)); });
}

}  // namespace emu
}  // namespace mmg
