// variance on the CUDA backend (contract: native/ops/variance.cc). Two deterministic passes with
// the chunked block reduction of native/core/hd/block_reduce.h, both in double: the mean (left in device
// memory), then Σ (x − mean)², divided by n − correction; n ≤ correction gives NaN without a pass.
// The CPU's passes use 8 interleaved lanes per 32768-element chunk instead: only the order of the
// double additions differs.
// variance_backward: the mean pass again, then one thread per element:
//   dx = T(k·(x − mean)) with k = 2·g/(n − correction) in double (NaN when n ≤ correction).
#pragma once
#include <cmath>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

struct StoreMean {  // *m = Σ / n
  double* m;
  int64_t n;
  MMG_HD void operator()(double s) const { *m = s / double(n); }
};

template <typename T>
struct SquaredDeviationAt {  // f(j) = (x[j] − mean)², mean read from device memory
  const T* x;
  const double* mean;
  MMG_HD double operator()(int64_t j) const {
    const double d = double(x[j]) - *mean;
    return mul_rn(d, d);
  }
};

template <typename T>
struct StoreVariance {  // y = Σ / (n − correction), or NaN when n ≤ correction
  T* y;
  int64_t n, corr;
  MMG_HD void operator()(double ss) const { y[0] = n <= corr ? static_cast<T>(NAN) : static_cast<T>(ss / double(n - corr)); }
};

template <typename T>
MMG_HD double variance_backward_scale(T g, int64_t n, int64_t corr) {
  return n > corr ? 2.0 * double(g) / double(n - corr) : double(NAN);
}

template <typename T>
MMG_HD void variance_backward_elem(int64_t i, const T* x, const T* g, const double* mean, int64_t n, int64_t corr, T* dx) {
  const double k = variance_backward_scale(g[0], n, corr);
  dx[i] = static_cast<T>(mul_rn(k, double(x[i]) - *mean));
}

}  // namespace body

inline int64_t variance_correction(const Call& c) {
  const int64_t k = c.attr_int_or(0, 1);
  if (k != 0 && k != 1) fail(MMG_E_ARG, c.op(), ": expected correction 0 or 1, got ", k);
  return k;
}

inline int64_t variance_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "x");
  return variance_correction(c);
}

inline int64_t variance_backward_check(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "g");
  const int64_t corr = variance_correction(c);
  if (numel(c.in(1)) != 1) c.shape_error("a scalar g", shape_str(c.in(1)));
  return corr;
}

}  // namespace mmg
