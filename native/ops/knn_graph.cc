// knn_graph: MMRec's build_knn_normalized_graph(build_sim(X), k, sparse, 'sym') without the dense
// n×n similarity matrix.
// Input: X [n, f] float32/float64. Attrs: [k (1..n), block (rows per step; 0 = auto)].
// Outputs: indptr int32 [n+1] (= i·k), indices int32 [n·k], values [n·k] in X's dtype.
//   sim(i,j) = x_i·x_j / (‖x_i‖‖x_j‖); row i keeps its k largest sim(i,·), itself included (ties:
//   lower column first); deg_i = Σ kept sim(i,·) (row sums, directed); w_ij = deg_i^-½ sim(i,j) deg_j^-½
//   with 0^-½ := 0 (a negative degree gives NaN, as torch.pow does).
// Deliberate differences from the reference:
//   - a row with zero (or non-finite) norm is an MMG_E_DATA error naming the row, instead of NaNs;
//   - each CSR row is sorted by column, not by descending similarity;
//   - similarities are x_i·x_j scaled by both inverse norms (no normalized copy of X), and degrees
//     and weights are accumulated in double: the float32 result differs from the reference's
//     float32 rounding at the 1e-7 relative level.
// Memory O(n·k + block·n): for each block of rows I, one GEMM computes sim(I, j) for j ≥ first row
// of I only; the block's rows take candidates from it directly and, by symmetry, rows j beyond the
// block take sim(j, I) from the same numbers. That halves the 2·n²·f FLOP of build_sim.
// Deterministic (the selection order is total). Not differentiable: the graph is built once.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>
#include "knn_graph.h"  // knn_graph_args, knn_inv_norm, knn_bad_norm (shared with the CUDA port)
#include "../core/allocator.h"
#include "../core/gemm.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "topk_select.h"

namespace mmg {
namespace {

template <typename T>
void knn(Call& c, const T* x, int64_t n, int64_t f, int64_t k, int64_t block) {
  // Inverse norms, then a serial check so the error names the first bad row.
  std::vector<double> inv(static_cast<size_t>(n));
  parallel_for(n, 64, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) inv[r] = body::knn_inv_norm(x, r, f);
  });
  for (int64_t r = 0; r < n; ++r)
    if (body::knn_norm_bad(inv[r])) knn_bad_norm(c, r, inv[r]);

  std::vector<T> hv(static_cast<size_t>(n * k));
  std::vector<int32_t> hi(static_cast<size_t>(n * k));
  std::vector<int32_t> hs(static_cast<size_t>(n), 0);
  const int threads = num_threads();
  for (int64_t i0 = 0; i0 < n; i0 += block) {
    const int64_t bi = std::min(block, n - i0), w = n - i0;
    const size_t bytes = sizeof(T) * size_t(bi) * size_t(w);
    T* s = static_cast<T*>(host_alloc(bytes));
    gemm<T>(false, true, bi, w, f, T(1), x + i0 * f, f, x + i0 * f, f, T(0), s, w);
    // Scale to cosines in place (parallel over the block's rows).
    parallel_for(bi, 8, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const double a = inv[i0 + r];
        T* row = s + r * w;
        for (int64_t q = 0; q < w; ++q) row[q] = T(double(row[q]) * a * inv[i0 + q]);
      }
    });
    // Rows of the block: every column j ≥ i0.
    parallel_for(bi, 8, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const int64_t i = i0 + r;
        T* v = hv.data() + i * k;
        int32_t* ix = hi.data() + i * k;
        const T* row = s + r * w;
        for (int64_t q = 0; q < w; ++q) topk_push<T>(v, ix, &hs[i], int32_t(k), row[q], int32_t(i0 + q));
      }
    });
    // Rows j after the block take sim(j, i) = sim(i, j) for i in the block (column ranges split
    // across threads; each thread reads contiguous segments of every block row).
    if (w > bi)
      parallel_for(w - bi, std::max<int64_t>(64, (w - bi) / (4 * threads) + 1), [&](int64_t q0, int64_t q1) {
        for (int64_t r = 0; r < bi; ++r) {
          const T* row = s + r * w + bi;
          const int32_t src = int32_t(i0 + r);
          for (int64_t q = q0; q < q1; ++q) {
            const int64_t j = i0 + bi + q;
            topk_push<T>(hv.data() + j * k, hi.data() + j * k, &hs[j], int32_t(k), row[q], src);
          }
        }
      });
    host_free(s, bytes);
  }

  // Degrees from the kept raw cosines, then the sym weights; rows sorted by column.
  std::vector<double> dinv(static_cast<size_t>(n));
  parallel_for(n, 64, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      double deg = 0;
      for (int64_t q = 0; q < k; ++q) deg += double(hv[r * k + q]);
      const double di = 1.0 / std::sqrt(deg);  // negative → NaN, like torch.pow(deg, -0.5)
      dinv[r] = std::isinf(di) ? 0.0 : di;
    }
  });
  mmg_tensor& P = c.out({n + 1}, MMG_I32);
  mmg_tensor& J = c.out({n * k}, MMG_I32);
  mmg_tensor& V = c.out({n * k}, dtype_of<T>::value);
  int32_t* p = ptr<int32_t>(P);
  int32_t* jj = ptr<int32_t>(J);
  T* vv = ptr<T>(V);
  for (int64_t r = 0; r <= n; ++r) p[r] = int32_t(r * k);
  parallel_for(n, 64, [&](int64_t r0, int64_t r1) {
    std::vector<int32_t> order(static_cast<size_t>(k));
    for (int64_t r = r0; r < r1; ++r) {
      const int32_t* ix = hi.data() + r * k;
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return ix[a] < ix[b]; });
      for (int64_t q = 0; q < k; ++q) {
        const int32_t col = ix[order[q]];
        jj[r * k + q] = col;
        vv[r * k + q] = T(dinv[r] * double(hv[r * k + order[q]]) * dinv[col]);
      }
    }
  });
}

void knn_graph_cpu(Call& c) {
  const KnnArgs a = knn_graph_args(c);
  const mmg_tensor& X = c.in(0);
  const int64_t n = a.n, f = a.f, k = a.k;
  int64_t block = a.block;
  // Auto: 256 rows, fewer when n is huge so the block stays under ~64 MB.
  if (block == 0) block = std::max<int64_t>(16, std::min<int64_t>(256, (int64_t(16) << 20) / std::max<int64_t>(n, 1)));
  MMG_FLOAT_SWITCH(X.dtype, T, c, knn<T>(c, ptr<T>(X), n, f, k, block));
}

}  // namespace
MMG_REGISTER_KERNEL("knn_graph", MMG_CPU, knn_graph_cpu);
}  // namespace mmg
