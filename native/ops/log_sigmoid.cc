// log_sigmoid: y = ln σ(x) = min(x, 0) − log1p(e^(−|x|)), elementwise; the form never overflows and
// keeps full precision for large |x| (ln σ(x) ≈ x for x ≪ 0, ≈ −e^(−x) for x ≫ 0).
// float32/float64 x, any shape → y shaped like x.
// log_sigmoid_backward: inputs (x, g) → dx = g·σ(−x), computed from e^(−|x|) as well.
#include <cmath>
#include "../core/elementwise.h"

namespace mmg {
namespace {

template <typename T>
T log_sigmoid_one(T x) { return std::min(x, T(0)) - std::log1p(std::exp(-std::abs(x))); }

template <typename T>
T log_sigmoid_backward_one(T x, T g) {
  const T e = std::exp(-std::abs(x));
  return g * (x >= T(0) ? e / (T(1) + e) : T(1) / (T(1) + e));
}

void log_sigmoid_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return log_sigmoid_one(x); });
}

void log_sigmoid_backward_cpu(Call& c) {
  unary_backward_kernel(c, "x", [](auto x, auto g) { return log_sigmoid_backward_one(x, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("log_sigmoid", MMG_CPU, log_sigmoid_cpu);
MMG_REGISTER_KERNEL("log_sigmoid_backward", MMG_CPU, log_sigmoid_backward_cpu);
}  // namespace mmg
