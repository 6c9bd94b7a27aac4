// Vectorizable float32 exp for the hot loops (the exp op, InfoNCE's n×n exps). glibc's expf
// is an opaque call, so a loop over it runs one element at a time; this is plain arithmetic that
// GCC vectorizes (SSE2 in the baseline build, wider where a loop is compiled for AVX2).
//
// Method (Cody–Waite range reduction, then a minimax polynomial on [−ln2/2, ln2/2]):
//   n = rint(x·log2 e), r = x − n·ln2 (ln2 split in a high part exact in float and a low part),
//   e^r ≈ 1 + r + r²·P(r) (degree-5 P), result = e^r · 2ⁿ with 2ⁿ built in the exponent bits.
// Accuracy: max error 1 ulp against the correctly rounded value for results ≥ FLT_MIN (checked by
// test/ops/exp.test.ts against Math.exp on a dense sweep of the baseline build; a loop compiled for
// AVX2+FMA may contract the polynomial into FMAs, which changes the last bit at most). Special values: NaN → NaN,
// +inf and x > 88.7228 → +inf, −inf and x < −87.3365 → 0 (the true value is below FLT_MIN there,
// a denormal that kernels flush to zero anyway; near that end results below FLT_MIN are denormals
// that DenormalGuard's flush-to-zero mode turns into 0).
// float64 keeps std::exp: the float64 paths exist for gradient checks, where exactness matters more.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace mmg {

inline float vexpf(float x) {
  constexpr float kHi = 88.72283f, kLo = -87.33654f;
  // NaN is clamped too (to kLo: `x >= kLo` is false for it) so that n below stays in range: a NaN
  // converted to int32 and shifted would be undefined behaviour. The result is fixed to NaN below.
  const float xc = x > kHi ? kHi : (x >= kLo ? x : kLo);
  // round to nearest with the 1.5·2²³ trick (floorf is a libm call without SSE4.1, which would
  // stop the vectorizer); exact for |t| < 2²², far beyond the clamped range.
  constexpr float kRound = 12582912.0f;
  const float fn = (xc * 1.44269504088896341f + kRound) - kRound;
  float r = xc - fn * 0.693359375f;  // ln2 high part: 8 significant bits, so fn·hi is exact
  r = r - fn * -2.12194440e-4f;      // ln2 low part
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float er = p * r * r + r + 1.0f;
  // 2ⁿ as 2^⌊n/2⌋ · 2^(n−⌊n/2⌋): both factors stay normal for every n in [−126, 128].
  const int32_t n = static_cast<int32_t>(fn), n1 = n >> 1, n2 = n - n1;
  const int32_t b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  float s1, s2;
  std::memcpy(&s1, &b1, sizeof s1);
  std::memcpy(&s2, &b2, sizeof s2);
  float y = er * s1 * s2;
  if (x > kHi) y = std::numeric_limits<float>::infinity();
  if (x < kLo) y = 0.0f;
  if (x != x) y = x;
  return y;
}

// exp in T for the kernels: vexpf for float, std::exp for double.
inline float fast_exp(float x) { return vexpf(x); }
inline double fast_exp(double x) { return std::exp(x); }

// Vectorizable float32 tanh. |x| < 0.55: the odd Taylor series to x¹⁵ (the first omitted term is
// below 2.5e-8 there, under half an ulp of tanh); above: 1 − 2/(e^(2|x|) + 1), where the result
// is at least 0.5, so the subtraction loses nothing; past 9.1 it is 1 in float. Both branches are
// computed and one is selected, so the loop has no data-dependent branch. Accuracy: a few ulps
// against tanhf (test/ops/tanh.test.ts).
inline float vtanhf(float x) {
  const float a = x < 0.0f ? -x : x;
  const float z = a * a;
  float p = -929569.0f / 638512875.0f;
  p = p * z + 21844.0f / 6081075.0f;
  p = p * z - 1382.0f / 155925.0f;
  p = p * z + 62.0f / 2835.0f;
  p = p * z - 17.0f / 315.0f;
  p = p * z + 2.0f / 15.0f;
  p = p * z - 1.0f / 3.0f;
  const float small = a + a * z * p;
  const float large = 1.0f - 2.0f / (vexpf(2.0f * (a < 10.0f ? a : 10.0f)) + 1.0f);
  const float t = a < 0.55f ? small : large;
  const float y = x < 0.0f ? -t : t;
  return x != x ? x : y;
}
inline float fast_tanh(float x) { return vtanhf(x); }
inline double fast_tanh(double x) { return std::tanh(x); }

}  // namespace mmg
