// tanh: y = tanh(x), elementwise; float32/float64 x, any shape → y shaped like x.
// tanh_backward: inputs (y, g) → dx = g·(1 − y²).
#include "../core/vmath_loops.h"
#include "tanh.h"  // body::TanhOp, body::TanhBackwardOp (one definition for every device)

namespace mmg {
namespace {

// float32 on the CPU: vtanhf (native/core/vmath.h) as a dispatched whole-array loop
// (vmath_loops.h); libm's tanhf kept the loop scalar. float64 and the other devices use the shared
// body (std::tanh / the CUDA tanh).
void tanh_cpu(Call& c) {
  unary_kernel_f32_loop(c, vloops::tanh_array, [](auto x) { return body::TanhOp<decltype(x)>()(x); });
}

void tanh_backward_cpu(Call& c) {
  unary_backward_kernel(c, "y", [](auto y, auto g) { return body::TanhBackwardOp<decltype(y)>()(y, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("tanh", MMG_CPU, tanh_cpu);
MMG_REGISTER_KERNEL("tanh_backward", MMG_CPU, tanh_backward_cpu);
}  // namespace mmg
