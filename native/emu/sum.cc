// sum and mean on cuda-emu: the GPU's reductions (native/emu/block_reduce.h twins: chunks, strides,
// trees and the column blocking), then the broadcast-back backward over every thread.
#include "../ops/sum.h"
#include "block_reduce.h"

namespace mmg {

void reduce_sum_emu(Call& c, bool mean) {
  const ReducePlan p = reduce_plan(c);
  const mmg_tensor& X = c.in(0);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    if (p.axis < 0) {
      mmg_tensor& Y = c.out({}, X.dtype);
      body::StoreReduced<T>{ptr<T>(Y), mean, double(p.n)}(emu::reduce_all(p.n, body::ReduceValue<T>{x, 0}));
    } else if (p.axis == 0) {
      mmg_tensor& Y = c.out({p.cols}, X.dtype);
      emu::col_sums(p.rows, p.cols, body::ReduceValue<T>{x, p.cols}, body::StoreReduced<T>{ptr<T>(Y), mean, double(p.rows)});
    } else {
      mmg_tensor& Y = c.out({p.rows}, X.dtype);
      T* y = ptr<T>(Y);
      emu::for_blocks(p.rows, p.cols, [&](int64_t r) {
        const double s = emu::block_sum<double>([&](int t) { return body::row_partial(body::ReduceValue<T>{x + r * p.cols, 0}, p.cols, t); });
        y[r] = body::reduce_result<T>(s, mean, double(p.cols));
      });
    }
  });
}

void reduce_backward_emu(Call& c, bool mean) {
  const ReducePlan p = reduce_backward_plan(c);
  const mmg_tensor &G = c.in(0), &X = c.in(1);
  mmg_tensor& DX = c.out_like(X);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    emu::for_threads(p.n, [&](int64_t i) { body::reduce_backward_elem(i, g, dx, p.axis, p.cols, mean, p.count); });
  });
}

namespace {
void sum_emu(Call& c) { reduce_sum_emu(c, false); }
void sum_backward_emu(Call& c) { reduce_backward_emu(c, false); }
}  // namespace
MMG_REGISTER_KERNEL("sum", MMG_CUDA_EMU, sum_emu);
MMG_REGISTER_KERNEL("sum_backward", MMG_CUDA_EMU, sum_backward_emu);
}  // namespace mmg
