// adam: one fused, in-place Adam step with PyTorch's torch.optim.Adam semantics (amsgrad off,
// single-tensor path, the one PyTorch takes on CPU):
//   g ← g + wd·p (L2 added to the gradient, when wd ≠ 0)
//   m ← lerp(m, g, 1−β1)            v ← β2·v + (1−β2)·g·g
//   p ← p − (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + eps)
// Inputs (written in place): param, grad (read only), m, v: same shape, float32 or float64.
// Attrs: [lr, beta1, beta2, eps, weight_decay, step]: step t ≥ 1 is the count after this update.
// No outputs. The scalar factors are formed in double like Python's; the element math runs in the
// tensor's dtype in PyTorch's operation order. Element-wise, so deterministic on any thread count.
// adam_multi (contract in adam.h) steps several tensors in one call.
#include "adam.h"  // adam_plan, adam_step, body::adam_update (shared with the CUDA port)
#include "../core/cpu_dispatch.h"
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

// adam_update over n elements. The four arrays are distinct tensors (never views of one another),
// so they are declared non-aliasing and the body works on locals: that, and -fno-math-errno for
// sqrt, lets the compiler vectorize the loop (GCC unswitches the loop-invariant branches; k is
// copied so no store can be assumed to change it).
template <typename T>
MMG_ALWAYS_INLINE void adam_span(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, int64_t n,
                                 const body::AdamStep<T>& step) {
  const body::AdamStep<T> k = step;
  for (int64_t i = 0; i < n; ++i) {
    T pi = p[i], mi = m[i], vi = v[i];
    body::adam_update(pi, g[i], mi, vi, k);
    p[i] = pi;
    m[i] = mi;
    v[i] = vi;
  }
}

// The loop is bound by its square root and two divisions per element, so an AVX2 copy (twice the
// baseline's lanes) runs where the CPU has it. Not AVX-512 or FMA: either would let the compiler
// contract the separately rounded products of adam_update, and every copy must round alike.
#if MMG_X86_DISPATCH
__attribute__((target("avx2"))) void adam_span_avx2(float* p, const float* g, float* m, float* v, int64_t n,
                                                    const body::AdamStep<float>& k) {
  adam_span(p, g, m, v, n, k);
}
__attribute__((target("avx2"))) void adam_span_avx2(double* p, const double* g, double* m, double* v, int64_t n,
                                                    const body::AdamStep<double>& k) {
  adam_span(p, g, m, v, n, k);
}
#endif

template <typename T>
void adam_span_dispatch(T* p, const T* g, T* m, T* v, int64_t n, const body::AdamStep<T>& k) {
#if MMG_X86_DISPATCH
  if (cpu_has_avx2_fma()) return adam_span_avx2(p, g, m, v, n, k);
#endif
  adam_span(p, g, m, v, n, k);
}

template <typename T>
void adam_range(T* p, const T* g, T* m, T* v, int64_t s, int64_t e, const body::AdamStep<T>& k) {
  adam_span_dispatch(p + s, g + s, m + s, v + s, e - s, k);
}

}  // namespace

void adam_update_cpu(float* p, const float* g, float* m, float* v, int64_t n, const body::AdamStep<float>& k) {
  adam_span_dispatch(p, g, m, v, n, k);
}
void adam_update_cpu(double* p, const double* g, double* m, double* v, int64_t n, const body::AdamStep<double>& k) {
  adam_span_dispatch(p, g, m, v, n, k);
}

namespace {

void adam_cpu(Call& c) {
  const AdamPlan a = adam_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const body::AdamStep<T> k = adam_step<T>(a);
    T* p = ptr<T>(c.in(0));
    const T* g = ptr<T>(c.in(1));
    T *m = ptr<T>(c.in(2)), *v = ptr<T>(c.in(3));
    parallel_for(a.n, 1 << 15, [&](int64_t s, int64_t e) { adam_range(p, g, m, v, s, e, k); });
  });
}

// adam_multi (contract: adam.h): the tensors in turn, each as adam_cpu runs one.
void adam_multi_cpu(Call& c) {
  const std::vector<AdamPlan> plans = adam_multi_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    for (size_t i = 0; i < plans.size(); ++i) {
      const body::AdamStep<T> k = adam_step<T>(plans[i]);
      const int t = 4 * int(i);
      T* p = ptr<T>(c.in(t));
      const T* g = ptr<T>(c.in(t + 1));
      T *m = ptr<T>(c.in(t + 2)), *v = ptr<T>(c.in(t + 3));
      parallel_for(plans[i].n, 1 << 15, [&](int64_t s, int64_t e) { adam_range(p, g, m, v, s, e, k); });
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("adam", MMG_CPU, adam_cpu);
MMG_REGISTER_KERNEL("adam_multi", MMG_CPU, adam_multi_cpu);
}  // namespace mmg
