// exp: y = e^x, elementwise; float32/float64 x, any shape → y shaped like x. Overflows to +inf like
// numpy. Backward (lib/ops/exp.ts): dx = g·y with the mul kernel. float32 uses vexpf (≤ 1 ulp from
// the correctly rounded result, vectorized; results below FLT_MIN flush to 0), float64 std::exp.
#include <cmath>
#include "../core/elementwise.h"
#include "../core/vmath.h"
#include "../core/vmath_loops.h"

namespace mmg {
namespace {

template <typename T>
T exp_one(T x) { return fast_exp(x); }

void exp_cpu(Call& c) {
  unary_kernel_f32_loop(c, vloops::exp_array, [](auto x) { return exp_one(x); });
}

}  // namespace
MMG_REGISTER_KERNEL("exp", MMG_CPU, exp_cpu);
}  // namespace mmg
