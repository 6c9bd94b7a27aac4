// sigmoid, sigmoid_backward: grid-stride elementwise kernels (elementwise.cuh) over sigmoid.h.
#include "../../native/ops/sigmoid.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

void sigmoid_cuda(Call& c) { unary_cuda(c, [](auto t) { return body::SigmoidOp<decltype(t)>(); }); }
void sigmoid_backward_cuda(Call& c) { unary_backward_cuda(c, "y", [](auto t) { return body::SigmoidBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_CUDA_OP("sigmoid", sigmoid_cuda);
MMG_CUDA_OP("sigmoid_backward", sigmoid_backward_cuda);
}  // namespace cuda
}  // namespace mmg
