// scale on cuda-emu: scale.h over every thread of the grid.
#include "../ops/scale.h"
#include "elementwise.h"

namespace mmg {
namespace {

void scale_emu(Call& c) {
  const ScaleAttrs a = scale_attrs(c);
  emu::unary(c, [a](auto t) {
    using T = decltype(t);
    return body::ScaleOp<T>{static_cast<T>(a.alpha), static_cast<T>(a.beta)};
  });
}

}  // namespace
MMG_REGISTER_KERNEL("scale", MMG_CUDA_EMU, scale_emu);
}  // namespace mmg
