// abs, abs_backward: grid-stride elementwise kernels (elementwise.cuh) over abs.h.
#include "../../native/ops/abs.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

void abs_cuda(Call& c) { unary_cuda(c, [](auto t) { return body::AbsOp<decltype(t)>(); }); }
void abs_backward_cuda(Call& c) { unary_backward_cuda(c, "x", [](auto t) { return body::AbsBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_CUDA_OP("abs", abs_cuda);
MMG_CUDA_OP("abs_backward", abs_backward_cuda);
}  // namespace cuda
}  // namespace mmg
