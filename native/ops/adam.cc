// adam: one fused, in-place Adam step with PyTorch's torch.optim.Adam semantics (amsgrad off,
// single-tensor path, the one PyTorch takes on CPU):
//   g ← g + wd·p (L2 added to the gradient, when wd ≠ 0)
//   m ← lerp(m, g, 1−β1)            v ← β2·v + (1−β2)·g·g
//   p ← p − (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + eps)
// Inputs (written in place): param, grad (read only), m, v: same shape, float32 or float64.
// Attrs: [lr, beta1, beta2, eps, weight_decay, step]: step t ≥ 1 is the count after this update.
// No outputs. The scalar factors are formed in double like Python's; the element math runs in the
// tensor's dtype in PyTorch's operation order. Element-wise, so deterministic on any thread count.
#include <cmath>
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

template <typename T>
struct AdamConsts {
  T w1;             // 1 − β1, the lerp weight
  T beta2, w2;      // β2, 1 − β2
  T wd;
  T neg_step_size;  // −lr/(1 − β1ᵗ)
  T bc2_sqrt;       // √(1 − β2ᵗ)
  T eps;
};

// ---- per-element body (pure; the CUDA port reuses it) ----
template <typename T>
inline void adam_update(T& p, T g, T& m, T& v, const AdamConsts<T>& k) {
  if (k.wd != T(0)) g = g + k.wd * p;
  // at::lerp: the formula switches at weight 0.5 for accuracy.
  m = k.w1 < T(0.5) ? m + k.w1 * (g - m) : g - (g - m) * (T(1) - k.w1);
  v = v * k.beta2 + k.w2 * g * g;
  const T denom = std::sqrt(v) / k.bc2_sqrt + k.eps;
  p = p + k.neg_step_size * m / denom;
}

// adam_update over [s, e). The four arrays are distinct tensors (never views of one another), so
// they are declared non-aliasing and the body works on locals: that, and -fno-math-errno for
// sqrt, lets the compiler vectorize the loop (GCC unswitches the loop-invariant branches; k is
// taken by value so no store can be assumed to change it).
template <typename T>
void adam_range(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, int64_t s, int64_t e,
                const AdamConsts<T> k) {
  for (int64_t i = s; i < e; ++i) {
    T pi = p[i], mi = m[i], vi = v[i];
    adam_update(pi, g[i], mi, vi, k);
    p[i] = pi;
    m[i] = mi;
    v[i] = vi;
  }
}

void adam_cpu(Call& c) {
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
  const double lr = c.attr(0), beta1 = c.attr(1), beta2 = c.attr(2), eps = c.attr(3), wd = c.attr(4);
  const int64_t step = c.attr_int(5);
  if (!(lr >= 0)) fail(MMG_E_ARG, c.op(), ": expected a learning rate >= 0, got ", lr);
  if (!(beta1 >= 0 && beta1 < 1)) fail(MMG_E_ARG, c.op(), ": expected beta1 in [0, 1), got ", beta1);
  if (!(beta2 >= 0 && beta2 < 1)) fail(MMG_E_ARG, c.op(), ": expected beta2 in [0, 1), got ", beta2);
  if (!(eps >= 0)) fail(MMG_E_ARG, c.op(), ": expected eps >= 0, got ", eps);
  if (!(wd >= 0)) fail(MMG_E_ARG, c.op(), ": expected weight_decay >= 0, got ", wd);
  if (step < 1) fail(MMG_E_ARG, c.op(), ": expected step >= 1 (1-based), got ", step);
  const double bc1 = 1.0 - std::pow(beta1, double(step)), bc2 = 1.0 - std::pow(beta2, double(step));
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const AdamConsts<T> k{T(1.0 - beta1), T(beta2), T(1.0 - beta2), T(wd), T(-(lr / bc1)), T(std::sqrt(bc2)), T(eps)};
    T* p = ptr<T>(c.in(0));
    const T* g = ptr<T>(c.in(1));
    T *m = ptr<T>(c.in(2)), *v = ptr<T>(c.in(3));
    parallel_for(numel(c.in(0)), 1 << 15, [&](int64_t s, int64_t e) { adam_range(p, g, m, v, s, e, k); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("adam", MMG_CPU, adam_cpu);
}  // namespace mmg
