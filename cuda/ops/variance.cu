// variance: two deterministic double reductions (mean, then squared deviations; block_reduce.cuh)
// and the elementwise backward after a mean pass. Bodies and checks: variance.h.
#include "../block_reduce.cuh"
#include "../../native/ops/variance.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void variance_backward_kernel(int64_t n, const T* x, const T* g, const double* mean, int64_t corr, T* dx) {
  MMG_GRID_STRIDE(i, n) body::variance_backward_elem(i, x, g, mean, n, corr, dx);
}

void variance_cuda(Call& c) {
  const int64_t corr = variance_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  const int64_t n = numel(X);
  Scratch mean(sizeof(double), c.op());
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    if (n > corr) reduce_all(n, body::ReduceValue<T>{x, 0}, body::StoreMean{mean.as<double>(), n}, c.op());
    // n ≤ correction: no pass; the finish kernel writes the NaN.
    reduce_all(n > corr ? n : 0, body::SquaredDeviationAt<T>{x, mean.as<double>()}, body::StoreVariance<T>{ptr<T>(Y), n, corr}, c.op());
  });
}

void variance_backward_cuda(Call& c) {
  const int64_t corr = variance_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  const int64_t n = numel(X);
  if (n == 0) return;
  Scratch mean(sizeof(double), c.op());
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    reduce_all(n, body::ReduceValue<T>{x, 0}, body::StoreMean{mean.as<double>(), n}, c.op());
    variance_backward_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, x, ptr<T>(G), mean.as<double>(), corr, ptr<T>(DX));
  });
  check_launch(c.op(), "variance_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("variance", variance_cuda);
MMG_CUDA_OP("variance_backward", variance_backward_cuda);
}  // namespace cuda
}  // namespace mmg
