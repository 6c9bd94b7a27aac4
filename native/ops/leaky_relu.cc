// leaky_relu: y = x for x > 0, slope·x otherwise; float32/float64 x, any shape → y shaped like x.
// Attrs: [slope = 0.01] (finite). leaky_relu_backward: inputs (x, g), attrs [slope] →
// dx = g for x > 0, slope·g otherwise (PyTorch's choice at x = 0). Both multiply by a selected
// factor (x·1 = x exactly).
#include "leaky_relu.h"  // leaky_relu_slope, body::LeakyReluOp, body::LeakyReluBackwardOp (every device)

namespace mmg {
namespace {

void leaky_relu_cpu(Call& c) {
  const double s = leaky_relu_slope(c);
  unary_kernel(c, [s](auto x) {
    using T = decltype(x);
    return body::LeakyReluOp<T>{static_cast<T>(s)}(x);
  });
}

void leaky_relu_backward_cpu(Call& c) {
  const double s = leaky_relu_slope(c);
  unary_backward_kernel(c, "x", [s](auto x, auto g) {
    using T = decltype(x);
    return body::LeakyReluBackwardOp<T>{static_cast<T>(s)}(x, g);
  });
}

}  // namespace
MMG_REGISTER_KERNEL("leaky_relu", MMG_CPU, leaky_relu_cpu);
MMG_REGISTER_KERNEL("leaky_relu_backward", MMG_CPU, leaky_relu_backward_cpu);
}  // namespace mmg
