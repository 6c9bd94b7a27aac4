#include "gemm.h"
#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <vector>
#include "allocator.h"
#include "error.h"
#include "cpu_dispatch.h"
#include "parallel.h"
#include "gemm_eigen.h"
#include "gemm_special.h"

namespace mmg {

namespace {

// ---- naive reference (benchmarks and tests only) ----
template <typename T>
void gemm_naive(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b, int64_t ldb,
                T beta, T* c, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      T s = 0;
      for (int64_t p = 0; p < k; ++p) s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      c[i * ldc + j] = alpha * s + (beta == T(0) ? T(0) : beta * c[i * ldc + j]);
    }
}

// ---- built-in packed kernel (Goto-style: pack a KC x NC panel of B and an MC x KC block of A,
// then an MR x NR register-blocked micro-kernel) ----
// VB is the vector width in bytes the micro-kernel is written for: 32 (AVX2+FMA, and the baseline
// build, which pairs SSE ops from the same source) or 64 (AVX-512). The accumulator tile is MR rows
// of two vectors: 12 (AVX2: 16 ymm) or 24 (AVX-512: 32 zmm) accumulators, plus the two B vectors;
// A's values are broadcast from memory.
template <typename T, int VB> struct Tile {
  static constexpr int W = VB / int(sizeof(T));
  static constexpr int MR = VB == 64 ? 12 : 6, NR = 2 * W, KC = 256, MC = 96;
};
// The largest tile, for sizing the packing buffers once whatever level runs.
template <typename T> struct MaxTile {
  static constexpr int MR = Tile<T, 64>::MR, NR = Tile<T, 64>::NR, KC = Tile<T, 64>::KC, MC = Tile<T, 64>::MC;
};
static_assert(Tile<float, 64>::MC % Tile<float, 64>::MR == 0 && Tile<float, 32>::MC % Tile<float, 32>::MR == 0, "MC is whole panels");

// GCC vector extensions, so the AVX2 / AVX-512 copies emit FMAs on ymm / zmm registers from one
// source (plain scalar arrays were not kept in registers and ran at a few percent of Eigen).
// A is read either from the packed block (MR values per k step) or, with DIRECT, for full row panels
// of a non-transposed A, straight from its MR rows (stride lda): packing row-major A is a scalar
// transpose, a large share of the time on narrow products like D1 (n = 64), where each A value
// meets only n columns.
#if defined(__GNUC__)
template <typename T, int VB> struct Vec {
  typedef T type __attribute__((vector_size(VB), aligned(sizeof(T))));
};

// A full MR x NR tile of C is updated straight from the registers (C += alpha * acc); a partial one
// (the right or bottom edge) goes through `acc` and the caller's scalar loop. Returns whether C was
// updated. On k = 64 shapes (D5, D7, scoring) a tile's update is not small next to its k FMAs.
template <typename T, int VB, bool DIRECT>
MMG_ALWAYS_INLINE bool micro_kernel(int64_t kc, const T* __restrict ap, int64_t lda, const T* __restrict bp,
                                    T acc[][Tile<T, VB>::NR], bool full, T alpha, T* __restrict c, int64_t ldc) {
  constexpr int MR = Tile<T, VB>::MR, NR = Tile<T, VB>::NR, W = Tile<T, VB>::W;
  typedef typename Vec<T, VB>::type V;
  V c0[MR], c1[MR];
  for (int i = 0; i < MR; ++i) c0[i] = c1[i] = V{};
  const T* __restrict ar[MR];
  for (int i = 0; i < MR; ++i) ar[i] = DIRECT ? ap + i * lda : ap + i;
  for (int64_t p = 0; p < kc; ++p) {
    V b0, b1;
    __builtin_memcpy(&b0, bp + p * NR, sizeof(V));
    __builtin_memcpy(&b1, bp + p * NR + W, sizeof(V));
    for (int i = 0; i < MR; ++i) {
      const T a = DIRECT ? ar[i][p] : ar[i][p * MR];
      c0[i] += a * b0;
      c1[i] += a * b1;
    }
  }
  if (full) {
    for (int i = 0; i < MR; ++i) {
      V x0, x1;
      __builtin_memcpy(&x0, c + i * ldc, sizeof(V));
      __builtin_memcpy(&x1, c + i * ldc + W, sizeof(V));
      x0 += alpha * c0[i];
      x1 += alpha * c1[i];
      __builtin_memcpy(c + i * ldc, &x0, sizeof(V));
      __builtin_memcpy(c + i * ldc + W, &x1, sizeof(V));
    }
    return true;
  }
  for (int i = 0; i < MR; ++i) {
    __builtin_memcpy(&acc[i][0], &c0[i], sizeof(V));
    __builtin_memcpy(&acc[i][W], &c1[i], sizeof(V));
  }
  return false;
}
#else
template <typename T, int VB, bool DIRECT>
MMG_ALWAYS_INLINE bool micro_kernel(int64_t kc, const T* __restrict ap, int64_t lda, const T* __restrict bp,
                                    T acc[][Tile<T, VB>::NR], bool, T, T*, int64_t) {
  constexpr int MR = Tile<T, VB>::MR, NR = Tile<T, VB>::NR;
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = 0;
  for (int64_t p = 0; p < kc; ++p)
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) acc[i][j] += (DIRECT ? ap[i * lda + p] : ap[p * MR + i]) * bp[p * NR + j];
  return false;
}
#endif

