// log_sigmoid, log_sigmoid_backward: grid-stride elementwise kernels (elementwise.cuh) over log_sigmoid.h.
#include "../../native/ops/log_sigmoid.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

void log_sigmoid_cuda(Call& c) { unary_cuda(c, [](auto t) { return body::LogSigmoidOp<decltype(t)>(); }); }
void log_sigmoid_backward_cuda(Call& c) { unary_backward_cuda(c, "x", [](auto t) { return body::LogSigmoidBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_CUDA_OP("log_sigmoid", log_sigmoid_cuda);
MMG_CUDA_OP("log_sigmoid_backward", log_sigmoid_backward_cuda);
}  // namespace cuda
}  // namespace mmg
