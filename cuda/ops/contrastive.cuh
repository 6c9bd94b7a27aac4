// The row-normalization kernels of the contrastive losses (infonce_loss, circle_loss,
// anchor_infonce): one warp per row, per-lane bodies body::l2_*_lane in infonce_loss.h
// (cuda-emu runs the same lanes and butterflies; the CPU kernels the row forms).
#pragma once
#include "../common.cuh"
#include "../../native/ops/infonce_loss.h"

namespace mmg {
namespace cuda {

// x̂ = x / max(‖x‖, eps) per row; the norms too when `norms` is not null (the forwards skip them).
template <typename T>
__global__ void normalize_rows_kernel(int64_t n, int64_t d, const T* x, T* xhat, T* norms) {
  const int lane = lane_index();
  MMG_WARP_ROWS(r, n) {
    const T nr = body::l2_norm_of<T>(warp_sum(body::l2_sumsq_lane(x + r * d, d, lane)));
    body::l2_scale_lane(x + r * d, d, nr, xhat + r * d, lane);
    if (norms && lane == 0) norms[r] = nr;
  }
}

// In place: dx ← (gradient of x̂ in dx) back through the normalization, one warp per row.
template <typename T>
__global__ void normalize_backward_kernel(int64_t n, int64_t d, const T* xhat, const T* norms, T* dx) {
  const int lane = lane_index();
  MMG_WARP_ROWS(r, n) {
    const T dot = warp_sum(body::l2_backward_dot_lane(xhat + r * d, dx + r * d, d, lane));
    body::l2_backward_lane(xhat + r * d, norms[r], dx + r * d, d, dot, dx + r * d, lane);
  }
}

}  // namespace cuda
}  // namespace mmg
