// sigmoid: y = 1 / (1 + e^(−x)), elementwise; float32/float64 x, any shape → y shaped like x.
// Computed from e^(−|x|) so no exp overflows (saturates to exactly 0 or 1 far out). float32 uses
// vexpf (native/core/vmath.h, within 1 ulp of expf) so the loop vectorizes; libm's expf is an
// opaque call that kept it scalar (a third of an evaluation forward's time went to sigmoid/tanh).
// sigmoid_backward: inputs (y, g) → dx = g·y·(1 − y).
#include "../core/vmath_loops.h"
#include "sigmoid.h"  // body::SigmoidOp, body::SigmoidBackwardOp (one definition for every device)

namespace mmg {
namespace {

// float32 on the CPU: the shared body's formula with vexpf in place of the libm exp, as a
// dispatched whole-array loop (vmath_loops.h); float64 runs the shared body.
void sigmoid_cpu(Call& c) {
  unary_kernel_f32_loop(c, vloops::sigmoid_array, [](auto x) { return body::SigmoidOp<decltype(x)>()(x); });
}

void sigmoid_backward_cpu(Call& c) {
  unary_backward_kernel(c, "y", [](auto y, auto g) { return body::SigmoidBackwardOp<decltype(y)>()(y, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("sigmoid", MMG_CPU, sigmoid_cpu);
MMG_REGISTER_KERNEL("sigmoid_backward", MMG_CPU, sigmoid_backward_cpu);
}  // namespace mmg
