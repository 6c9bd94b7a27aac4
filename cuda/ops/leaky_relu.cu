// leaky_relu, leaky_relu_backward: grid-stride elementwise kernels (elementwise.cuh) over
// leaky_relu.h.
#include "elementwise.cuh"
#include "../../native/ops/leaky_relu.h"

namespace mmg {
namespace cuda {
namespace {

void leaky_relu_cuda(Call& c) {
  const double s = leaky_relu_slope(c);
  unary_cuda(c, [s](auto t) { return body::LeakyReluOp<decltype(t)>{static_cast<decltype(t)>(s)}; });
}

void leaky_relu_backward_cuda(Call& c) {
  const double s = leaky_relu_slope(c);
  unary_backward_cuda(c, "x", [s](auto t) { return body::LeakyReluBackwardOp<decltype(t)>{static_cast<decltype(t)>(s)}; });
}

}  // namespace
MMG_CUDA_OP("leaky_relu", leaky_relu_cuda);
MMG_CUDA_OP("leaky_relu_backward", leaky_relu_backward_cuda);
}  // namespace cuda
}  // namespace mmg
