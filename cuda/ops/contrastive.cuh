// The row-normalization kernels of the contrastive losses (infonce_loss, circle_loss,
// anchor_infonce): one thread per row, bodies body::l2_normalize_row(_backward) in
// infonce_loss.body.h (the CPU kernels and cuda-emu run the same bodies).
#pragma once
#include "../common.cuh"
#include "../../native/ops/infonce_loss.h"

namespace mmg {
namespace cuda {

// x̂ = x / max(‖x‖, eps) per row; the norms too when `norms` is not null (the forwards skip them).
template <typename T>
__global__ void normalize_rows_kernel(int64_t n, int64_t d, const T* x, T* xhat, T* norms) {
  MMG_GRID_STRIDE(r, n) {
    const T nr = body::l2_normalize_row(x + r * d, d, xhat + r * d);
    if (norms) norms[r] = nr;
  }
}

// In place: dx ← (gradient of x̂ in dx) back through the normalization, one thread per row.
template <typename T>
__global__ void normalize_backward_kernel(int64_t n, int64_t d, const T* xhat, const T* norms, T* dx) {
  MMG_GRID_STRIDE(r, n) body::l2_normalize_row_backward(xhat + r * d, norms[r], dx + r * d, d, dx + r * d);
}

}  // namespace cuda
}  // namespace mmg
