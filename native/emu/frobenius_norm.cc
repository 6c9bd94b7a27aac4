// frobenius_norm on cuda-emu: the GPU's two passes, block by block, with the same chunking,
// thread strides and tree merge (emu::block_sum); the backward over every thread.
#include <vector>
#include "../ops/frobenius_norm.h"
#include "grid.h"

namespace mmg {
namespace {

void frobenius_norm_emu(Call& c) {
  frobenius_norm_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  const int64_t n = numel(X), nb = body::frob_blocks(n);
  std::vector<double> partial(size_t(nb > 0 ? nb : 1));
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    emu::for_blocks(nb, body::kFrobChunk, [&](int64_t b) {
      partial[size_t(b)] = emu::block_sum<double>([&](int t) { return body::frob_partial(x, n, b, t); });
    });
    const double s = emu::block_sum<double>([&](int t) { return body::frob_partial_of_partials(partial.data(), nb, t); });
    *ptr<T>(Y) = T(std::sqrt(s));
  });
}

void frobenius_norm_backward_emu(Call& c) {
  frobenius_norm_backward_check(c);
  const mmg_tensor &X = c.in(0), &Y = c.in(1), &G = c.in(2);
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T k = body::frob_backward_scale(*ptr<T>(Y), *ptr<T>(G));
    const T* x = ptr<T>(X);
    T* dx = ptr<T>(DX);
    emu::for_threads(numel(X), [&](int64_t i) { dx[i] = k * x[i]; });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("frobenius_norm", MMG_CUDA_EMU, frobenius_norm_emu);
MMG_REGISTER_KERNEL("frobenius_norm_backward", MMG_CUDA_EMU, frobenius_norm_backward_emu);
}  // namespace mmg
