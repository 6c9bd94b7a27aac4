// leaky_relu on the CUDA backend (contract: native/ops/leaky_relu.cc): one thread per element
// (elementwise.cuh). y = x·k and dx = g·k with k = 1 for x > 0, slope otherwise, where "x > 0" is
// the CPU's test on the bits (a denormal x counts as positive; a NaN x takes the slope).
// Attrs: [slope = 0.01], finite. Denormals: the CPU flushes float and double (FTZ+DAZ), a GPU
// only float (-ftz=true), so a float64 denormal x·k may survive there (no model relies on it).
#pragma once
#include <cmath>
#include <cstring>
#include <type_traits>
#include "elementwise.h"

namespace mmg {
namespace body {

// The factor x is multiplied by, formed exactly as on the CPU: on the bits read as an unsigned
// integer, x > 0 ⇔ bits − 1 < bits(+inf) (+0 wraps around, negatives and NaNs lie above), and the
// factor's bits are blended with that mask. A float select (x > 0 ? 1 : slope) would let the
// compiler fold x·1 into x, which keeps a denormal x that the CPU's multiply flushes to 0.
template <typename T>
MMG_HD T leaky_factor(T x, T slope) {
  using U = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
  const U inf_bits = sizeof(T) == 4 ? U(0x7F800000u) : U(0x7FF0000000000000ull);
  const T one = T(1);
  U xb, ob, sb;
  memcpy(&xb, &x, sizeof xb);
  memcpy(&ob, &one, sizeof ob);
  memcpy(&sb, &slope, sizeof sb);
  const U mask = U(0) - U(xb - 1 < inf_bits);  // all ones when x > 0
  const U kb = (ob & mask) | (sb & ~mask);
  T k;
  memcpy(&k, &kb, sizeof k);
  return k;
}

template <typename T>
struct LeakyReluOp {
  T slope;
  MMG_HD T operator()(T x) const { return x * leaky_factor(x, slope); }
};

template <typename T>
struct LeakyReluBackwardOp {
  T slope;
  MMG_HD T operator()(T x, T g) const { return g * leaky_factor(x, slope); }
};

}  // namespace body

// The slope attribute, checked before the inputs as on the CPU.
inline double leaky_relu_slope(const Call& c) {
  const double s = c.attr_or(0, 0.01);
  if (!std::isfinite(s)) fail(MMG_E_ARG, c.op(), ": expected a finite slope, got ", s);
  return s;
}

}  // namespace mmg
