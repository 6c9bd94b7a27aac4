// mul: C = A ⊙ B, elementwise. B has exactly A's shape, or is a row vector [cols] (or [1, cols])
// broadcast over A's rows. float32/float64, same dtype. Output: C shaped like A. Deterministic.
// mul_backward: inputs (g [A's shape], A, B) → dB shaped like B: g ⊙ A, summed over rows when B
// broadcasts (double accumulators, fixed order). dA = g ⊙ B is the forward kernel itself.
#include "mul.h"  // mul_plan, mul_backward_plan: the checks (shared with the CUDA port)
#include "../core/elementwise.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void mul_cpu(Call& c) {
  const MulPlan p = mul_plan(c);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const bool broadcast = p.broadcast;
  mmg_tensor& C = c.out_like(A);
  const int64_t n = p.n, nc = p.nc;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    const T* a = ptr<T>(A);
    const T* b = ptr<T>(B);
    T* o = ptr<T>(C);
    if (!broadcast) {
      parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) o[i] = body::MulOp<T>()(a[i], b[i]);
      });
    } else {
      parallel_for(rows(A), row_grain(nc), [&](int64_t s, int64_t e) {
        for (int64_t r = s; r < e; ++r) {
          const T* ar = a + r * nc;
          T* orow = o + r * nc;
          for (int64_t j = 0; j < nc; ++j) orow[j] = body::MulOp<T>()(ar[j], b[j]);
        }
      });
    }
  });
}

void mul_backward_cpu(Call& c) {
  const MulPlan p = mul_backward_plan(c);
  const mmg_tensor &G = c.in(0), &A = c.in(1), &B = c.in(2);
  const bool broadcast = p.broadcast;
  mmg_tensor& DB = c.out_like(B);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    const T* g = ptr<T>(G);
    const T* a = ptr<T>(A);
    T* db = ptr<T>(DB);
    if (!broadcast) {
      parallel_for(numel(G), kGrain, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) db[i] = body::MulOp<T>()(g[i], a[i]);
      });
    } else {
      const int64_t nc = cols(G);
      // The CPU's own column blocking (core/reduce.h col_sum); the devices cut the rows in chunks.
      col_sum(rows(G), nc, body::MulBackwardTerm<T>{g, a, nc}, body::MulBackwardEmit<T>{db});
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("mul", MMG_CPU, mul_cpu);
MMG_REGISTER_KERNEL("mul_backward", MMG_CPU, mul_backward_cpu);
}  // namespace mmg