template <typename T, int VB>
MMG_ALWAYS_INLINE void gemm_packed_body(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda,
                                        const T* b, int64_t ldb, T beta, T* c, int64_t ldc, T* apack, T* bpack) {
  constexpr int MR = Tile<T, VB>::MR, NR = Tile<T, VB>::NR, KC = Tile<T, VB>::KC, MC = Tile<T, VB>::MC;
  if (beta != T(1))
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
  if (k == 0) return;
  const int64_t n_panels = (n + NR - 1) / NR;
  for (int64_t p0 = 0; p0 < k; p0 += KC) {
    const int64_t kc = std::min<int64_t>(KC, k - p0);
    // Pack B[p0:p0+kc, :] into NR-wide column panels, zero-padded.
    for (int64_t jp = 0; jp < n_panels; ++jp) {
      T* dst = bpack + jp * kc * NR;
      for (int64_t p = 0; p < kc; ++p)
        for (int j = 0; j < NR; ++j) {
          int64_t col = jp * NR + j;
          dst[p * NR + j] = col < n ? (tb ? b[col * ldb + p0 + p] : b[(p0 + p) * ldb + col]) : T(0);
        }
    }
    for (int64_t i0 = 0; i0 < m; i0 += MC) {
      const int64_t mc = std::min<int64_t>(MC, m - i0);
      const int64_t m_panels = (mc + MR - 1) / MR;
      // Only panels read from apack are packed: all of them for a transposed A, otherwise just a
      // partial last panel (zero-padded rows).
      for (int64_t ip = 0; ip < m_panels; ++ip) {
        if (!ta && i0 + ip * MR + MR <= m) continue;
        T* dst = apack + ip * kc * MR;
        for (int64_t p = 0; p < kc; ++p)
          for (int i = 0; i < MR; ++i) {
            int64_t row = i0 + ip * MR + i;
            dst[p * MR + i] = row < m ? (ta ? a[(p0 + p) * lda + row] : a[row * lda + p0 + p]) : T(0);
          }
      }
      for (int64_t jp = 0; jp < n_panels; ++jp)
        for (int64_t ip = 0; ip < m_panels; ++ip) {
          alignas(64) T acc[MR][NR];
          const int64_t r0 = i0 + ip * MR, c0 = jp * NR;
          const bool full = r0 + MR <= m && c0 + NR <= n;
          T* ct = c + r0 * ldc + c0;
          const bool done = !ta && r0 + MR <= m
                                ? micro_kernel<T, VB, true>(kc, a + r0 * lda + p0, lda, bpack + jp * kc * NR, acc, full, alpha, ct, ldc)
                                : micro_kernel<T, VB, false>(kc, apack + ip * kc * MR, 0, bpack + jp * kc * NR, acc, full, alpha, ct, ldc);
          if (done) continue;
          const int rmax = static_cast<int>(std::min<int64_t>(MR, m - r0));
          const int cmax = static_cast<int>(std::min<int64_t>(NR, n - c0));
          for (int i = 0; i < rmax; ++i)
            for (int j = 0; j < cmax; ++j) c[(r0 + i) * ldc + c0 + j] += alpha * acc[i][j];
        }
    }
  }
}

