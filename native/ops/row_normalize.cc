// row_normalize: y[r, :] = x[r, :] / max(‖x[r, :]‖₂, eps), PyTorch's F.normalize(x, p=2, dim=-1).
// x float32/float64, any rank ≥ 1 (last dimension = columns) → y shaped like x. Attrs: [eps = 1e-12]
// (finite, ≥ 0). Norms accumulate in double (deterministic).
// row_normalize_backward: inputs (x, g), attrs [eps] → dx. With n = ‖x‖, d = max(n, eps):
//   dx = g/d − [n ≥ eps]·x·(x·g)/(d²·n)
// — PyTorch's gradient through clamp_min (which passes where n ≥ eps) and norm (0 at n = 0), so a
// row shorter than eps gets g/eps. It recomputes the norms from x rather than keeping them.
#include <cmath>
#include "../core/elementwise.h"
#include "row_normalize.h"  // the checks, the scale and the backward coefficients (every device)

namespace mmg {
namespace {

template <typename T>
void row_normalize_row(const T* x, T* y, int64_t n, double eps) {
  const T inv = body::row_normalize_scale<T>(lane_sum(n, [&](int64_t j) { return double(x[j]) * double(x[j]); }), eps);
  for (int64_t j = 0; j < n; ++j) y[j] = x[j] * inv;
}

template <typename T>
void row_normalize_backward_row(const T* x, const T* g, T* dx, int64_t n, double eps) {
  const double acc_xx = lane_sum(n, [&](int64_t j) { return double(x[j]) * double(x[j]); });
  const double acc_xg = lane_sum(n, [&](int64_t j) { return double(x[j]) * double(g[j]); });
  const body::NormalizeCoeffs<T> k = body::row_normalize_backward_coeffs<T>(acc_xx, acc_xg, eps);
  const T a = k.a, b = k.b;
  for (int64_t j = 0; j < n; ++j) dx[j] = g[j] * a - x[j] * b;
}

void row_normalize_cpu(Call& c) {
  const double eps = row_normalize_check(c);
  const mmg_tensor& X = c.in(0);
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
  const double eps = row_normalize_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
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
