// abs: y = |x|, elementwise. float32/float64 x, any shape → y shaped like x.
// abs_backward: inputs (x, g) → dx = g·sign(x), with sign(0) = 0 (PyTorch's subgradient at 0).
#include "abs.h"  // body::AbsOp, body::AbsBackwardOp (one definition for every device)

namespace mmg {
namespace {

void abs_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return body::AbsOp<decltype(x)>()(x); });
}

void abs_backward_cpu(Call& c) {
  unary_backward_kernel(c, "x", [](auto x, auto g) { return body::AbsBackwardOp<decltype(x)>()(x, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("abs", MMG_CPU, abs_cpu);
MMG_REGISTER_KERNEL("abs_backward", MMG_CPU, abs_backward_cpu);
}  // namespace mmg
