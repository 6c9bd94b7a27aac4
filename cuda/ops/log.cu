// log, log_backward: grid-stride elementwise kernels (elementwise.cuh) over log.h.
#include "../../native/ops/log.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

void log_cuda(Call& c) { unary_cuda(c, [](auto t) { return body::LogOp<decltype(t)>(); }); }
void log_backward_cuda(Call& c) { unary_backward_cuda(c, "x", [](auto t) { return body::LogBackwardOp<decltype(t)>(); }); }

}  // namespace
MMG_CUDA_OP("log", log_cuda);
MMG_CUDA_OP("log_backward", log_backward_cuda);
}  // namespace cuda
}  // namespace mmg
