// spmm: Y = A·X with A a CSR matrix whose values are CONSTANTS (graph weights: no gradient flows
// to them) and X dense.
// Inputs: indptr int32 [n_rows+1], indices int32 [nnz] (in [0, X rows)), values [nnz], X [n_cols, d],
// optionally C [n_rows, d]; values, X and C float32/float64, same dtype. Attr: see spmm.h. Output:
// Y [n_rows, d] = A·X (+ C); an empty row gives zeros (or C's row). With C, each row's sum is
// formed first and C added last, so Y is bit-identical to add(spmm(A, X), C) in one pass less.
// Backward (lib/ops/spmm.ts): dX = Aᵀ·dY, i.e. this same kernel on the cached transpose
// (csr_transpose). Duplicate (i, j) entries are allowed and simply add up.
// Parallel over rows in chunks of about equal nnz; each row is summed in its stored order, so the
// result is deterministic and independent of the thread count.
#include <algorithm>
#include <type_traits>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif
#include "../core/cpu_dispatch.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "csr_check.h"
#include "spmm.h"  // spmm_check_inputs, spmm_values_check (every device); the CPU keeps its SIMD kernels


namespace mmg {
namespace {

// One output row: y = Σ_p v[p]·X[j[p], :]. D > 0 fixes the width at compile time so the
// accumulator lives in vector registers; D = 0 is the generic width d.
template <typename T, int D>
inline __attribute__((always_inline)) void spmm_row(const int32_t* __restrict j, const T* __restrict v, int32_t b, int32_t e,
                                                    const T* __restrict x, int64_t d, T* __restrict y, const T* __restrict ad) {
  if (D > 0) {
    T acc[D > 0 ? D : 1];
    for (int c = 0; c < D; ++c) acc[c] = T(0);
    for (int32_t p = b; p < e; ++p) {
      const T w = v[p];
      const T* __restrict xr = x + int64_t(j[p]) * D;
      for (int c = 0; c < D; ++c) acc[c] += w * xr[c];
    }
    if (ad)
      for (int c = 0; c < D; ++c) y[c] = acc[c] + ad[c];
    else
      for (int c = 0; c < D; ++c) y[c] = acc[c];
  } else {
    for (int64_t c = 0; c < d; ++c) y[c] = T(0);
    for (int32_t p = b; p < e; ++p) {
      const T w = v[p];
      const T* __restrict xr = x + int64_t(j[p]) * d;
      for (int64_t c = 0; c < d; ++c) y[c] += w * xr[c];
    }
    if (ad)
      for (int64_t c = 0; c < d; ++c) y[c] += ad[c];
  }
}

template <typename T, int D>
inline __attribute__((always_inline)) void spmm_rows(const int32_t* p, const int32_t* j, const T* v, const T* x, int64_t d, T* y,
                                                     const T* ad, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) spmm_row<T, D>(j, v, p[r], p[r + 1], x, d, y + r * d, ad ? ad + r * d : nullptr);
}

template <typename T>
inline __attribute__((always_inline)) void spmm_rows_width(const int32_t* p, const int32_t* j, const T* v, const T* x, int64_t d,
                                                           T* y, const T* ad, int64_t r0, int64_t r1) {
  if (d == 64) spmm_rows<T, 64>(p, j, v, x, d, y, ad, r0, r1);
  else if (d == 32) spmm_rows<T, 32>(p, j, v, x, d, y, ad, r0, r1);
  else spmm_rows<T, 0>(p, j, v, x, d, y, ad, r0, r1);
}

// Compiled for AVX-512, AVX2+FMA and the baseline; cpu_dispatch.h picks one per machine.
#if MMG_X86_DISPATCH
// float32, d = 64 under AVX-512: a row of X is four zmm registers, so each non-zero is one
// broadcast, four loads and four mul+add (not FMA: the same rounding as the portable copies,
// which are compiled without contraction). The X rows are a gather from a cache-resident matrix;
// prefetching the row kPrefetch non-zeros ahead hides most of its L2/L3 latency.
__attribute__((target("avx512f"))) void spmm_rows_f32x64_avx512(const int32_t* __restrict p, const int32_t* __restrict j,
                                                                const float* __restrict v, const float* __restrict x,
                                                                float* __restrict y, const float* __restrict ad, int64_t r0, int64_t r1) {
  constexpr int32_t kPrefetch = 8;
  const int32_t nnz_end = p[r1];
  for (int64_t r = r0; r < r1; ++r) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    const int32_t e = p[r + 1];
    for (int32_t q = p[r]; q < e; ++q) {
      if (q + kPrefetch < nnz_end) {
        const char* pf = reinterpret_cast<const char*>(x + int64_t(j[q + kPrefetch]) * 64);
        _mm_prefetch(pf, _MM_HINT_T0);
        _mm_prefetch(pf + 64, _MM_HINT_T0);
        _mm_prefetch(pf + 128, _MM_HINT_T0);
        _mm_prefetch(pf + 192, _MM_HINT_T0);
      }
      const __m512 w = _mm512_set1_ps(v[q]);
      const float* xr = x + int64_t(j[q]) * 64;
      a0 = _mm512_add_ps(a0, _mm512_mul_ps(w, _mm512_loadu_ps(xr)));
      a1 = _mm512_add_ps(a1, _mm512_mul_ps(w, _mm512_loadu_ps(xr + 16)));
      a2 = _mm512_add_ps(a2, _mm512_mul_ps(w, _mm512_loadu_ps(xr + 32)));
      a3 = _mm512_add_ps(a3, _mm512_mul_ps(w, _mm512_loadu_ps(xr + 48)));
    }
    float* yr = y + r * 64;
    if (ad) {
      const float* cr = ad + r * 64;
      a0 = _mm512_add_ps(a0, _mm512_loadu_ps(cr));
      a1 = _mm512_add_ps(a1, _mm512_loadu_ps(cr + 16));
      a2 = _mm512_add_ps(a2, _mm512_loadu_ps(cr + 32));
      a3 = _mm512_add_ps(a3, _mm512_loadu_ps(cr + 48));
    }
    _mm512_storeu_ps(yr, a0);
    _mm512_storeu_ps(yr + 16, a1);
    _mm512_storeu_ps(yr + 32, a2);
    _mm512_storeu_ps(yr + 48, a3);
  }
}

