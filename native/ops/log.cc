// log: y = ln x, elementwise; float32/float64 x, any shape → y shaped like x.
// Domain policy (numpy's, no error): ln 0 = −inf, ln of a negative value or NaN = NaN. Callers that
// need a guard add an epsilon or clamp first. log_backward: inputs (x, g) → dx = g / x (±inf at 0).
#include "log.h"  // body::LogOp, body::LogBackwardOp (one definition for every device)

namespace mmg {
namespace {

void log_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return body::LogOp<decltype(x)>()(x); });
}

void log_backward_cpu(Call& c) {
  unary_backward_kernel(c, "x", [](auto x, auto g) { return body::LogBackwardOp<decltype(x)>()(x, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("log", MMG_CPU, log_cpu);
MMG_REGISTER_KERNEL("log_backward", MMG_CPU, log_backward_cpu);
}  // namespace mmg
