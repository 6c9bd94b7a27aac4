// sum_squares on cuda-emu: the GPU's two-pass reduction twin, and the backward over every thread.
#include "../ops/sum_squares.h"
#include "block_reduce.h"

namespace mmg {
namespace {

void sum_squares_emu(Call& c) {
  sum_squares_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out({}, X.dtype);
  MMG_FLOAT_SWITCH(X.dtype, T, c, body::StoreSumSquares<T>{ptr<T>(Y)}(emu::reduce_all(numel(X), body::ReduceSquare<T>{ptr<T>(X)})));
}

void sum_squares_backward_emu(Call& c) {
  sum_squares_backward_check(c);
  const mmg_tensor &X = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T *x = ptr<T>(X), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    emu::for_threads(numel(X), [&](int64_t i) { body::sum_squares_backward_elem(i, x, g, dx); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("sum_squares", MMG_CUDA_EMU, sum_squares_emu);
MMG_REGISTER_KERNEL("sum_squares_backward", MMG_CUDA_EMU, sum_squares_backward_emu);
}  // namespace mmg
