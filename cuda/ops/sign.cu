// sign: a grid-stride elementwise kernel (elementwise.cuh) over sign.h.
#include "../../native/ops/sign.h"
#include "elementwise.cuh"

namespace mmg {
namespace cuda {
namespace {

void sign_cuda(Call& c) { unary_cuda(c, [](auto t) { return body::SignOp<decltype(t)>(); }); }

}  // namespace
MMG_CUDA_OP("sign", sign_cuda);
}  // namespace cuda
}  // namespace mmg
