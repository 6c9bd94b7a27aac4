// frobenius_norm: y = ‖X‖_F = sqrt(Σ x²) over all elements → scalar []. float32/float64.
// Accumulates in double, in a fixed order per chunk then chunks in index order (deterministic).
// frobenius_norm_backward: inputs X, y (forward output), g (scalar) → dX = g·X/y; 0 where y = 0
// (the subgradient PyTorch's norm uses at zero). Used by MMRec's EmbLoss (LightGCN, BPR-MF).
#include <cmath>
#include <vector>
#include "../core/parallel.h"
#include "../core/registry.h"
#include "frobenius_norm.h"  // the checks and body::frob_backward_scale (every device)

namespace mmg {
namespace {

template <typename T>
double sum_squares(const T* x, int64_t n) {
  const int64_t chunk = 1 << 16;
  const int64_t nchunks = (n + chunk - 1) / chunk;
  std::vector<double> partial(static_cast<size_t>(nchunks), 0.0);
  parallel_for(nchunks, 1, [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      double s = 0;
      const int64_t lo = c * chunk, hi = std::min(n, lo + chunk);
      for (int64_t i = lo; i < hi; ++i) s += double(x[i]) * double(x[i]);
      partial[c] = s;
    }
  });
  double s = 0;
  for (double p : partial) s += p;
  return s;
}

void frobenius_norm_cpu(Call& c) {
  frobenius_norm_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  MMG_FLOAT_SWITCH(X.dtype, T, c, *ptr<T>(Y) = static_cast<T>(std::sqrt(sum_squares(ptr<T>(X), numel(X)))));
}

void frobenius_norm_backward_cpu(Call& c) {
  frobenius_norm_backward_check(c);
  const mmg_tensor &X = c.in(0), &Y = c.in(1), &G = c.in(2);
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T y = *ptr<T>(Y);
    const T k = body::frob_backward_scale(y, *ptr<T>(G));
    const T* x = ptr<T>(X);
    T* dx = ptr<T>(DX);
    parallel_for(numel(X), 1 << 15, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) dx[i] = k * x[i];
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("frobenius_norm", MMG_CPU, frobenius_norm_cpu);
MMG_REGISTER_KERNEL("frobenius_norm_backward", MMG_CPU, frobenius_norm_backward_cpu);
}  // namespace mmg
