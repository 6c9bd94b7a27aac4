// Whole-array float32 loops over vmath.h's functions, compiled for AVX-512, for AVX2+FMA and for the
// baseline and chosen at run time (cpu_dispatch.h). A plain loop in an op's lambda is compiled for
// the baseline only, and GCC kept vexpf/vtanhf scalar there (about 2 ns per element); each copy
// below is a targeted function, so the same source vectorizes at the width it is compiled for.
#pragma once
#include <cstdint>
#include "cpu_dispatch.h"
#include "vmath.h"

namespace mmg {
namespace vloops {

MMG_ALWAYS_INLINE float sigmoid_f(float x) {
  const float e = vexpf(x < 0.0f ? x : -x);  // e^(−|x|)
  return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

#define MMG_VLOOP(name, expr)                                                                              \
  inline void name##_base(const float* __restrict x, float* __restrict y, int64_t n) {                   \
    for (int64_t i = 0; i < n; ++i) y[i] = expr(x[i]);                                                   \
  }                                                                                                       \
  MMG_TARGET_AVX2 inline void name##_avx2(const float* __restrict x, float* __restrict y, int64_t n) {   \
    for (int64_t i = 0; i < n; ++i) y[i] = expr(x[i]);                                                   \
  }                                                                                                       \
  MMG_TARGET_AVX512 inline void name##_avx512(const float* __restrict x, float* __restrict y, int64_t n) { \
    for (int64_t i = 0; i < n; ++i) y[i] = expr(x[i]);                                                   \
  }                                                                                                       \
  inline void name(const float* x, float* y, int64_t n) {                                                \
    if (cpu_has_avx512()) name##_avx512(x, y, n);                                                        \
    else if (cpu_has_avx2_fma()) name##_avx2(x, y, n);                                                   \
    else name##_base(x, y, n);                                                                           \
  }
MMG_VLOOP(exp_array, vexpf)
MMG_VLOOP(sigmoid_array, sigmoid_f)
MMG_VLOOP(tanh_array, vtanhf)
#undef MMG_VLOOP


}  // namespace vloops
}  // namespace mmg
