// mean on cuda-emu: sum.cc's twins with one division by the count in double.
#include "../core/registry.h"

namespace mmg {
void reduce_sum_emu(Call& c, bool mean);       // sum.cc
void reduce_backward_emu(Call& c, bool mean);  // sum.cc
namespace {
void mean_emu(Call& c) { reduce_sum_emu(c, true); }
void mean_backward_emu(Call& c) { reduce_backward_emu(c, true); }
}  // namespace
MMG_REGISTER_KERNEL("mean", MMG_CUDA_EMU, mean_emu);
MMG_REGISTER_KERNEL("mean_backward", MMG_CUDA_EMU, mean_backward_emu);
}  // namespace mmg
