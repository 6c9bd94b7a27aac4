// tanh, tanh_backward: grid-stride elementwise kernels (elementwise.cuh) over tanh.h.
#include "../../native/ops/tanh.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

void tanh_cuda(Call& c) { unary_cuda(c, [](auto t) { return body::TanhOp<decltype(t)>(); }); }
void tanh_backward_cuda(Call& c) { unary_backward_cuda(c, "y", [](auto t) { return body::TanhBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_CUDA_OP("tanh", tanh_cuda);
MMG_CUDA_OP("tanh_backward", tanh_backward_cuda);
}  // namespace cuda
}  // namespace mmg
