// variance: Σ (x − x̄)² / (n − correction) over EVERY element of x (any rank) → scalar [].
// attrs [correction] (default 1 = unbiased, PyTorch's torch.var default; 0 = population).
// Two passes (mean, then squared deviations), both accumulated in double in a fixed order
// (core/reduce.h): deterministic and free of the cancellation of Σx² − n·x̄². n ≤ correction gives
// NaN (as PyTorch). Used by GUME's internal alignment |Var(X_v) − Var(X_t)|.
// variance_backward: inputs (x, g scalar), attrs [correction] → dx = g·2(x − x̄)/(n − correction),
// x̄ recomputed (one cheap pass) instead of kept from the forward.
#include <limits>
#include "../core/elementwise.h"
#include "variance.h"  // variance_check, variance_backward_check (every device)

namespace mmg {
namespace {


template <typename T>
double mean_of(int64_t n, const T* x) {
  return total_sum(n, [&](int64_t i) { return double(x[i]); }) / double(n);
}

void variance_cpu(Call& c) {
  const int64_t corr = variance_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  const int64_t n = numel(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    if (n <= corr) {
      *ptr<T>(Y) = std::numeric_limits<T>::quiet_NaN();
    } else {
      const double m = mean_of(n, x);
      const double ss = total_sum(n, [&](int64_t i) { const double d = double(x[i]) - m; return d * d; });
      *ptr<T>(Y) = static_cast<T>(ss / double(n - corr));
    }
  });
}

void variance_backward_cpu(Call& c) {
  const int64_t corr = variance_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  const int64_t n = numel(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    const double m = n > 0 ? mean_of(n, x) : 0.0;
    const double k = n > corr ? 2.0 * double(*ptr<T>(G)) / double(n - corr) : std::numeric_limits<double>::quiet_NaN();
    map1<T>(n, x, ptr<T>(DX), [k, m](T v) { return static_cast<T>(k * (double(v) - m)); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("variance", MMG_CPU, variance_cpu);
MMG_REGISTER_KERNEL("variance_backward", MMG_CPU, variance_backward_cpu);
}  // namespace mmg
