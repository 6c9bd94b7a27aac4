// rand_like on cuda-emu: rand_like.h over every thread of the grid.
#include "../ops/rand_like.h"
#include "grid.h"

namespace mmg {
namespace {

void rand_like_emu(Call& c) {
  const uint64_t seed = rand_like_plan(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& U = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    T* u = ptr<T>(U);
    emu::for_threads(numel(X), [&](int64_t i) { u[i] = body::rand_like_one<T>(seed, uint64_t(i)); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("rand_like", MMG_CUDA_EMU, rand_like_emu);
}  // namespace mmg
