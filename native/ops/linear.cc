// linear: y = x·Wᵀ + b. Inputs: x [n, in], W [out, in], b [out] or absent (null); float32/float64,
// one dtype. Output: y [n, out]. One fused pass: y is first filled with b (or left to gemm's beta = 0),
// then mmg::gemm accumulates x·Wᵀ into it (float32 shapes of gemm_special.h's shallow kernel: its
// chains start from b, without the pre-fill, same bits). Deterministic for a given shape and thread count (gemm.h).
// Backward (lib/ops/linear.ts): dx = g·W and dW = gᵀ·x (matmul kernel), db = Σ_rows g (sum, axis 0).
#include <algorithm>
#include "linear.h"  // linear_check (shared with the CUDA port)
#include "../core/gemm.h"
#include "../core/gemm_special.h"
#include "../core/reduce.h"
#include "../core/registry.h"

namespace mmg {
namespace {

// float32 shapes the shallow kernel takes (gemm_special.h): it starts each chain from b itself,
// the bits of the pre-fill + beta = 1 below, one pass over y fewer. Returns whether it ran.
bool shallow_with_bias(int64_t n, int64_t in, int64_t out, const float* x, const float* w, const float* b, float* y) {
  if (n == 0 || !gemm_shallow_applies(n, out, in, true)) return false;
  gemm_shallow(n, out, in, x, in, w, in, true, false, y, out, b);
  return true;
}
bool shallow_with_bias(int64_t, int64_t, int64_t, const double*, const double*, const double*, double*) { return false; }

void linear_cpu(Call& c) {
  const LinearPlan p = linear_check(c);
  const mmg_tensor &X = c.in(0), &W = c.in(1);
  const int64_t n = p.n, in = p.in, out = p.out;
  const bool has_b = p.has_b;
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    T* y = static_cast<T*>(p.y);
    if (has_b && shallow_with_bias(n, in, out, ptr<T>(X), ptr<T>(W), ptr<T>(c.in(2)), y)) return;
    if (has_b) {
      const T* b = ptr<T>(c.in(2));
      parallel_for(n, row_grain(out), [&](int64_t s, int64_t e) {
        for (int64_t r = s; r < e; ++r) std::copy(b, b + out, y + r * out);
      });
    }
    gemm<T>(false, true, n, out, in, T(1), ptr<T>(X), in, ptr<T>(W), in, has_b ? T(1) : T(0), y, out);
  });
}

}  // namespace
MMG_REGISTER_KERNEL("linear", MMG_CPU, linear_cpu);
}  // namespace mmg
