// abs: y = |x|, elementwise. float32/float64 x, any shape → y shaped like x.
// abs_backward: inputs (x, g) → dx = g·sign(x), with sign(0) = 0 (PyTorch's subgradient at 0).
#include <cmath>
#include "../core/elementwise.h"

namespace mmg {
namespace {

template <typename T>
T abs_one(T x) { return std::abs(x); }

template <typename T>
T abs_backward_one(T x, T g) { return x > T(0) ? g : x < T(0) ? -g : x == T(0) ? T(0) : x; }

void abs_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return abs_one(x); });
}

void abs_backward_cpu(Call& c) {
  unary_backward_kernel(c, "x", [](auto x, auto g) { return abs_backward_one(x, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("abs", MMG_CPU, abs_cpu);
MMG_REGISTER_KERNEL("abs_backward", MMG_CPU, abs_backward_cpu);
}  // namespace mmg