// The packed kernel is compiled for AVX-512, AVX2+FMA and the baseline; cpu_dispatch.h picks one.
#define MMG_GEMM_PACKED_ARGS(T)                                                                                     \
  bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T *a, int64_t lda, const T *b, int64_t ldb, T beta, \
      T *c, int64_t ldc, T *ap, T *bp
#define MMG_GEMM_PACKED_CALL ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ap, bp
#if MMG_X86_DISPATCH
MMG_TARGET_AVX512 void gemm_packed_avx512(MMG_GEMM_PACKED_ARGS(float)) { gemm_packed_body<float, 64>(MMG_GEMM_PACKED_CALL); }
MMG_TARGET_AVX512 void gemm_packed_avx512(MMG_GEMM_PACKED_ARGS(double)) { gemm_packed_body<double, 64>(MMG_GEMM_PACKED_CALL); }
MMG_TARGET_AVX2 void gemm_packed_avx2(MMG_GEMM_PACKED_ARGS(float)) { gemm_packed_body<float, 32>(MMG_GEMM_PACKED_CALL); }
MMG_TARGET_AVX2 void gemm_packed_avx2(MMG_GEMM_PACKED_ARGS(double)) { gemm_packed_body<double, 32>(MMG_GEMM_PACKED_CALL); }
#endif
void gemm_packed_base(MMG_GEMM_PACKED_ARGS(float)) { gemm_packed_body<float, 32>(MMG_GEMM_PACKED_CALL); }
void gemm_packed_base(MMG_GEMM_PACKED_ARGS(double)) { gemm_packed_body<double, 32>(MMG_GEMM_PACKED_CALL); }
template <typename T>
void gemm_packed(MMG_GEMM_PACKED_ARGS(T)) {
#if MMG_X86_DISPATCH
  if (cpu_has_avx512()) return gemm_packed_avx512(MMG_GEMM_PACKED_CALL);
  if (cpu_has_avx2_fma()) return gemm_packed_avx2(MMG_GEMM_PACKED_CALL);
#endif
  gemm_packed_base(MMG_GEMM_PACKED_CALL);
}

// Per-thread grow-only scratch (gemm_special.h: slot 0: A panel, slot 1: B panel, 2: gemm_tiles'
// tile of C). Never shared: each pool thread and the JS thread has its own. Scratch that worker
// threads took from the caching allocator concurrently made the number of fresh blocks depend on
// which thread asked first.
void* thread_scratch(int slot, size_t bytes) { return gemm_thread_scratch(slot, bytes); }

template <typename T>
void gemm_builtin(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b, int64_t ldb,
                  T beta, T* c, int64_t ldc) {
  constexpr int MR = MaxTile<T>::MR, NR = MaxTile<T>::NR, KC = MaxTile<T>::KC, MC = MaxTile<T>::MC;
  // Packing buffers owned by the calling thread and grown only (to a power of two of B's columns):
  // a step's GEMMs have as many rows or columns as the batch has distinct users or items, which
  // varies, and buffers from the caching allocator then took a fresh block whenever a batch was
  // larger than the ones before (the steady-state test saw it). At most a few MB per thread.
  int64_t n_cols = NR;
  while (n_cols < n) n_cols *= 2;
  T* ap = static_cast<T*>(thread_scratch(0, sizeof(T) * KC * (MC + MR)));
  T* bp = static_cast<T*>(thread_scratch(1, sizeof(T) * KC * n_cols));
  gemm_packed(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ap, bp);
}

