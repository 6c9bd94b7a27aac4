// scale: a grid-stride elementwise kernel (elementwise.cuh) over scale.h.
#include "elementwise.cuh"
#include "../../native/ops/scale.h"

namespace mmg {
namespace cuda {
namespace {

void scale_cuda(Call& c) {
  const ScaleAttrs a = scale_attrs(c);
  unary_cuda(c, [a](auto t) {
    using T = decltype(t);
    return body::ScaleOp<T>{static_cast<T>(a.alpha), static_cast<T>(a.beta)};
  });
}

}  // namespace
MMG_CUDA_OP("scale", scale_cuda);
}  // namespace cuda
}  // namespace mmg
