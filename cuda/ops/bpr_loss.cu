// bpr_loss: a warp-per-row kernel into per-row losses, then the deterministic sum; the backward row kernel
// reads g from device memory (no host round trip).
#include "../common.cuh"
#include "../reduce.cuh"
#include "../../native/ops/bpr_loss.h"

namespace mmg {
namespace cuda {
namespace {

// One warp per row (bpr_loss.h): lane partials of the margin, the butterfly, lane 0 writes.
template <typename T>
__global__ void bpr_rows_kernel(int64_t b, const T* u, const T* p, const T* n, int64_t d, int variant, double* per_row) {
  const int lane = lane_index();
  MMG_WARP_ROWS(r, b) {
    const T m = warp_sum(body::bpr_margin_lane(u + r * d, p + r * d, n + r * d, d, lane));
    if (lane == 0) per_row[r] = double(body::bpr_row_loss(m, variant));
  }
}

template <typename T>
__global__ void bpr_backward_kernel(int64_t b, const T* u, const T* p, const T* n, int64_t d, int variant, const T* g, T* du, T* dp,
                                    T* dn) {
  const T scale = *g / T(b > 1 ? b : 1);
  const int lane = lane_index();
  MMG_WARP_ROWS(r, b) {
    const T m = warp_sum(body::bpr_margin_lane(u + r * d, p + r * d, n + r * d, d, lane));
    body::bpr_row_backward_lane(r, u, p, n, d, scale * body::bpr_row_dloss(m, variant), lane, du, dp, dn);
  }
}

void bpr_loss_cuda(Call& c) {
  const BprPlan a = bpr_check(c, 3);
  const mmg_tensor& U = c.in(0);
  mmg_tensor& L = c.out({}, U.dtype);
  Scratch per_row(uint64_t(a.b > 0 ? a.b : 1) * sizeof(double), c.op());
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    if (a.b > 0)
      bpr_rows_kernel<T><<<warp_row_blocks(a.b), body::kBlock, 0, stream()>>>(a.b, ptr<T>(U), ptr<T>(c.in(1)), ptr<T>(c.in(2)), a.d,
                                                                          a.variant, per_row.as<double>());
    check_launch(c.op(), "bpr_rows_kernel");
    sum_doubles_to(per_row.as<double>(), a.b, double(a.b), true, ptr<T>(L), c.op());
  });
}

void bpr_loss_backward_cuda(Call& c) {
  const BprPlan a = bpr_check(c, 4);
  const mmg_tensor& U = c.in(0);
  mmg_tensor& dU = c.out_like(U);
  mmg_tensor& dP = c.out_like(U);
  mmg_tensor& dN = c.out_like(U);
  if (a.b == 0) return;
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    bpr_backward_kernel<T><<<warp_row_blocks(a.b), body::kBlock, 0, stream()>>>(a.b, ptr<T>(U), ptr<T>(c.in(1)), ptr<T>(c.in(2)), a.d,
                                                                            a.variant, ptr<T>(c.in(3)), ptr<T>(dU), ptr<T>(dP),
                                                                            ptr<T>(dN));
  });
  check_launch(c.op(), "bpr_backward_kernel");
}

}  // namespace
MMG_CUDA_OP("bpr_loss", bpr_loss_cuda);
MMG_CUDA_OP("bpr_loss_backward", bpr_loss_backward_cuda);
}  // namespace cuda
}  // namespace mmg
