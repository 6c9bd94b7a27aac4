// row_softmax: y[r, :] = softmax(x[r, :]) over the last dimension. x float32/float64, rank ≥ 1 →
// y shaped like x. Stable: subtracts the row max before exp, so no finite input overflows; the row
// sum accumulates in double (deterministic). A row of all −inf gives NaN (as PyTorch).
// row_softmax_backward: inputs (y, g) → dx[r, :] = y ⊙ (g − Σ_j y_j·g_j).
#include <cmath>
#include "../core/elementwise.h"
#include "../core/vmath_loops.h"
#include "row_softmax.h"  // the checks and softmax_inv (every device)

namespace mmg {
namespace {

template <typename T>
void row_softmax_row(const T* x, T* y, int64_t n) {
  if (n == 0) return;
  T m = x[0];
  for (int64_t j = 1; j < n; ++j) m = x[j] > m ? x[j] : m;
  for (int64_t j = 0; j < n; ++j) y[j] = std::exp(x[j] - m);  // float64 only: float32 takes softmax_rows_f32
  const T inv = body::softmax_inv<T>(lane_sum(n, [&](int64_t j) { return double(y[j]); }));
  for (int64_t j = 0; j < n; ++j) y[j] *= inv;
}

template <typename T>
void row_softmax_backward_row(const T* y, const T* g, T* dx, int64_t n) {
  const T dot = static_cast<T>(lane_sum(n, [&](int64_t j) { return double(y[j]) * double(g[j]); }));
  for (int64_t j = 0; j < n; ++j) dx[j] = y[j] * (g[j] - dot);
}

// float32 rows as one targeted loop per ISA: the same steps as row_softmax_row (vexpf, the double
// lane_sum in its fixed order, so every copy gives the same bits), but the row loop, max, exp, sum
// and scale all vectorize in one function instead of a dispatched call per row.
MMG_ALWAYS_INLINE void softmax_rows_f32(const float* x, float* y, int64_t r0, int64_t r1, int64_t n) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* xr = x + r * n;
    float* yr = y + r * n;
    // The max in 16 lanes (a single running max is a serial chain the compiler will not reorder);
    // the max does not depend on the order (a NaN anywhere makes the whole row NaN either way).
    float lane[16];
    for (int k = 0; k < 16; ++k) lane[k] = xr[0];
    int64_t j = 0;
    for (; j + 16 <= n; j += 16)
      for (int k = 0; k < 16; ++k) lane[k] = xr[j + k] > lane[k] ? xr[j + k] : lane[k];
    for (; j < n; ++j) lane[0] = xr[j] > lane[0] ? xr[j] : lane[0];
    float m = lane[0];
    for (int k = 1; k < 16; ++k) m = lane[k] > m ? lane[k] : m;
    for (j = 0; j < n; ++j) yr[j] = vexpf(xr[j] - m);
    const float inv = body::softmax_inv<float>(lane_sum(n, [&](int64_t j) { return double(yr[j]); }));
    for (int64_t j = 0; j < n; ++j) yr[j] *= inv;
  }
}
void softmax_rows_base(const float* x, float* y, int64_t r0, int64_t r1, int64_t n) { softmax_rows_f32(x, y, r0, r1, n); }
MMG_TARGET_AVX2 void softmax_rows_avx2(const float* x, float* y, int64_t r0, int64_t r1, int64_t n) { softmax_rows_f32(x, y, r0, r1, n); }
MMG_TARGET_AVX512 void softmax_rows_avx512(const float* x, float* y, int64_t r0, int64_t r1, int64_t n) { softmax_rows_f32(x, y, r0, r1, n); }

void row_softmax_cpu(Call& c) {
  row_softmax_check(c);
  const mmg_tensor& X = c.in(0);
  mmg_tensor& Y = c.out_like(X);
  const int64_t nc = cols(X);
  if (X.dtype == MMG_F32 && nc > 0) {
    auto* rows_fn = cpu_has_avx512() ? softmax_rows_avx512 : cpu_has_avx2_fma() ? softmax_rows_avx2 : softmax_rows_base;
    const float* x = ptr<float>(X);
    float* y = ptr<float>(Y);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) { rows_fn(x, y, b, e, nc); });
    return;
  }
  MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    T* y = ptr<T>(Y);
    parallel_for(rows(X), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) row_softmax_row(x + r * nc, y + r * nc, nc);
    });
  });
}

void row_softmax_backward_cpu(Call& c) {
  row_softmax_backward_check(c);
  const mmg_tensor &Y = c.in(0), &G = c.in(1);
  mmg_tensor& DX = c.out_like(Y);
  const int64_t nc = cols(Y);
  MMG_FLOAT_SWITCH(Y.dtype, T, c, {
    const T *y = ptr<T>(Y), *g = ptr<T>(G);
    T* dx = ptr<T>(DX);
    parallel_for(rows(Y), row_grain(nc), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) row_softmax_backward_row(y + r * nc, g + r * nc, dx + r * nc, nc);
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("row_softmax", MMG_CPU, row_softmax_cpu);
MMG_REGISTER_KERNEL("row_softmax_backward", MMG_CPU, row_softmax_backward_cpu);
}  // namespace mmg
