// The narrow (dW = dYᵀ·X) and shallow (dX = dY·W) float32 products (contract: gemm_special.h).
#include "gemm_special.h"
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include "cpu_dispatch.h"
#include "error.h"
#include "parallel.h"
#if MMG_X86_DISPATCH
#include <immintrin.h>
#endif

namespace mmg {

void* gemm_thread_scratch(int slot, size_t bytes) {
  constexpr int kSlots = 8;
  struct Scratch {
    void* p[kSlots] = {};
    size_t cap[kSlots] = {};
    ~Scratch() {
      for (void* q : p) std::free(q);
    }
  };
  thread_local Scratch s;
  if (bytes > s.cap[slot]) {
    const size_t want = (std::max(bytes, 2 * s.cap[slot]) + 63) & ~size_t(63);
    void* q = std::aligned_alloc(64, want);
    if (!q) fail(MMG_E_OOM, "out of host memory: could not allocate ", want, " bytes of per-thread scratch");
    std::free(s.p[slot]);
    s.p[slot] = q;
    s.cap[slot] = want;
  }
  return s.p[slot];
}

int gemm_special_vb() {
#if MMG_X86_DISPATCH
  if (cpu_has_avx512()) return 64;
  if (cpu_has_avx2_fma()) return 32;
#endif
  return 0;
}

// Where the kernels beat the general path (measured on the shapes of a training step, AMD Zen 5):
// the narrow one once k is deep enough for its k blocks and C has columns for two threads, or is
// one 64-column panel (56–64 wide: narrower, its idle lanes lost) with rows for two threads (from
// 32; below, Eigen was as fast; the AVX2 copy, on the wide tile, only matched Eigen's AVX2 copy,
// 0.95–1.07×, and is routed alike so both copies keep the same bits); the shallow one once C is wide enough that packing B pays off
// over A's rows. With B transposed (linear's x·Wᵀ, W [out, in]) it was measured only for C 64 and
// 128 wide: from 1,024 rows it matched or beat Eigen (64 wide: 1.05–1.15×, 128: 0.98–1.06×),
// below that Eigen was faster by a few µs of packing and start-up. The shallow one keeps
// all of B packed (and linear_input_adam a block of rows of dX) in grow-only thread scratch, so
// B is capped at 4 MB and C's width at 16,384 (a 768 KB block).
bool gemm_narrow_applies(int64_t m, int64_t n, int64_t k) {
  if (gemm_special_vb() == 0 || m < 1 || m > kNarrowMaxM || k < 256) return false;
  return n >= 256 || (m >= 32 && n >= 56 && n <= kNarrowSmallN);
}

bool gemm_shallow_applies(int64_t m, int64_t n, int64_t k, bool tb) {
  if (gemm_special_vb() == 0 || k < 1 || k > kShallowMaxK || n < 64) return false;
  if (tb) return n <= 128 && m >= 1024;
  return n <= 16384 && k * n <= (int64_t(1) << 20) && m >= 32;
}

namespace {
// A product too small to be worth waking the pool for (gemm.cc's threshold) runs as one chunk.
int64_t serial_grain(int64_t m, int64_t n, int64_t k, int64_t units) {
  return 2.0 * double(m) * double(n) * double(k) < 2e6 ? units : 1;
}
}  // namespace

#if MMG_X86_DISPATCH
namespace {
#define GK_NS gk512
#define GK_TARGET MMG_TARGET_AVX512
#define GK_VB 64
#include "gemm_simd.inc"
#undef GK_NS
#undef GK_TARGET
#undef GK_VB
#define GK_NS gk256
#define GK_TARGET MMG_TARGET_AVX2
#define GK_VB 32
#include "gemm_simd.inc"
#undef GK_NS
#undef GK_TARGET
#undef GK_VB

// small: the tile whose panel is a whole 64-column C (gemm_simd.inc).
MMG_TARGET_AVX512 void narrow_cols_avx512(bool small, int64_t m, int64_t c0, int64_t c1, int64_t k, const float* a, int64_t lda,
                                          const float* b, int64_t ldb, bool acc, float* c, int64_t ldc) {
  float* ap = static_cast<float*>(gemm_thread_scratch(3, sizeof(float) * gk512::TN_APACK));
  float* bp = static_cast<float*>(gemm_thread_scratch(4, sizeof(float) * gk512::TN_BPACK));
  if (small) gk512::narrow_cols<gk512::TS_MR, gk512::TS_NV>(m, c0, c1, k, a, lda, b, ldb, acc, c, ldc, ap, bp);
  else gk512::narrow_cols<gk512::TN_MR, gk512::TN_NV>(m, c0, c1, k, a, lda, b, ldb, acc, c, ldc, ap, bp);
}
MMG_TARGET_AVX2 void narrow_cols_avx2(bool small, int64_t m, int64_t c0, int64_t c1, int64_t k, const float* a, int64_t lda,
                                      const float* b, int64_t ldb, bool acc, float* c, int64_t ldc) {
  float* ap = static_cast<float*>(gemm_thread_scratch(3, sizeof(float) * gk256::TN_APACK));
  float* bp = static_cast<float*>(gemm_thread_scratch(4, sizeof(float) * gk256::TN_BPACK));
  if (small) gk256::narrow_cols<gk256::TS_MR, gk256::TS_NV>(m, c0, c1, k, a, lda, b, ldb, acc, c, ldc, ap, bp);
  else gk256::narrow_cols<gk256::TN_MR, gk256::TN_NV>(m, c0, c1, k, a, lda, b, ldb, acc, c, ldc, ap, bp);
}

MMG_TARGET_AVX512 void shallow_pack_avx512(int64_t k, int64_t n, const float* b, int64_t ldb, float* packed, int64_t j0, int64_t j1) {
  gk512::shallow_pack(k, n, b, ldb, packed, j0, j1);
}
MMG_TARGET_AVX2 void shallow_pack_avx2(int64_t k, int64_t n, const float* b, int64_t ldb, float* packed, int64_t j0, int64_t j1) {
  gk256::shallow_pack(k, n, b, ldb, packed, j0, j1);
}
MMG_TARGET_AVX512 void shallow_pack_t_avx512(int64_t k, int64_t n, const float* b, int64_t ldb, float* packed, int64_t j0, int64_t j1) {
  gk512::shallow_pack_t(k, n, b, ldb, packed, j0, j1);
}
MMG_TARGET_AVX2 void shallow_pack_t_avx2(int64_t k, int64_t n, const float* b, int64_t ldb, float* packed, int64_t j0, int64_t j1) {
  gk256::shallow_pack_t(k, n, b, ldb, packed, j0, j1);
}
MMG_TARGET_AVX512 void shallow_store_avx512(int64_t r0, int64_t r1, int64_t n, int64_t k, const float* a, int64_t lda, const float* packed,
                                            bool acc, const float* row0, float* c, int64_t ldc) {
  gk512::ShallowStore e{c, ldc, 0, acc, row0};
  gk512::shallow_rows(r0, r1, n, k, a, lda, packed, e);
}
MMG_TARGET_AVX2 void shallow_store_avx2(int64_t r0, int64_t r1, int64_t n, int64_t k, const float* a, int64_t lda, const float* packed,
                                        bool acc, const float* row0, float* c, int64_t ldc) {
  gk256::ShallowStore e{c, ldc, 0, acc, row0};
  gk256::shallow_rows(r0, r1, n, k, a, lda, packed, e);
}
}  // namespace
#endif

void gemm_narrow(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, bool accumulate, float* c,
                 int64_t ldc) {
#if MMG_X86_DISPATCH
  const int vb = gemm_special_vb();
  if (vb == 0 || m > kNarrowMaxM) fail(MMG_E_INTERNAL, "gemm_narrow: called where it does not apply");
  if (n <= kNarrowSmallN) {
    // One 64-column panel: C is shared out by row tiles (16 for a 64 × 64 C), not by columns.
    const int64_t mr = vb == 64 ? gk512::TS_MR : gk256::TS_MR, tiles = (m + mr - 1) / mr;
    parallel_for(tiles, serial_grain(m, n, k, tiles), [&](int64_t t0, int64_t t1) {
      const int64_t r0 = t0 * mr, r1 = std::min(m, t1 * mr);
      if (vb == 64) narrow_cols_avx512(true, r1 - r0, 0, n, k, a + r0, lda, b, ldb, accumulate, c + r0 * ldc, ldc);
      else narrow_cols_avx2(true, r1 - r0, 0, n, k, a + r0, lda, b, ldb, accumulate, c + r0 * ldc, ldc);
    });
    return;
  }
  const int64_t nr = vb == 64 ? gk512::TN_NR : gk256::TN_NR;
  const int64_t panels = (n + nr - 1) / nr;
  parallel_for(panels, std::max<int64_t>(4, serial_grain(m, n, k, panels)), [&](int64_t p0, int64_t p1) {
    const int64_t c0 = p0 * nr, c1 = std::min(n, p1 * nr);
    if (vb == 64) narrow_cols_avx512(false, m, c0, c1, k, a, lda, b, ldb, accumulate, c, ldc);
    else narrow_cols_avx2(false, m, c0, c1, k, a, lda, b, ldb, accumulate, c, ldc);
  });
#else
  (void)m, (void)n, (void)k, (void)a, (void)lda, (void)b, (void)ldb, (void)accumulate, (void)c, (void)ldc;
  fail(MMG_E_INTERNAL, "gemm_narrow: called where it does not apply");
#endif
}

void gemm_shallow_run(int64_t m, int64_t n, int64_t k, const float* b, int64_t ldb, bool tb,
                      const std::function<void(int vb, int64_t r0, int64_t r1, const float* packed)>& rows) {
#if MMG_X86_DISPATCH
  const int vb = gemm_special_vb();
  if (vb == 0 || k > kShallowMaxK) fail(MMG_E_INTERNAL, "gemm_shallow: called where it does not apply");
  const int64_t nr = vb == 64 ? gk512::SH_NR : gk256::SH_NR, mr = vb == 64 ? gk512::SH_MR : gk256::SH_MR;
  const int64_t panels = (n + nr - 1) / nr;
  const size_t floats = size_t(panels * nr * k);
  auto pack = [&](float* packed) {
    if (tb) {
      if (vb == 64) shallow_pack_t_avx512(k, n, b, ldb, packed, 0, panels);
      else shallow_pack_t_avx2(k, n, b, ldb, packed, 0, panels);
    } else {
      if (vb == 64) shallow_pack_avx512(k, n, b, ldb, packed, 0, panels);
      else shallow_pack_avx2(k, n, b, ldb, packed, 0, panels);
    }
  };
  const int64_t blocks = (m + mr - 1) / mr;
  if (floats <= 16384) {
    // A small B (linear's 64 × 64 W) is packed by every thread into its own scratch: reading one
    // copy packed by the calling thread pulled its lines over from that core's cache, which cost
    // more than packing them (measured: the shallow kernel lost to Eigen up to ~1,000 rows).
    parallel_for(blocks, serial_grain(m, n, k, blocks), [&](int64_t b0, int64_t b1) {
      float* packed = static_cast<float*>(gemm_thread_scratch(5, sizeof(float) * floats));
      pack(packed);
      rows(vb, b0 * mr, std::min(m, b1 * mr), packed);
    });
    return;
  }
  // The calling thread's scratch, read by the pool threads during this call only.
  float* packed = static_cast<float*>(gemm_thread_scratch(5, sizeof(float) * floats));
  pack(packed);
  parallel_for(blocks, serial_grain(m, n, k, blocks), [&](int64_t b0, int64_t b1) { rows(vb, b0 * mr, std::min(m, b1 * mr), packed); });
#else
  (void)m, (void)n, (void)k, (void)b, (void)ldb, (void)tb, (void)rows;
  fail(MMG_E_INTERNAL, "gemm_shallow: called where it does not apply");
#endif
}

void gemm_shallow(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, bool tb, bool accumulate,
                  float* c, int64_t ldc, const float* row0) {
  gemm_shallow_run(m, n, k, b, ldb, tb, [&](int vb, int64_t r0, int64_t r1, const float* packed) {
#if MMG_X86_DISPATCH
    if (vb == 64) shallow_store_avx512(r0, r1, n, k, a, lda, packed, accumulate, row0, c, ldc);
    else shallow_store_avx2(r0, r1, n, k, a, lda, packed, accumulate, row0, c, ldc);
#else
    (void)vb, (void)r0, (void)r1, (void)packed, (void)a, (void)lda, (void)accumulate, (void)row0, (void)c, (void)ldc;
#endif
  });
}

}  // namespace mmg
