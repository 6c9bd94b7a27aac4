// exp: a grid-stride elementwise kernel (elementwise.cuh) over exp.h.
#include "../../native/ops/exp.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

void exp_cuda(Call& c) { unary_cuda(c, [](auto t) { return body::ExpOp<decltype(t)>(); }); }

}  // namespace
MMG_CUDA_OP("exp", exp_cuda);
}  // namespace cuda
}  // namespace mmg
