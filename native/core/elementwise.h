// Elementwise kernels shared by the unary ops: argument checks, output allocation, dtype dispatch
// and a parallel contiguous loop. Each op supplies only its per-element function, a small pure
// template (the same body a CUDA kernel uses).
#pragma once
#include <string>
#include "reduce.h"
#include "registry.h"
#include "tensor.h"

namespace mmg {

inline bool same_shape(const mmg_tensor& a, const mmg_tensor& b) {
  if (a.ndim != b.ndim) return false;
  for (int k = 0; k < a.ndim; ++k)
    if (a.shape[k] != b.shape[k]) return false;
  return true;
}

// For binary ops with row broadcasting (add, mul): false when B has A's shape, true when B is a
// row vector [cols] or [1, cols] of A; otherwise a shape error naming both.
inline bool row_broadcast(const Call& c, const mmg_tensor& A, const mmg_tensor& B, const char* a_name = "A") {
  if (same_shape(A, B)) return false;
  const int64_t nc = cols(A);
  const bool row = (B.ndim == 1 && B.shape[0] == nc) || (B.ndim == 2 && B.shape[0] == 1 && B.shape[1] == nc);
  if (!row || A.ndim < 1)
    c.shape_error(std::string("B to have ") + a_name + "'s shape " + shape_str(A) + " or be a row vector [" + std::to_string(nc) + "]",
                  shape_str(B));
  return true;
}

// y[i] = f(x[i]) over n elements, in parallel chunks of kGrain; the loop is contiguous and
// vectorizes when f does.
template <typename T, typename F>
inline void map1(int64_t n, const T* x, T* y, F f) {
  parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) y[i] = f(x[i]);
  });
}

template <typename T, typename F>
inline void map2(int64_t n, const T* a, const T* b, T* y, F f) {
  parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) y[i] = f(a[i], b[i]);
  });
}

// The checks of a one-input float op (also run by the CUDA and cuda-emu launchers).
inline void unary_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
}

// The checks of a unary op's backward: inputs (a, g) of one float dtype and shape.
inline void unary_backward_check(Call& c, const char* a_name) {
  c.expect_inputs(2, 2);
  c.expect_float(0, a_name);
  c.expect_same_dtype(0, 1, a_name, "g");
  c.expect_same_shape(0, 1, a_name, "g");
}

// A one-input float op: y = f(x) with y shaped like x. f is a generic callable (auto x) -> T.
template <typename F>
inline void unary_kernel(Call& c, F f) {
  unary_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, map1<T>(numel(X), ptr<T>(X), ptr<T>(Y), [&](T v) { return static_cast<T>(f(v)); }));
}

// The backward of a unary op: inputs (a, g) where a is x or y (named `a_name`), dx = f(a, g).
template <typename F>
inline void unary_backward_kernel(Call& c, const char* a_name, F f) {
  unary_backward_check(c, a_name);
  const mmg_tensor &A = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c,
                   map2<T>(numel(A), ptr<T>(A), ptr<T>(G), ptr<T>(DX), [&](T a, T g) { return static_cast<T>(f(a, g)); }));
}

// A one-input op whose float32 case runs a whole-array loop (vmath_loops.h: vectorized, dispatched
// by ISA) in parallel chunks, and whose float64 case runs f per element.
template <typename F>
inline void unary_kernel_f32_loop(Call& c, void (*loop32)(const float*, float*, int64_t), F f) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  const mmg_tensor& X = c.in(0);
  if (X.dtype != MMG_F32) return unary_kernel(c, f);
  mmg_tensor& Y = c.out_like(X);
  const float* x = ptr<float>(X);
  float* y = ptr<float>(Y);
  parallel_for(numel(X), kGrain, [&](int64_t b, int64_t e) { loop32(x + b, y + b, e - b); });
}

}  // namespace mmg
