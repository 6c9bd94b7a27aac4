// linear_input_adam: one Adam step on the input X of a linear layer y = X·Wᵀ + b (a trainable
// feature table), with X's gradient dX = dY·W formed tile by tile and consumed by the update while
// the tile is in cache: no [n, k] gradient is ever stored.
// Inputs: param X [n, k] (written), dy [n, o], w [o, k], m [n, k] and v [n, k] (Adam's state,
// written); one float dtype (float32 or float64). Attrs: adam's [lr, beta1, beta2, eps,
// weight_decay, step]. No outputs.
// Every element gets exactly adam's update (adam.h: adam_update) with g = (dY·W)[r, c], so
// NaN and infinity propagate as they do through matmul then adam.
// CPU: the product's values are the matmul op's bit for bit (float32 on the shallow kernel's shapes:
// the same kernel, core/gemm_special.h; otherwise gemm_tiles), so the step equals
// matmul + adam exactly. CUDA: one kernel; a block holds a 64 × 64 tile of dX in registers, each
// element summed over o with fused multiply-adds in ascending order (cuda-emu forms the same
// sums per element, so the two agree bit for bit; cuBLAS's sums, behind the unfused path, differ
// in rounding). Deterministic on every device.
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"
#include "adam.h"

namespace mmg {
namespace body {

// A fused multiply-add rounded once, on both sides (the host's std::fma is IEEE's fusedMultiplyAdd).
#ifdef __CUDA_ARCH__
MMG_HD float hd_fma(float a, float b, float c) { return __fmaf_rn(a, b, c); }
MMG_HD double hd_fma(double a, double b, double c) { return __fma_rn(a, b, c); }
#else
MMG_HD float hd_fma(float a, float b, float c) { return std::fma(a, b, c); }
MMG_HD double hd_fma(double a, double b, double c) { return std::fma(a, b, c); }
#endif

// The CUDA kernel's tile: kLiaTile × kLiaTile elements of dX per block of kBlock threads (16 per
// thread), o consumed kLiaDepth at a time through shared memory.
constexpr int kLiaTile = 64, kLiaDepth = 16, kLiaSide = 16;  // kLiaSide² = kBlock threads
static_assert(kLiaSide * kLiaSide == kBlock, "one thread per 4 x 4 sub-tile");

// dX[r, c] as the CUDA kernel sums it (the cuda-emu twin calls this per element).
template <typename T>
MMG_HD T linear_input_grad(const T* dy, const T* w, int64_t o, int64_t k, int64_t r, int64_t c) {
  T acc = T(0);
  for (int64_t q = 0; q < o; ++q) acc = hd_fma(dy[r * o + q], w[q * k + c], acc);
  return acc;
}

// The update of element i = r·k + c once its gradient is known.
template <typename T>
MMG_HD void linear_input_adam_elem(int64_t i, T g, T* param, T* m_, T* v_, const AdamStep<T>& st) {
  T p = param[i], m = m_[i], v = v_[i];
  adam_update(p, g, m, v, st);
  param[i] = p;
  m_[i] = m;
  v_[i] = v;
}

}  // namespace body

struct LinearInputAdamPlan {
  AdamPlan adam;
  int64_t n = 0, k = 0, o = 0;
};

// The checks (every device runs them) and the scalars.
inline LinearInputAdamPlan linear_input_adam_plan(Call& c) {
  c.expect_inputs(5, 5);
  c.expect_float(0, "param");
  const char* names[5] = {"param", "dy", "w", "m", "v"};
  for (int i = 1; i < 5; ++i) c.expect_same_dtype(0, i, "param", names[i]);
  c.expect_ndim(0, "param", 2);
  c.expect_ndim(1, "dy", 2);
  c.expect_ndim(2, "w", 2);
  c.expect_same_shape(0, 3, "param", "m");
  c.expect_same_shape(0, 4, "param", "v");
  const mmg_tensor &X = c.in(0), &DY = c.in(1), &W = c.in(2);
  LinearInputAdamPlan p;
  p.n = X.shape[0];
  p.k = X.shape[1];
  p.o = DY.shape[1];
  if (DY.shape[0] != p.n) c.shape_error("dy [" + std::to_string(p.n) + ", out] for param " + shape_str(X), "dy " + shape_str(DY));
  if (W.shape[0] != p.o || W.shape[1] != p.k)
    c.shape_error("w [" + std::to_string(p.o) + ", " + std::to_string(p.k) + "] for dy " + shape_str(DY) + " and param " + shape_str(X),
                  "w " + shape_str(W));
  adam_expect_distinct(c, 0, 5, names);
  p.adam = adam_scalars(c, 5);
  p.adam.n = p.n * p.k;
  return p;
}

}  // namespace mmg
