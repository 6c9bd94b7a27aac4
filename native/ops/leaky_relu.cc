// leaky_relu: y = x for x > 0, slope·x otherwise; float32/float64 x, any shape → y shaped like x.
// Attrs: [slope = 0.01] (finite). leaky_relu_backward: inputs (x, g), attrs [slope] →
// dx = g for x > 0, slope·g otherwise (PyTorch's choice at x = 0). Both multiply by a selected
// factor (x·1 = x exactly).
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include "../core/elementwise.h"

namespace mmg {
namespace {

// The factor x is multiplied by: 1 for x > 0, slope otherwise, chosen with integer bit operations.
// GCC (default -ftrapping-math) will not if-convert a float comparison or a conditional float multiply,
// which would leave a branch in every loop; this form vectorizes. On the bits read as an unsigned
// integer, x > 0 ⇔ bits − 1 < bits(+inf): +0 wraps around, negatives and NaNs lie above. (For a NaN x
// the forward is NaN whatever the factor; the backward gives slope·g, as x > 0 is false.)
template <typename T>
T leaky_factor(T x, T slope) {
  using U = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
  const T one = T(1), inf = std::numeric_limits<T>::infinity();
  U xb, ob, sb, ib;
  std::memcpy(&xb, &x, sizeof xb);
  std::memcpy(&ob, &one, sizeof ob);
  std::memcpy(&sb, &slope, sizeof sb);
  std::memcpy(&ib, &inf, sizeof ib);
  const U mask = U(0) - U(xb - 1 < ib);  // all ones when x > 0
  const U kb = (ob & mask) | (sb & ~mask);
  T k;
  std::memcpy(&k, &kb, sizeof k);
  return k;
}

template <typename T>
T leaky_relu_one(T x, T slope) { return x * leaky_factor(x, slope); }

template <typename T>
T leaky_relu_backward_one(T x, T g, T slope) { return g * leaky_factor(x, slope); }

double slope_attr(const Call& c) {
  const double s = c.attr_or(0, 0.01);
  if (!std::isfinite(s)) fail(MMG_E_ARG, c.op(), ": expected a finite slope, got ", s);
  return s;
}

void leaky_relu_cpu(Call& c) {
  const double s = slope_attr(c);
  unary_kernel(c, [s](auto x) { return leaky_relu_one(x, static_cast<decltype(x)>(s)); });
}

void leaky_relu_backward_cpu(Call& c) {
  const double s = slope_attr(c);
  unary_backward_kernel(c, "x", [s](auto x, auto g) { return leaky_relu_backward_one(x, g, static_cast<decltype(x)>(s)); });
}

}  // namespace
MMG_REGISTER_KERNEL("leaky_relu", MMG_CPU, leaky_relu_cpu);
MMG_REGISTER_KERNEL("leaky_relu_backward", MMG_CPU, leaky_relu_backward_cpu);
}  // namespace mmg
