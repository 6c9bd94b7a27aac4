// tanh: y = tanh(x), elementwise; float32/float64 x, any shape → y shaped like x.
// tanh_backward: inputs (y, g) → dx = g·(1 − y²).
#include "tanh.h"  // body::TanhOp, body::TanhBackwardOp (one definition for every device)

namespace mmg {
namespace {

void tanh_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return body::TanhOp<decltype(x)>()(x); });
}

void tanh_backward_cpu(Call& c) {
  unary_backward_kernel(c, "y", [](auto y, auto g) { return body::TanhBackwardOp<decltype(y)>()(y, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("tanh", MMG_CPU, tanh_cpu);
MMG_REGISTER_KERNEL("tanh_backward", MMG_CPU, tanh_backward_cpu);
}  // namespace mmg
