// row_normalize: y[r, :] = x[r, :] / max(‖x[r, :]‖₂, eps), PyTorch's F.normalize(x, p=2, dim=-1).
// x float32/float64, any rank ≥ 1 (last dimension = columns) → y shaped like x. Attrs: [eps = 1e-12]
// (finite, ≥ 0). Norms accumulate in double (deterministic).
// row_normalize_backward: inputs (x, g), attrs [eps] → dx. With n = ‖x‖, d = max(n, eps):
//   dx = g/d − [n ≥ eps]·x·(x·g)/(d²·n)
// — PyTorch's gradient through clamp_min (which passes where n ≥ eps) and norm (0 at n = 0), so a
// row shorter than eps gets g/eps. It recomputes the norms from x rather than keeping them.
#include <cmath>
#include "../core/elementwise.h"

namespace mmg {
namespace {

double eps_attr(const Call& c) {
  const double eps = c.attr_or(0, 1e-12);
  if (!(eps >= 0) || !std::isfinite(eps)) fail(MMG_E_ARG, c.op(), ": expected a finite eps >= 0, got ", eps);
  return eps;
}

template <typename T>
void row_normalize_row(const T* x, T* y, int64_t n, double eps) {
  const double nrm = std::sqrt(lane_sum(n, [&](int64_t j) { return double(x[j]) * double(x[j]); }));
  const T inv = static_cast<T>(1.0 / std::max(nrm, eps));
  for (int64_t j = 0; j < n; ++j) y[j] = x[j] * inv;
}

template <typename T>
void row_normalize_backward_row(const T* x, const T* g, T* dx, int64_t n, double eps) {
  const double acc_xx = lane_sum(n, [&](int64_t j) { return double(x[j]) * double(x[j]); });
  const double acc_xg = lane_sum(n, [&](int64_t j) { return double(x[j]) * double(g[j]); });
  const double nrm = std::sqrt(acc_xx), d = std::max(nrm, eps);
  const T a = static_cast<T>(1.0 / d);
  const T b = static_cast<T>(nrm >= eps && nrm > 0 ? acc_xg / (d * d * nrm) : 0.0);
  for (int64_t j = 0; j < n; ++j) dx[j] = g[j] * a - x[j] * b;
}

void check_rank(const Call& c, const mmg_tensor& X) {
  if (X.ndim < 1) c.shape_error("x to have at least 1 dimension", "shape " + shape_str(X));
}

void row_normalize_cpu(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  const mmg_tensor& X = c.in(0);
  check_rank(c, X);
  const double eps = eps_attr(c);
  mmg_tensor& Y = c.out_like(X);
  const int64_t nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) row_normalize_row(x + r * nc, y + r * nc, nc, eps);
    });
  });
}

void row_normalize_backward_cpu(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "g");
  c.expect_same_shape(0, 1, "x", "g");
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  check_rank(c, X);
  const double eps = eps_attr(c);
  mmg_tensor& DX = c.out_like(X);
  const int64_t nc = cols(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T *x = ptr<T>(X), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) row_normalize_backward_row(x + r * nc, g + r * nc, dx + r * nc, nc, eps);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_normalize", MMG_CPU, row_normalize_cpu);
MMG_REGISTER_KERNEL("row_normalize_backward", MMG_CPU, row_normalize_backward_cpu);
}  // namespace mmg
