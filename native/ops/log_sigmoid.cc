// log_sigmoid: y = ln σ(x) = min(x, 0) − log1p(e^(−|x|)), elementwise; the form never overflows and
// keeps full precision for large |x| (ln σ(x) ≈ x for x ≪ 0, ≈ −e^(−x) for x ≫ 0).
// float32/float64 x, any shape → y shaped like x.
// log_sigmoid_backward: inputs (x, g) → dx = g·σ(−x), computed from e^(−|x|) as well.
#include "log_sigmoid.h"  // body::LogSigmoidOp, body::LogSigmoidBackwardOp (one definition for every device)

namespace mmg {
namespace {

void log_sigmoid_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return body::LogSigmoidOp<decltype(x)>()(x); });
}

void log_sigmoid_backward_cpu(Call& c) {
  unary_backward_kernel(c, "x", [](auto x, auto g) { return body::LogSigmoidBackwardOp<decltype(x)>()(x, g); });
}

}  // namespace
MMG_REGISTER_KERNEL("log_sigmoid", MMG_CPU, log_sigmoid_cpu);
MMG_REGISTER_KERNEL("log_sigmoid_backward", MMG_CPU, log_sigmoid_backward_cpu);
}  // namespace mmg
