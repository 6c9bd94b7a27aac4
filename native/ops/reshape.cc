// reshape: y = x with a new shape of the same element count; the attrs are the new dimensions
// (0 to 4 of them, at most one −1, inferred). Any dtype (float and index tensors alike).
// y is a COPY, not a view: a tensor's dispose() (and tidy()) frees its storage at once, so a view
// sharing storage would dangle as soon as its base was disposed; one parallel memcpy is cheap next
// to the ops around it. Backward (lib/ops/reshape.ts): reshape g back to x's shape.
#include <cstring>
#include "reshape.h"  // reshape_plan: checks and shape inference (shared with the CUDA port)
#include "../core/reduce.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void reshape_cpu(Call& c) {
  const ReshapePlan p = reshape_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_shape(p.ndim, p.shape, X.dtype);
  const int64_t esize = int64_t(dtype_size(X.dtype)), bytes = p.bytes;
  const char* src = static_cast<const char*>(X.data);
  char* dst = static_cast<char*>(Y.data);
  parallel_for(bytes, esize * kGrain, [&](int64_t b, int64_t e) { std::memcpy(dst + b, src + b, size_t(e - b)); });
}

}  // namespace
MMG_REGISTER_KERNEL("reshape", MMG_CPU, reshape_cpu);
}  // namespace mmg
