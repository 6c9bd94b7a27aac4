// scale: y = x·alpha + beta, elementwise. float32/float64 x, any shape. Attrs: [alpha = 1, beta = 0]
// (applied in x's dtype). Output shaped like x. Deterministic.
// Backward (lib/ops/scale.ts): dx = alpha·g, the same kernel with beta = 0.
#include <cmath>
#include "../core/elementwise.h"

namespace mmg {
namespace {

template <typename T>
T scale_one(T x, T alpha, T beta) { return x * alpha + beta; }

void scale_cpu(Call& c) {
  const double alpha = c.attr_or(0, 1.0), beta = c.attr_or(1, 0.0);
  if (!std::isfinite(alpha) || !std::isfinite(beta))
    fail(MMG_E_ARG, "scale: expected finite alpha and beta, got ", alpha, " and ", beta);
  unary_kernel(c, [&](auto x) {
    using T = decltype(x);
    return scale_one<T>(x, static_cast<T>(alpha), static_cast<T>(beta));
  });
}

}  // namespace
MMG_REGISTER_KERNEL("scale", MMG_CPU, scale_cpu);
}  // namespace mmg
