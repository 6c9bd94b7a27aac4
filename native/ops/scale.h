// scale on the CUDA backend (contract: native/ops/scale.cc): one thread per element
// (elementwise.cuh), y = x·alpha + beta in x's dtype. Attrs: [alpha = 1, beta = 0], finite.
// On a GPU the product and sum may contract into one FMA (one rounding instead of two).
#pragma once
#include <cmath>
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
struct ScaleOp {
  T alpha, beta;
  MMG_HD T operator()(T x) const { return x * alpha + beta; }
};

}  // namespace body

struct ScaleAttrs {
  double alpha, beta;
};

// The attributes, checked before the inputs as on the CPU.
inline ScaleAttrs scale_attrs(const Call& c) {
  const double alpha = c.attr_or(0, 1.0), beta = c.attr_or(1, 0.0);
  if (!std::isfinite(alpha) || !std::isfinite(beta))
    fail(MMG_E_ARG, "scale: expected finite alpha and beta, got ", alpha, " and ", beta);
  return {alpha, beta};
}

}  // namespace mmg
