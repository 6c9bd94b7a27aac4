// Shared by sum and mean: axis checks, the deterministic reduction and its broadcast-back.
// axis −1 reduces every element (any rank) to a scalar []; axis 0 reduces a 2-D x [rows, cols] over
// rows → [cols]; axis 1 over columns → [rows]. Sums accumulate in double (core/reduce.h).
#pragma once
#include <string>
#include "../core/reduce.h"
#include "../core/tensor.h"

namespace mmg {

inline int reduce_axis(const Call& c, const mmg_tensor& X) {
  const int64_t axis = c.attr_int_or(0, -1);
  if (axis < -1 || axis > 1) fail(MMG_E_ARG, c.op(), ": expected axis 0, 1 or -1 (all), got ", axis);
  if (axis >= 0 && X.ndim != 2)
    c.shape_error("a 2-D x for axis " + std::to_string(axis), "shape " + shape_str(X));
  return static_cast<int>(axis);
}

// Allocates the output and fills it with the sum (or mean) over the axis.
template <typename T>
void reduce_sum(Call& c, const mmg_tensor& X, int axis, bool mean) {
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
  c.expect_inputs(2, 2);
  c.expect_float(0, "g");
  c.expect_same_dtype(0, 1, "g", "x");
  const mmg_tensor &G = c.in(0), &X = c.in(1);
  const int axis = reduce_axis(c, X);
  const int64_t n = numel(X), r = axis < 0 ? 1 : X.shape[0], nc = axis < 0 ? n : X.shape[1];
  const int64_t want = axis < 0 ? 1 : axis == 0 ? nc : r;
  if (numel(G) != want || G.ndim != (axis < 0 ? 0 : 1))
    c.shape_error("g of shape " + std::string(axis < 0 ? "[]" : "[" + std::to_string(want) + "]") + " for x " + shape_str(X),
                  shape_str(G));
  const double count = axis < 0 ? double(n) : axis == 0 ? double(r) : double(nc);
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
