// Shape-specialized float32 products that gemm<float> takes instead of its general path (core
// gemm.cc routes to them in both builds, Eigen and built-in), on CPUs with AVX2+FMA (an AVX-512
// copy where the CPU and MMGRAPH_MAX_SIMD allow it). The kernels: gemm_simd.inc.
//  - narrow: C [m, n] = Aᵀ·B (+ C) with few rows of C and a deep inner dimension: a linear
//    layer's weight gradient dW = dYᵀ·X over a feature table (m = 64, k = 7,050, n = 4,096), and
//    a 64-wide layer's (m = n = 64, k = thousands of rows). Parallel over C's columns (over its
//    rows for a C one 64-column panel wide); k is never split across threads.
//  - shallow: C [m, n] = A·B (+ C) with a shallow inner dimension: a feature table's gradient
//    dX = dY·W (k = 64, wide C), and linear's y = x·Wᵀ + b (B transposed, C pre-filled with b;
//    k = n = 64, many rows). B is packed once per call; parallel over C's rows.
//    linear_input_adam runs the same kernel with its Adam update as the epilogue, so its
//    gradient is the matmul op's bit for bit.
// Each element of C is one chain of fused multiply-adds over k in ascending order (from 0, or from
// C's old value when accumulating: gemm's beta = 1, which is how linear's bias, pre-filled into
// y, enters the chain first): the result depends on neither the thread count nor the ISA copy,
// nor on the tile shape or whether B was packed transposed. float64, other shapes and CPUs without AVX2+FMA keep gemm's general path.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

namespace mmg {

constexpr int64_t kNarrowMaxM = 128;   // rows of C the narrow kernel takes
constexpr int64_t kNarrowSmallN = 64;  // C at most this wide: the narrow kernel's one-panel tile, split by rows
constexpr int64_t kShallowMaxK = 128;  // inner dimension the shallow kernel takes

// The SIMD width (bytes) the special kernels run at here: 64 (AVX-512), 32 (AVX2+FMA) or 0 (none:
// gemm's general path).
int gemm_special_vb();

// Whether gemm<float>(ta = 1, tb = 0, m, n, k, alpha = 1, ..., beta = 0) goes to the narrow kernel
// (gemm routes beta = 1 to the general path: measured only for beta = 0).
bool gemm_narrow_applies(int64_t m, int64_t n, int64_t k);
// C = Aᵀ·B (accumulate: C += Aᵀ·B, the sum continuing from C's values). A [k, m], B [k, n], row strides lda, ldb.
void gemm_narrow(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, bool accumulate, float* c,
                 int64_t ldc);

// Whether gemm<float>(ta = 0, tb, m, n, k, alpha = 1, ..., beta ∈ {0, 1}) goes to the shallow
// kernel (linear_input_adam asks the same question for its dX = dY·W, tb = 0).
bool gemm_shallow_applies(int64_t m, int64_t n, int64_t k, bool tb = false);
// C = A·op(B) (accumulate: C += A·op(B), each chain starting from C's value: gemm's beta = 1, so
// linear's bias pre-filled into y is the chain's start). A [m, k]; B [k, n], or [n, k] with tb
// (linear's W [out, in]: packed transposed); row strides lda, ldb. row0 (not with accumulate):
// every row's chains start from row0 [n] instead of 0, the bits of C pre-filled with row0 and
// accumulated (linear's bias, without the pass that pre-fills y).
void gemm_shallow(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, bool tb, bool accumulate,
                  float* c, int64_t ldc, const float* row0 = nullptr);
// The shallow kernel's driver, for an epilogue of the caller's (linear_input_adam): packs B [k, n]
// (or B [n, k] transposed, with tb) for the SIMD level `vb` that runs (gemm_special_vb(), nonzero),
// into the calling thread's scratch, then calls rows(vb, r0, r1, packed) over C's m rows in
// parallel chunks of whole tiles. rows runs the level's shallow_rows (gemm_simd.inc) on the
// packed panels.
void gemm_shallow_run(int64_t m, int64_t n, int64_t k, const float* b, int64_t ldb, bool tb,
                      const std::function<void(int vb, int64_t r0, int64_t r1, const float* packed)>& rows);

// Per-thread grow-only scratch shared by gemm.cc's kernels and these (slots 0–2: gemm.cc; 3, 4:
// the narrow kernel's A and B blocks; 5: the shallow kernel's packed B; 6, 7: row_lse.h's
// similarity blocks, live while GEMMs run). 64-byte aligned, freed when the thread exits, never
// shared between threads unless its owner hands it out for one call.
void* gemm_thread_scratch(int slot, size_t bytes);

}  // namespace mmg
