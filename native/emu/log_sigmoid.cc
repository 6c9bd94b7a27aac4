// log_sigmoid, log_sigmoid_backward on cuda-emu: log_sigmoid.h over every thread of the grid.
#include "../ops/log_sigmoid.h"
#include "elementwise.h"

namespace mmg {
namespace {

void log_sigmoid_emu(Call& c) { emu::unary(c, [](auto t) { return body::LogSigmoidOp<decltype(t)>(); }); }
void log_sigmoid_backward_emu(Call& c) { emu::unary_backward(c, "x", [](auto t) { return body::LogSigmoidBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_REGISTER_KERNEL("log_sigmoid", MMG_CUDA_EMU, log_sigmoid_emu);
MMG_REGISTER_KERNEL("log_sigmoid_backward", MMG_CUDA_EMU, log_sigmoid_backward_emu);
}  // namespace mmg
