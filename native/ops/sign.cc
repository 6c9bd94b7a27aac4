// sign: y = sign(x) ∈ {−1, 0, +1}, elementwise, with sign(±0) = 0 and sign(NaN) = NaN (a NaN must
// stay visible, not turn into a silent 0). float32/float64 x, any shape → y shaped like x.
// No backward kernel: the derivative is 0 wherever it exists, so lib/ops/sign.ts returns a constant
// (PyTorch's sign backward is zeros too). Used by GUME's noise views E + 0.1·sign(E)⊙rownorm(Ξ).
#include "sign.h"  // body::SignOp (one definition for every device)

namespace mmg {
namespace {

void sign_cpu(Call& c) {
  unary_kernel(c, [](auto x) { return body::SignOp<decltype(x)>()(x); });
}

}  // namespace
MMG_REGISTER_KERNEL("sign", MMG_CPU, sign_cpu);
}  // namespace mmg