// The same under AVX2: eight ymm accumulators per row. (The auto-vectorized generic copy keeps
// its 64-wide accumulator in memory and runs about 10× slower.)
MMG_TARGET_AVX2 void spmm_rows_f32x64_avx2(const int32_t* __restrict p, const int32_t* __restrict j, const float* __restrict v,
                                           const float* __restrict x, float* __restrict y, const float* __restrict ad, int64_t r0,
                                           int64_t r1) {
  constexpr int32_t kPrefetch = 8;
  const int32_t nnz_end = p[r1];
  for (int64_t r = r0; r < r1; ++r) {
    __m256 a[8];
    for (int c = 0; c < 8; ++c) a[c] = _mm256_setzero_ps();
    const int32_t e = p[r + 1];
    for (int32_t q = p[r]; q < e; ++q) {
      if (q + kPrefetch < nnz_end) {
        const char* pf = reinterpret_cast<const char*>(x + int64_t(j[q + kPrefetch]) * 64);
        for (int c = 0; c < 4; ++c) _mm_prefetch(pf + 64 * c, _MM_HINT_T0);
      }
      const __m256 w = _mm256_set1_ps(v[q]);
      const float* xr = x + int64_t(j[q]) * 64;
      for (int c = 0; c < 8; ++c) a[c] = _mm256_add_ps(a[c], _mm256_mul_ps(w, _mm256_loadu_ps(xr + 8 * c)));
    }
    float* yr = y + r * 64;
    if (ad)
      for (int c = 0; c < 8; ++c) a[c] = _mm256_add_ps(a[c], _mm256_loadu_ps(ad + r * 64 + 8 * c));
    for (int c = 0; c < 8; ++c) _mm256_storeu_ps(yr + 8 * c, a[c]);
  }
}

