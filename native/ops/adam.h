// adam on the CUDA backend (contract: native/ops/adam.cc): one in-place Adam step per parameter
// tensor, one thread per element (the optimizer calls the op once per parameter, as on the CPU).
// adam_plan (checks, double-precision scalars) and adam_update (the element update, in PyTorch's
// operation order and the tensor's dtype) are the CPU kernel's own: native/ops/adam.cc calls
// them. Every product that feeds a sum is written as mul_rn/add_rn so nvcc cannot contract it
// into an FMA (on the host they are plain * and +): with IEEE division and square root (nvcc's
// defaults) and flushed float denormals on both sides, a GPU step rounds like the CPU's.
#pragma once
#include <cmath>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

template <typename T>
struct AdamStep {
  T w1;             // 1 − β1, the lerp weight
  T beta2, w2;      // β2, 1 − β2
  T wd;
  T neg_step_size;  // −lr/(1 − β1ᵗ)
  T bc2_sqrt;       // √(1 − β2ᵗ)
  T eps;
};

// The element update, on locals (the CPU's loop, native/ops/adam.cc adam_range, calls it too).
template <typename T>
MMG_HD void adam_update(T& p, T g, T& m, T& v, const AdamStep<T>& k) {
  if (k.wd != T(0)) g = add_rn(g, mul_rn(k.wd, p));
  // at::lerp: the formula switches at weight 0.5 for accuracy.
  m = k.w1 < T(0.5) ? add_rn(m, mul_rn(k.w1, g - m)) : sub_rn(g, mul_rn(g - m, T(1) - k.w1));
  v = add_rn(mul_rn(v, k.beta2), mul_rn(mul_rn(k.w2, g), g));
  const T denom = hd_sqrt(v) / k.bc2_sqrt + k.eps;
  p = add_rn(p, mul_rn(k.neg_step_size, m) / denom);
}

template <typename T>
MMG_HD void adam_elem(int64_t i, T* param, const T* grad, T* m_, T* v_, const AdamStep<T>& k) {
  T p = param[i], m = m_[i], v = v_[i];
  adam_update(p, grad[i], m, v, k);
  param[i] = p;
  m_[i] = m;
  v_[i] = v;
}

}  // namespace body

struct AdamPlan {
  double lr, beta1, beta2, eps, wd, bc1, bc2;
  int64_t n;
};

// The checks (the CPU kernel calls this too) and the double-precision scalars.
inline AdamPlan adam_plan(Call& c) {
  c.expect_inputs(4, 4);
  c.expect_float(0, "param");
  const char* names[4] = {"param", "grad", "m", "v"};
  for (int i = 1; i < 4; ++i) {
    c.expect_same_dtype(0, i, "param", names[i]);
    c.expect_same_shape(0, i, "param", names[i]);
  }
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j)
      if (c.in(i).data == c.in(j).data && numel(c.in(i)) > 0)
        fail(MMG_E_ARG, c.op(), ": expected ", names[i], " and ", names[j], " to be distinct tensors, got the same memory twice");
  AdamPlan p;
  p.lr = c.attr(0);
  p.beta1 = c.attr(1);
  p.beta2 = c.attr(2);
  p.eps = c.attr(3);
  p.wd = c.attr(4);
  const int64_t step = c.attr_int(5);
  if (!(p.lr >= 0)) fail(MMG_E_ARG, c.op(), ": expected a learning rate >= 0, got ", p.lr);
  if (!(p.beta1 >= 0 && p.beta1 < 1)) fail(MMG_E_ARG, c.op(), ": expected beta1 in [0, 1), got ", p.beta1);
  if (!(p.beta2 >= 0 && p.beta2 < 1)) fail(MMG_E_ARG, c.op(), ": expected beta2 in [0, 1), got ", p.beta2);
  if (!(p.eps >= 0)) fail(MMG_E_ARG, c.op(), ": expected eps >= 0, got ", p.eps);
  if (!(p.wd >= 0)) fail(MMG_E_ARG, c.op(), ": expected weight_decay >= 0, got ", p.wd);
  if (step < 1) fail(MMG_E_ARG, c.op(), ": expected step >= 1 (1-based), got ", step);
  p.bc1 = 1.0 - std::pow(p.beta1, double(step));
  p.bc2 = 1.0 - std::pow(p.beta2, double(step));
  p.n = numel(c.in(0));
  return p;
}

template <typename T>
body::AdamStep<T> adam_step(const AdamPlan& p) {
  return {T(1.0 - p.beta1), T(p.beta2), T(1.0 - p.beta2), T(p.wd), T(-(p.lr / p.bc1)), T(std::sqrt(p.bc2)), T(p.eps)};
}

}  // namespace mmg
