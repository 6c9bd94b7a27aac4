// sum and mean on the CUDA backend (contracts: native/ops/sum.cc, native/ops/mean.cc and the
// shared checks of native/ops/sum.h). Every sum accumulates in double (cuda/block_reduce.h):
//   axis −1: the two-pass chunked block reduction over all elements;
//   axis 0 (over rows → [cols]): the CPU's own row blocking (core/reduce.h col_sum), one thread
//            per (row block, column) and then one per column: the same additions as the CPU;
//   axis 1 (over columns → [rows]): one block per row, thread-strided partials and the tree.
// mean divides the double sum once by the count (0/0 = NaN for an empty mean, as the CPU).
// sum_backward / mean_backward: one thread per element of dx, g broadcast back (÷ count in double).
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

// native/ops/sum.h reduce_axis, same messages.
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

// sum_backward / mean_backward: inputs (g, x), attrs [axis] (native/ops/sum.h reduce_backward).
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
