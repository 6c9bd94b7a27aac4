// scale: y = x·alpha + beta, elementwise. float32/float64 x, any shape. Attrs: [alpha = 1, beta = 0]
// (applied in x's dtype). Output shaped like x. Deterministic.
// Backward (lib/ops/scale.ts): dx = alpha·g, the same kernel with beta = 0.
#include "scale.h"  // scale_attrs, body::ScaleOp (one definition for every device)

namespace mmg {
namespace {

void scale_cpu(Call& c) {
  const ScaleAttrs a = scale_attrs(c);
  unary_kernel(c, [a](auto x) {
    using T = decltype(x);
    return body::ScaleOp<T>{static_cast<T>(a.alpha), static_cast<T>(a.beta)}(x);
  });
}

}  // namespace
MMG_REGISTER_KERNEL("scale", MMG_CPU, scale_cpu);
}  // namespace mmg
