// tanh: y = tanh(x), elementwise; float32/float64 x, any shape → y shaped like x.
// tanh_backward: inputs (y, g) → dx = g·(1 − y²).
#include "../core/vmath.h"
#include "tanh.h"  // body::TanhOp, body::TanhBackwardOp (one definition for every device)

namespace mmg {
namespace {

// float32 on the CPU: vtanhf (native/core/vmath.h), which vectorizes; libm's tanhf kept the loop
// scalar. float64 and the other devices use the shared body (std::tanh / the CUDA tanh).
template <typename T>
T tanh_cpu_one(T x) { return body::TanhOp<T>()(x); }
template <>
float tanh_cpu_one(float x) { return vtanhf(x); }

void tanh_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return tanh_cpu_one(x); });
}

void tanh_backward_cpu(Call& c) {
  unary_backward_kernel(c, "y", [](auto y, auto g) { return body::TanhBackwardOp<decltype(y)>()(y, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("tanh", MMG_CPU, tanh_cpu);
MMG_REGISTER_KERNEL("tanh_backward", MMG_CPU, tanh_backward_cpu);
}  // namespace mmg
