// variance on cuda-emu: the GPU's two reduction passes (block_reduce.h twins), then the backward
// over every thread.
#include "../ops/variance.h"
#include "block_reduce.h"

namespace mmg {
namespace {

void variance_emu(Call& c) {
  const int64_t corr = variance_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  const int64_t n = numel(X);
  double mean = 0;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    if (n > corr) body::StoreMean{&mean, n}(emu::reduce_all(n, body::ReduceValue<T>{x, 0}));
    body::StoreVariance<T>{ptr<T>(Y), n, corr}(emu::reduce_all(n > corr ? n : 0, body::SquaredDeviationAt<T>{x, &mean}));
  });
}

void variance_backward_emu(Call& c) {
  const int64_t corr = variance_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  const int64_t n = numel(X);
  if (n == 0) return;
  double mean = 0;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T *x = ptr<T>(X), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    body::StoreMean{&mean, n}(emu::reduce_all(n, body::ReduceValue<T>{x, 0}));
    emu::for_threads(n, [&](int64_t i) { body::variance_backward_elem(i, x, g, &mean, n, corr, dx); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("variance", MMG_CUDA_EMU, variance_emu);
MMG_REGISTER_KERNEL("variance_backward", MMG_CUDA_EMU, variance_backward_emu);
}  // namespace mmg
