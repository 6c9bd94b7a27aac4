// mean: sum.cu's reductions with one division by the count in double (sum.h).
#include "../common.cuh"

namespace mmg {
namespace cuda {
void reduce_sum_cuda(Call& c, bool mean);       // sum.cu
void reduce_backward_cuda(Call& c, bool mean);  // sum.cu
namespace {
void mean_cuda(Call& c) { reduce_sum_cuda(c, true); }
void mean_backward_cuda(Call& c) { reduce_backward_cuda(c, true); }
}  // namespace
MMG_CUDA_OP("mean", mean_cuda);
MMG_CUDA_OP("mean_backward", mean_backward_cuda);
}  // namespace cuda
}  // namespace mmg
