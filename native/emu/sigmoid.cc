// sigmoid, sigmoid_backward on cuda-emu: sigmoid.h over every thread of the grid.
#include "../ops/sigmoid.h"
#include "elementwise.h"

namespace mmg {
namespace {

void sigmoid_emu(Call& c) { emu::unary(c, [](auto t) { return body::SigmoidOp<decltype(t)>(); }); }
void sigmoid_backward_emu(Call& c) { emu::unary_backward(c, "y", [](auto t) { return body::SigmoidBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_REGISTER_KERNEL("sigmoid", MMG_CUDA_EMU, sigmoid_emu);
MMG_REGISTER_KERNEL("sigmoid_backward", MMG_CUDA_EMU, sigmoid_backward_emu);
}  // namespace mmg
