// linear: y = x·Wᵀ + b. Inputs: x [n, in], W [out, in], b [out] or absent (null); float32/float64,
// one dtype. Output: y [n, out]. One fused pass: y is first filled with b (or left to gemm's beta = 0),
// then mmg::gemm accumulates x·Wᵀ into it. Deterministic for a given shape and thread count (gemm.h).
// Backward (lib/ops/linear.ts): dx = g·W and dW = gᵀ·x (matmul kernel), db = Σ_rows g (sum, axis 0).
#include <algorithm>
#include "../core/gemm.h"
#include "../core/reduce.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void linear_cpu(Call& c) {
  c.expect_inputs(2, 3);
  c.expect_float(0, "x");
  c.expect_same_dtype(0, 1, "x", "W");
  c.expect_ndim(0, "x", 2);
  c.expect_ndim(1, "W", 2);
  const mmg_tensor &X = c.in(0), &W = c.in(1);
  const int64_t n = X.shape[0], in = X.shape[1], out = W.shape[0];
  if (W.shape[1] != in)
    c.shape_error("W [out, " + std::to_string(in) + "] for x " + shape_str(X), "W " + shape_str(W));
  const bool has_b = c.has_in(2);
  if (has_b) {
    c.expect_same_dtype(0, 2, "x", "b");
    const mmg_tensor& B = c.in(2);
    if (B.ndim != 1 || B.shape[0] != out)
      c.shape_error("b [" + std::to_string(out) + "] for W " + shape_str(W), "b " + shape_str(B));
  }
  mmg_tensor& Y = c.out({n, out}, X.dtype);
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    T* y = ptr<T>(Y);
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
