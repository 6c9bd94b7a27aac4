// exp on cuda-emu: exp.h over every thread of the grid.
#include "../ops/exp.h"
#include "elementwise.h"

namespace mmg {
namespace {

void exp_emu(Call& c) { emu::unary(c, [](auto t) { return body::ExpOp<decltype(t)>(); }); }

}  // namespace
MMG_REGISTER_KERNEL("exp", MMG_CUDA_EMU, exp_emu);
}  // namespace mmg
