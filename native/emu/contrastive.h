// cuda-emu twins of the contrastive losses' launcher steps (infonce_loss, circle_loss,
// anchor_infonce): the row normalization kernels and the per-chunk loops of the forward and the
// backward, with the same chunks and gemm descriptors as the .cu launchers. The per-op parts
// (row finish, coefficient entry, gradient gemms) come in as callbacks.
#pragma once
#include <cstring>
#include <vector>
#include "../ops/infonce_loss.h"
#include "block_reduce.h"
#include "grid.h"
#include "lib_models.h"

namespace mmg {
namespace emu {

// normalize_rows_kernel (one warp per row): x̂ = x / max(‖x‖, eps); the norms when `norms` is not null.
template <typename T>
void normalize_rows(int64_t n, int64_t d, const T* x, T* xhat, T* norms) {
  for_warp_rows(n, d, [&](int64_t r) {
    const T nr = body::l2_norm_of<T>(warp_sum<double>([&](int l) { return body::l2_sumsq_lane(x + r * d, d, l); }));
    for (int l = 0; l < body::kWarp; ++l) body::l2_scale_lane(x + r * d, d, nr, xhat + r * d, l);
    if (norms) norms[r] = nr;
  });
}

// normalize_backward_kernel (one warp per row): dx ← (the gradient of x̂ held in dx) back
// through the normalization.
template <typename T>
void normalize_backward(int64_t n, int64_t d, const T* xhat, const T* norms, T* dx) {
  for_warp_rows(n, d, [&](int64_t r) {
    const T dot = warp_sum<T>([&](int l) { return body::l2_backward_dot_lane(xhat + r * d, dx + r * d, d, l); });
    for (int l = 0; l < body::kWarp; ++l) body::l2_backward_lane(xhat + r * d, norms[r], dx + r * d, d, dot, dx + r * d, l);
  });
}

// Twin of a block-per-row log-sum-exp (lse_rows_kernel): kBlock strided partials, tree max, then
// tree sum of exp(s − max). Returns the max in *m and the sum.
template <typename T>
double row_max_exp_sum(const T* row, int64_t w, T* m) {
  *m = block_max<T>([&](int t) { return body::row_max_partial(row, w, t); });
  const T mx = *m;
  return block_sum<double>([&](int t) { return body::lse_exp_partial(row, w, t, mx); });
}

// The forward's chunk loop: per chunk [r0, r0 + rn) of `chunk` rows, s = the rn × w similarity
// block (sim(r0, rn) gives its gemm; with d = 0 every similarity is 0, as the launcher's memset),
// then row(r0, i) for each row of the chunk, one "block" each.
template <typename T, typename Sim, typename Row>
void forward_chunks(Call& c, int64_t n, int64_t w, int64_t d, int64_t chunk, T* s, Sim&& sim, Row&& row) {
  for (int64_t r0 = 0; r0 < n; r0 += chunk) {
    const int64_t rn = std::min(chunk, n - r0);
    if (d > 0)
      cublas_gemm<T>(sim(r0, rn), c.op());
    else
      std::memset(s, 0, size_t(rn * w) * sizeof(T));
    for_blocks(rn, w, [&](int64_t i) { row(r0, i); });
  }
}

// The backward's chunk loop: s = the similarity block (gemm sim(r0, rn)), in place
// s[i, j] ← entry(r0, i, j, s[i, j]) for every element, then grads(r0, rn) runs the chunk's
// gradient gemms.
template <typename T, typename Sim, typename Entry, typename Grads>
void backward_chunks(Call& c, int64_t n, int64_t w, int64_t chunk, T* s, Sim&& sim, Entry&& entry, Grads&& grads) {
  for (int64_t r0 = 0; r0 < n; r0 += chunk) {
    const int64_t rn = std::min(chunk, n - r0);
    cublas_gemm<T>(sim(r0, rn), c.op());
    for_threads(rn * w, [&](int64_t e) {
      const int64_t i = e / w, j = e - i * w;
      s[e] = entry(r0, i, j, s[e]);
    });
    grads(r0, rn);
  }
}

}  // namespace emu
}  // namespace mmg
