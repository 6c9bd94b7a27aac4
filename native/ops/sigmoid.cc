// sigmoid: y = 1 / (1 + e^(−x)), elementwise; float32/float64 x, any shape → y shaped like x.
// Computed from e^(−|x|) so no exp overflows (saturates to exactly 0 or 1 far out).
// sigmoid_backward: inputs (y, g) → dx = g·y·(1 − y).
#include "sigmoid.h"  // body::SigmoidOp, body::SigmoidBackwardOp (one definition for every device)

namespace mmg {
namespace {

void sigmoid_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return body::SigmoidOp<decltype(x)>()(x); });
}

void sigmoid_backward_cpu(Call& c) {
  unary_backward_kernel(c, "y", [](auto y, auto g) { return body::SigmoidBackwardOp<decltype(y)>()(y, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("sigmoid", MMG_CPU, sigmoid_cpu);
MMG_REGISTER_KERNEL("sigmoid_backward", MMG_CPU, sigmoid_backward_cpu);
}  // namespace mmg
