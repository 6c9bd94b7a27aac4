// leaky_relu: y = x for x > 0, slope·x otherwise; float32/float64 x, any shape → y shaped like x.
// Attrs: [slope = 0.01] (finite). leaky_relu_backward: inputs (x, g), attrs [slope] →
// dx = g for x > 0, slope·g otherwise (PyTorch's choice at x = 0).
#include <cmath>
#include "../core/elementwise.h"

namespace mmg {
namespace {

template <typename T>
T leaky_relu_one(T x, T slope) { return x > T(0) ? x : x * slope; }

template <typename T>
T leaky_relu_backward_one(T x, T g, T slope) { return x > T(0) ? g : g * slope; }

double slope_attr(const Call& c) {
  const double s = c.attr_or(0, 0.01);
  if (!std::isfinite(s)) fail(MMG_E_ARG, c.op(), ": expected a finite slope, got ", s);
  return s;
}

void leaky_relu_cpu(Call& c) {
  const double s = slope_attr(c);
  unary_kernel(c, [&](auto x) { return leaky_relu_one(x, static_cast<decltype(x)>(s)); });
}

void leaky_relu_backward_cpu(Call& c) {
  const double s = slope_attr(c);
  unary_backward_kernel(c, "x", [&](auto x, auto g) { return leaky_relu_backward_one(x, g, static_cast<decltype(x)>(s)); });
}

}  // namespace
MMG_REGISTER_KERNEL("leaky_relu", MMG_CPU, leaky_relu_cpu);
MMG_REGISTER_KERNEL("leaky_relu_backward", MMG_CPU, leaky_relu_backward_cpu);
}  // namespace mmg
