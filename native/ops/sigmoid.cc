// sigmoid: y = 1 / (1 + e^(−x)), elementwise; float32/float64 x, any shape → y shaped like x.
// Computed from e^(−|x|) so no exp overflows (saturates to exactly 0 or 1 far out). float32 uses
// vexpf (native/core/vmath.h, within 1 ulp of expf) so the loop vectorizes; libm's expf is an
// opaque call that kept it scalar (a third of an evaluation forward's time went to sigmoid/tanh).
// sigmoid_backward: inputs (y, g) → dx = g·y·(1 − y).
#include <cmath>
#include "../core/elementwise.h"
#include "../core/vmath.h"

namespace mmg {
namespace {

template <typename T>
T sigmoid_one(T x) {
  const T e = fast_exp(-std::abs(x));
  return x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
}

template <typename T>
T sigmoid_backward_one(T y, T g) { return g * y * (T(1) - y); }

void sigmoid_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return sigmoid_one(x); });
}

void sigmoid_backward_cpu(Call& c) {
  unary_backward_kernel(c, "y", [](auto y, auto g) { return sigmoid_backward_one(y, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("sigmoid", MMG_CPU, sigmoid_cpu);
MMG_REGISTER_KERNEL("sigmoid_backward", MMG_CPU, sigmoid_backward_cpu);
}  // namespace mmg
