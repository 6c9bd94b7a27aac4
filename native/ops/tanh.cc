// tanh: y = tanh(x), elementwise; float32/float64 x, any shape → y shaped like x.
// tanh_backward: inputs (y, g) → dx = g·(1 − y²).
#include <cmath>
#include "../core/elementwise.h"
#include "../core/vmath.h"

namespace mmg {
namespace {

template <typename T>
T tanh_one(T x) { return fast_tanh(x); }  // float32: vtanhf, so the loop vectorizes

template <typename T>
T tanh_backward_one(T y, T g) { return g * (T(1) - y * y); }

void tanh_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return tanh_one(x); });
}

void tanh_backward_cpu(Call& c) {
  unary_backward_kernel(c, "y", [](auto y, auto g) { return tanh_backward_one(y, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("tanh", MMG_CPU, tanh_cpu);
MMG_REGISTER_KERNEL("tanh_backward", MMG_CPU, tanh_backward_cpu);
}  // namespace mmg
