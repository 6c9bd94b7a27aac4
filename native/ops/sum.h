// sum and mean (and their backwards) on every device: the axis checks and plans, the element
// bodies, and the CPU's reduction. axis −1 reduces every element (any rank) to a scalar []; axis 0
// reduces a 2-D x [rows, cols] over rows → [cols]; axis 1 over columns → [rows]. Every sum
// accumulates in double, in an order fixed by the shape:
//   CPU: core/reduce.h (8 interleaved lanes per row or over all elements, col_sum's row blocks);
//   GPU and emulator (native/core/hd/block_reduce.h): axis −1 the two-pass chunked block
//            reduction; axis 0 the CPU's own row blocking (col_sum), one thread per (row block,
//            column) and then one per column: the same additions as the CPU; axis 1 one block per
//            row, thread-strided partials and the tree.
// mean divides the double sum once by the count (0/0 = NaN for an empty mean).
// sum_backward / mean_backward: dx = g broadcast back (÷ count in double for mean).
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

template <typename T>
MMG_HD T reduce_result(double s, bool mean, double count) {
  return static_cast<T>(mean ? s / count : s);
}

template <typename T>
struct StoreReduced {  // y[0] (scalar) or y[j] = the sum, or the mean over count
  T* y;
  bool mean;
  double count;
  MMG_HD void operator()(double s) const { y[0] = reduce_result<T>(s, mean, count); }
  MMG_HD void operator()(int64_t j, double s) const { y[j] = reduce_result<T>(s, mean, count); }
};

// dx[i] = g broadcast back along the reduced axis (÷ count in double for mean).
template <typename T>
MMG_HD void reduce_backward_elem(int64_t i, const T* g, T* dx, int axis, int64_t nc, bool mean, double count) {
  const T v = g[axis < 0 ? 0 : axis == 0 ? i % nc : i / nc];
  dx[i] = mean ? static_cast<T>(double(v) / count) : v;
}

}  // namespace body

struct ReducePlan {
  int axis = -1;
  int64_t n = 0, rows = 1, cols = 0;  // rows/cols: x's 2-D shape for axis 0/1
  double count = 0;                   // the reduced count (backward)
};

// axis −1, 0 or 1; 0 and 1 need a 2-D x.
inline int reduce_axis_check(const Call& c, const mmg_tensor& X) {
  const int64_t axis = c.attr_int_or(0, -1);
  if (axis < -1 || axis > 1) fail(MMG_E_ARG, c.op(), ": expected axis 0, 1 or -1 (all), got ", axis);
  if (axis >= 0 && X.ndim != 2) c.shape_error("a 2-D x for axis " + std::to_string(axis), "shape " + shape_str(X));
  return static_cast<int>(axis);
}

// sum / mean forward: input (x), attrs [axis].
inline ReducePlan reduce_plan(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  const mmg_tensor& X = c.in(0);
  ReducePlan p;
  p.axis = reduce_axis_check(c, X);
  p.n = numel(X);
  if (p.axis >= 0) {
    p.rows = X.shape[0];
    p.cols = X.shape[1];
  }
  return p;
}

// sum_backward / mean_backward: inputs (g, x), attrs [axis].
inline ReducePlan reduce_backward_plan(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "g");
  c.expect_same_dtype(0, 1, "g", "x");
  const mmg_tensor &G = c.in(0), &X = c.in(1);
  ReducePlan p;
  p.axis = reduce_axis_check(c, X);
  p.n = numel(X);
  p.rows = p.axis < 0 ? 1 : X.shape[0];
  p.cols = p.axis < 0 ? p.n : X.shape[1];
  const int64_t want = p.axis < 0 ? 1 : p.axis == 0 ? p.cols : p.rows;
  if (numel(G) != want || G.ndim != (p.axis < 0 ? 0 : 1))
    c.shape_error("g of shape " + std::string(p.axis < 0 ? "[]" : "[" + std::to_string(want) + "]") + " for x " + shape_str(X),
                  shape_str(G));
  p.count = p.axis < 0 ? double(p.n) : p.axis == 0 ? double(p.rows) : double(p.cols);
  return p;
}

}  // namespace mmg

// The CPU kernels' reduction (not compiled by nvcc: the CUDA kernels use the bodies above).
#ifndef __CUDACC__
#include "../core/reduce.h"

namespace mmg {

// Allocates the output and fills it with the sum (or mean) over the axis.
template <typename T>
void reduce_sum(Call& c, const mmg_tensor& X, const ReducePlan& p, bool mean) {
  const int axis = p.axis;
  const T* x = ptr<T>(X);
  if (axis < 0) {
    const int64_t n = numel(X);
    mmg_tensor& Y = c.out({}, X.dtype);
    const double s = total_sum(n, [&](int64_t i) { return double(x[i]); });
    *ptr<T>(Y) = static_cast<T>(mean ? s / double(n) : s);
    return;
  }
  const int64_t r = X.shape[0], nc = X.shape[1];
  if (axis == 0) {
    mmg_tensor& Y = c.out({nc}, X.dtype);
    T* y = ptr<T>(Y);
    col_sum(r, nc, [&](int64_t i, int64_t j) { return double(x[i * nc + j]); },
            [&](int64_t j, double s) { y[j] = static_cast<T>(mean ? s / double(r) : s); });
  } else {
    mmg_tensor& Y = c.out({r}, X.dtype);
    T* y = ptr<T>(Y);
    parallel_for(r, row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        const T* xr = x + i * nc;
        const double s = lane_sum(nc, [&](int64_t j) { return double(xr[j]); });
        y[i] = static_cast<T>(mean ? s / double(nc) : s);
      }
    });
  }
}

// The backward of a reduction: inputs (g, x) → dx shaped like x, dx = g broadcast back along the
// reduced axis, divided by the reduced count for mean.
inline void reduce_backward(Call& c, bool mean) {
  const ReducePlan p = reduce_backward_plan(c);
  const mmg_tensor &G = c.in(0), &X = c.in(1);
  const int axis = p.axis;
  const int64_t n = p.n, r = p.rows, nc = p.cols;
  const double count = p.count;
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    auto val = [&](T v) { return mean ? static_cast<T>(double(v) / count) : v; };
    if (axis < 0) {
      const T v = val(g[0]);
      parallel_for(n, kGrain, [&](int64_t b, int64_t e) { std::fill(dx + b, dx + e, v); });
    } else {
      parallel_for(r, row_grain(nc), [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
          T* d = dx + i * nc;
          if (axis == 0)
            for (int64_t j = 0; j < nc; ++j) d[j] = val(g[j]);
          else
            std::fill(d, d + nc, val(g[i]));
        }
      });
    }
  });
}

}  // namespace mmg
#endif  // __CUDACC__
