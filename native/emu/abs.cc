// abs, abs_backward on cuda-emu: abs.h over every thread of the grid.
#include "../ops/abs.h"
#include "elementwise.h"

namespace mmg {
namespace {

void abs_emu(Call& c) { emu::unary(c, [](auto t) { return body::AbsOp<decltype(t)>(); }); }
void abs_backward_emu(Call& c) { emu::unary_backward(c, "x", [](auto t) { return body::AbsBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_REGISTER_KERNEL("abs", MMG_CUDA_EMU, abs_emu);
MMG_REGISTER_KERNEL("abs_backward", MMG_CUDA_EMU, abs_backward_emu);
}  // namespace mmg