template <typename T>
MMG_TARGET_AVX2 void spmm_rows_avx2(const int32_t* p, const int32_t* j, const T* v, const T* x, int64_t d, T* y, const T* ad,
                                    int64_t r0, int64_t r1) {
  spmm_rows_width<T>(p, j, v, x, d, y, ad, r0, r1);
}
#endif
template <typename T>
void spmm_rows_base(const int32_t* p, const int32_t* j, const T* v, const T* x, int64_t d, T* y, const T* ad, int64_t r0, int64_t r1) {
  spmm_rows_width<T>(p, j, v, x, d, y, ad, r0, r1);
}
template <typename T>
void spmm_rows_any(const int32_t* p, const int32_t* j, const T* v, const T* x, int64_t d, T* y, const T* ad, int64_t r0, int64_t r1) {
#if MMG_X86_DISPATCH
  if constexpr (std::is_same<T, float>::value) {
    if (d == 64 && cpu_has_avx512()) return spmm_rows_f32x64_avx512(p, j, v, x, y, ad, r0, r1);
    if (d == 64 && cpu_has_avx2_fma()) return spmm_rows_f32x64_avx2(p, j, v, x, y, ad, r0, r1);
  }
  if (cpu_has_avx2_fma()) return spmm_rows_avx2<T>(p, j, v, x, d, y, ad, r0, r1);
#endif
  spmm_rows_base<T>(p, j, v, x, d, y, ad, r0, r1);
}

template <typename T>
void spmm_run(const int32_t* p, const int32_t* j, const T* v, const T* x, int64_t n_rows, int64_t d, T* y, const T* ad) {
  // Split rows into chunks of about equal work (nnz plus one per row for the store), so a few
  // dense rows (popular items) do not leave one thread with most of the product.
  const int64_t nnz = p[n_rows];
  const int64_t work = nnz + n_rows;
  if (work * d < (int64_t(1) << 15) || num_threads() <= 1) {
    spmm_rows_any(p, j, v, x, d, y, ad, 0, n_rows);
    return;
  }
  const int64_t chunks = std::min<int64_t>(n_rows, int64_t(num_threads()) * 8);
  parallel_for(chunks, 1, [&](int64_t c0, int64_t c1) {
    // Chunk c covers rows whose cumulative work starts in [work·c/chunks, work·(c+1)/chunks).
    auto row_at = [&](int64_t c) -> int64_t {
      if (c >= chunks) return n_rows;
      const int64_t target = work * c / chunks;
      int64_t lo = 0, hi = n_rows;  // first row r with p[r] + r >= target
      while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (int64_t(p[mid]) + mid < target) lo = mid + 1; else hi = mid;
      }
      return lo;
    };
    const int64_t r0 = row_at(c0), r1 = row_at(c1);
    if (r0 < r1) spmm_rows_any(p, j, v, x, d, y, ad, r0, r1);
  });
}

void spmm_cpu(Call& c) {
  spmm_check_inputs(c);
  const mmg_tensor &P = c.in(0), &V = c.in(2), &X = c.in(3);
  const int64_t nnz = check_csr(c, 0, 1, X.shape[0], "A");
  spmm_values_check(c, nnz);
  const int64_t n_rows = P.shape[0] - 1, d = X.shape[1];
  const void* addend = spmm_addend(c, n_rows, d);
  mmg_tensor& Y = c.out({n_rows, d}, X.dtype);
  if (d == 0 || n_rows == 0) return;
  MMG_FLOAT_SWITCH(X.dtype, T, c,
                   spmm_run<T>(ptr<int32_t>(P), ptr<int32_t>(c.in(1)), ptr<T>(V), ptr<T>(X), n_rows, d, ptr<T>(Y),
                               static_cast<const T*>(addend)));
}

}  // namespace
MMG_REGISTER_KERNEL("spmm", MMG_CPU, spmm_cpu);
}  // namespace mmg
