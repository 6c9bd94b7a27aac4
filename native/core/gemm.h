// Dense products, row-major: C = alpha * op(A) * op(B) + beta * C, op = identity or transpose.
// Used by matmul, linear and every op that needs a dense product. Eigen 3.4 when its headers were
// found at build time, otherwise the built-in packed kernel. Parallel over C's rows (or columns,
// when C has few rows); each thread runs a single-threaded product on its block.
// Deterministic: the summation order depends only on the shapes, never on thread timing.
// float32 products of a few shapes (a weight gradient over a wide table, a table's gradient with a
// shallow inner dimension) take the kernels of gemm_special.h instead, in both builds.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace mmg {

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
          int64_t ldb, T beta, T* c, int64_t ldc);

// The same product forced through one implementation, for benchmarks and cross-checks.
// EigenAvx2 is Eigen capped at the AVX2 copy even where AVX-512 exists (benchmarks compare the two).
enum class GemmImpl { Auto, Eigen, Builtin, Naive, EigenAvx2 };
template <typename T>
void gemm_with(GemmImpl impl, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda,
               const T* b, int64_t ldb, T beta, T* c, int64_t ldc);

// C = A·B (row-major, neither transposed) handed to `consume` one tile at a time instead of being
// stored whole, for ops that use each tile while it is in cache (linear_input_adam: dX = dY·W feeds
// the Adam update without a [m, n] buffer). Every tile holds exactly the values gemm<T>(false,
// false, m, n, k, 1, a, lda, b, ldb, 0, c, n) would store there at the same thread count: the
// blocks are split across threads as gemm splits them, and each block is cut into tiles at the
// boundaries Eigen's kernel treats alike (rows in fours, columns in multiples of 48, no tile
// small enough for Eigen's vector or coefficient paths), so no element changes its summation path.
// consume(r0, r1, c0, c1, tile, ldt) gets rows [r0, r1) × columns [c0, c1) of C at tile[(r - r0)
// · ldt + (c - c0)]; it runs on pool threads, once per tile, tiles of one block in order. The tile
// buffer is per thread and about `tile_bytes` (from the caching allocator).
template <typename T>
void gemm_tiles(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, size_t tile_bytes,
                const std::function<void(int64_t r0, int64_t r1, int64_t c0, int64_t c1, const T* tile, int64_t ldt)>& consume);

bool gemm_has_eigen();
const char* gemm_backend_name();
// The SIMD level the default GEMM path runs at on this CPU: "avx512", "avx2" or "baseline".
const char* gemm_simd_name();
std::string cpu_features_string();

}  // namespace mmg
