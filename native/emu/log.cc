// log, log_backward on cuda-emu: log.h over every thread of the grid.
#include "../ops/log.h"
#include "elementwise.h"

namespace mmg {
namespace {

void log_emu(Call& c) { emu::unary(c, [](auto t) { return body::LogOp<decltype(t)>(); }); }
void log_backward_emu(Call& c) { emu::unary_backward(c, "x", [](auto t) { return body::LogBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_REGISTER_KERNEL("log", MMG_CUDA_EMU, log_emu);
MMG_REGISTER_KERNEL("log_backward", MMG_CUDA_EMU, log_backward_emu);
}  // namespace mmg