#if defined(MMG_HAVE_EIGEN)
// Eigen picks its SIMD width at compile time, so it is compiled up to three times
// (gemm_eigen_base.cc; gemm_eigen_avx2.cc with -mavx2 -mfma; gemm_eigen_avx512.cc with AVX-512
// F/DQ/VL/BW, each with its namespace renamed so they never share symbols) and we choose at run
// time with cpu_dispatch.h's checks, which honour the MMGRAPH_MAX_SIMD cap.
template <typename T>
void gemm_eigen(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b, int64_t ldb,
                T beta, T* c, int64_t ldc, bool allow_avx512 = true) {
#if defined(MMG_HAVE_EIGEN_AVX512)
  if (allow_avx512 && cpu_has_avx512()) return eigen_avx512::gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
#if defined(MMG_HAVE_EIGEN_AVX2)
  if (cpu_has_avx2_fma()) return eigen_avx2::gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
  eigen_base::gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#endif

template <typename T>
void gemm_serial(GemmImpl impl, bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
                 int64_t ldb, T beta, T* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  switch (impl) {
    case GemmImpl::Naive: gemm_naive(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return;
#if defined(MMG_HAVE_EIGEN)
    case GemmImpl::Eigen:
    case GemmImpl::Auto: gemm_eigen(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return;
    case GemmImpl::EigenAvx2: gemm_eigen(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, false); return;
#else
    case GemmImpl::Eigen:
    case GemmImpl::EigenAvx2:
    case GemmImpl::Auto:
#endif
    case GemmImpl::Builtin: gemm_builtin(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return;
  }
}

// How a product is spread over the pool: not at all (small, or one thread), or by C's rows or
// columns in parallel_for chunks of at least `grain`. gemm_tiles splits the same way.
struct GemmSplit {
  bool serial, by_rows;
  int64_t grain;
};
GemmSplit gemm_split(GemmImpl impl, int64_t m, int64_t n, int64_t k) {
  const double flops = 2.0 * double(m) * double(n) * double(k);
  const int threads = num_threads();
  if (threads <= 1 || flops < 2e6 || impl == GemmImpl::Naive) return {true, true, 0};
  // Split the longer side of C so each thread keeps whole cache-friendly panels.
  if (m >= n || m >= 4 * threads * 16) return {false, true, std::max<int64_t>(16, (m + threads - 1) / threads)};
  return {false, false, std::max<int64_t>(16, (n + threads - 1) / threads)};
}

}  // namespace

// The shape-specialized float32 kernels (gemm_special.h) the default path takes, in both builds.
// Returns whether one ran.
static bool gemm_special(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, const float* b,
                  int64_t ldb, float beta, float* c, int64_t ldc) {
  if (alpha != 1.f || (beta != 0.f && beta != 1.f) || m == 0 || n == 0) return false;
  const bool acc = beta == 1.f;
  if (ta && !tb && !acc && gemm_narrow_applies(m, n, k)) {
    gemm_narrow(m, n, k, a, lda, b, ldb, false, c, ldc);
    return true;
  }
  if (!ta && gemm_shallow_applies(m, n, k, tb)) {
    gemm_shallow(m, n, k, a, lda, b, ldb, tb, acc, c, ldc);
    return true;
  }
  return false;
}
static bool gemm_special(bool, bool, int64_t, int64_t, int64_t, double, const double*, int64_t, const double*, int64_t, double, double*,
                  int64_t) {
  return false;
}

template <typename T>
void gemm_with(GemmImpl impl, bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
               int64_t ldb, T beta, T* c, int64_t ldc) {
  if (impl == GemmImpl::Auto && gemm_special(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
  const GemmSplit split = gemm_split(impl, m, n, k);
  if (split.serial) {
    gemm_serial(impl, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const int64_t grain = split.grain;
  if (split.by_rows) {
    parallel_for(m, grain, [&](int64_t r0, int64_t r1) {
      const T* ab = ta ? a + r0 : a + r0 * lda;
      gemm_serial(impl, ta, tb, r1 - r0, n, k, alpha, ab, lda, b, ldb, beta, c + r0 * ldc, ldc);
    });
  } else {
    parallel_for(n, grain, [&](int64_t c0, int64_t c1) {
      const T* bb = tb ? b + c0 * ldb : b + c0;
      gemm_serial(impl, ta, tb, m, c1 - c0, k, alpha, a, lda, bb, ldb, beta, c + c0, ldc);
    });
  }
}

template <typename T>
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b, int64_t ldb, T beta,
          T* c, int64_t ldc) {
  gemm_with<T>(GemmImpl::Auto, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

namespace {

// One block of gemm_tiles (what gemm would compute in one gemm_serial call), cut into tiles.
// Eigen's kernel picks an element's summation path by its position inside the product it is
// given: C's columns go in groups of 3 vector widths (48 floats with AVX-512; every other width
// divides 48) with a tail path for the rest (one path sums even and odd k apart), C's rows in
// fours; a product with one row goes to GEMV, a tiny one to the coefficient-wise product. Tiles
// that start at multiples of 48 columns and 8 rows from the block's corner, and whose last piece
// is merged when it would be narrower than 48 columns or a single row, keep every element on the
// path it takes in the whole block. The built-in kernel sums alike at any position.
template <typename T>
void gemm_tiles_block(int64_t r0, int64_t r1, int64_t c0, int64_t c1, int64_t k, const T* a, int64_t lda, const T* b,
                      int64_t ldb, size_t tile_bytes,
                      const std::function<void(int64_t, int64_t, int64_t, int64_t, const T*, int64_t)>& consume) {
  const int64_t rows = r1 - r0, cols = c1 - c0;
  int64_t tr = rows, tc = cols;
  if (rows >= 2 && cols >= 48) {
    // Whole rows when 8 of them fit: a consumer that streams other [m, n] arrays alongside (the
    // Adam state) reads them contiguously then, which measured far faster than row segments.
    const int64_t elems = std::max<int64_t>(int64_t(tile_bytes / sizeof(T)), 48 * 8);
    tc = std::min<int64_t>(cols, std::max<int64_t>(48, elems / 8 / 48 * 48));
    tr = std::max<int64_t>(8, elems / tc / 8 * 8);
  }
  // Piece boundaries: full tiles, then the rest, merged into the last full one when too small.
  auto pieces = [](int64_t len, int64_t step, int64_t min_last) {
    int64_t full = len / step, rest = len - full * step;
    if (full == 0) return std::make_pair(int64_t(1), len);
    if (rest > 0 && rest < min_last) return std::make_pair(full, step + rest);  // last piece is step + rest
    return std::make_pair(full + (rest > 0), step);
  };
  const auto rp = pieces(rows, tr, 2), cp = pieces(cols, tc, 48);
  const int64_t max_r = std::max(tr, rp.second), max_c = std::max(tc, cp.second);
  const size_t bytes = sizeof(T) * size_t(std::min(max_r, rows)) * size_t(std::min(max_c, cols));
  T* buf = static_cast<T*>(thread_scratch(2, bytes));
  {
    for (int64_t i = 0; i < rp.first; ++i) {
      const int64_t ra = r0 + i * tr, rb = i + 1 == rp.first ? r1 : ra + tr;
      for (int64_t j = 0; j < cp.first; ++j) {
        const int64_t ca = c0 + j * tc, cb = j + 1 == cp.first ? c1 : ca + tc;
        gemm_serial<T>(GemmImpl::Auto, false, false, rb - ra, cb - ca, k, T(1), a + ra * lda, lda, b + ca, ldb, T(0), buf, cb - ca);
        consume(ra, rb, ca, cb, buf, cb - ca);
      }
    }
  }
}

}  // namespace

template <typename T>
void gemm_tiles(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, size_t tile_bytes,
                const std::function<void(int64_t, int64_t, int64_t, int64_t, const T*, int64_t)>& consume) {
  if (m == 0 || n == 0) return;
  const GemmSplit split = gemm_split(GemmImpl::Auto, m, n, k);
  if (split.serial)
    gemm_tiles_block<T>(0, m, 0, n, k, a, lda, b, ldb, tile_bytes, consume);
  else if (split.by_rows)
    parallel_for(m, split.grain, [&](int64_t r0, int64_t r1) { gemm_tiles_block<T>(r0, r1, 0, n, k, a, lda, b, ldb, tile_bytes, consume); });
  else
    parallel_for(n, split.grain, [&](int64_t c0, int64_t c1) { gemm_tiles_block<T>(0, m, c0, c1, k, a, lda, b, ldb, tile_bytes, consume); });
}

template void gemm_tiles<float>(int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t, size_t,
                                const std::function<void(int64_t, int64_t, int64_t, int64_t, const float*, int64_t)>&);
template void gemm_tiles<double>(int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t, size_t,
                                 const std::function<void(int64_t, int64_t, int64_t, int64_t, const double*, int64_t)>&);

template void gemm<float>(bool, bool, int64_t, int64_t, int64_t, float, const float*, int64_t, const float*, int64_t, float, float*,
                          int64_t);
template void gemm<double>(bool, bool, int64_t, int64_t, int64_t, double, const double*, int64_t, const double*, int64_t, double,
                           double*, int64_t);
template void gemm_with<float>(GemmImpl, bool, bool, int64_t, int64_t, int64_t, float, const float*, int64_t, const float*, int64_t,
                               float, float*, int64_t);
template void gemm_with<double>(GemmImpl, bool, bool, int64_t, int64_t, int64_t, double, const double*, int64_t, const double*,
                                int64_t, double, double*, int64_t);

bool gemm_has_eigen() {
#if defined(MMG_HAVE_EIGEN)
  return true;
#else
  return false;
#endif
}

const char* gemm_backend_name() { return gemm_has_eigen() ? "eigen" : "builtin"; }

const char* gemm_simd_name() {
#if defined(MMG_HAVE_EIGEN)
#if defined(MMG_HAVE_EIGEN_AVX512)
  if (cpu_has_avx512()) return "avx512";
#endif
#if defined(MMG_HAVE_EIGEN_AVX2)
  if (cpu_has_avx2_fma()) return "avx2";
#endif
  return "baseline";
#else
  return cpu_has_avx512() ? "avx512" : cpu_has_avx2_fma() ? "avx2" : "baseline";
#endif
}

std::string cpu_features_string() {
  std::string s;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sse4.2")) s += "sse4.2 ";
  if (__builtin_cpu_supports("avx")) s += "avx ";
  if (__builtin_cpu_supports("avx2")) s += "avx2 ";
  if (__builtin_cpu_supports("fma")) s += "fma ";
  if (__builtin_cpu_supports("avx512f")) s += "avx512f ";
  if (__builtin_cpu_supports("avx512dq")) s += "avx512dq ";
  if (__builtin_cpu_supports("avx512vl")) s += "avx512vl ";
  if (__builtin_cpu_supports("avx512bw")) s += "avx512bw ";
#endif
  if (!s.empty()) s.pop_back();
  return s;
}

}  // namespace mmg
