// tanh, tanh_backward on cuda-emu: tanh.h over every thread of the grid.
#include "../ops/tanh.h"
#include "elementwise.h"

namespace mmg {
namespace {

void tanh_emu(Call& c) { emu::unary(c, [](auto t) { return body::TanhOp<decltype(t)>(); }); }
void tanh_backward_emu(Call& c) { emu::unary_backward(c, "y", [](auto t) { return body::TanhBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_REGISTER_KERNEL("tanh", MMG_CUDA_EMU, tanh_emu);
MMG_REGISTER_KERNEL("tanh_backward", MMG_CUDA_EMU, tanh_backward_emu);
}  // namespace mmg
