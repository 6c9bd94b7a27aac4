// sign on cuda-emu: sign.h over every thread of the grid.
#include "../ops/sign.h"
#include "elementwise.h"

namespace mmg {
namespace {

void sign_emu(Call& c) { emu::unary(c, [](auto t) { return body::SignOp<decltype(t)>(); }); }

}  // namespace
MMG_REGISTER_KERNEL("sign", MMG_CUDA_EMU, sign_emu);
}  // namespace mmg
