// leaky_relu, leaky_relu_backward on cuda-emu: leaky_relu.h over every thread of the grid.
#include "../ops/leaky_relu.h"
#include "elementwise.h"

namespace mmg {
namespace {

void leaky_relu_emu(Call& c) {
  const double s = leaky_relu_slope(c);
  emu::unary(c, [s](auto t) { return body::LeakyReluOp<decltype(t)>{static_cast<decltype(t)>(s)}; });
}

void leaky_relu_backward_emu(Call& c) {
  const double s = leaky_relu_slope(c);
  emu::unary_backward(c, "x", [s](auto t) { return body::LeakyReluBackwardOp<decltype(t)>{static_cast<decltype(t)>(s)}; });
}

}  // namespace
MMG_REGISTER_KERNEL("leaky_relu", MMG_CUDA_EMU, leaky_relu_emu);
MMG_REGISTER_KERNEL("leaky_relu_backward", MMG_CUDA_EMU, leaky_relu_backward_emu);
}  // namespace mmg
