// bpr_loss on cuda-emu: the warp-per-row bodies (same lanes, same butterfly) over every row, then
// the GPU's deterministic sum.
#include <limits>
#include <vector>
#include "../ops/bpr_loss.h"
#include "grid.h"

namespace mmg {
namespace {

void bpr_loss_emu(Call& c) {
  const BprPlan a = bpr_check(c, 3);
  const mmg_tensor& U = c.in(0);
  mmg_tensor& L = c.out({}, U.dtype);
  std::vector<double> per_row(size_t(a.b));
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    const T *u = ptr<T>(U), *p = ptr<T>(c.in(1)), *n = ptr<T>(c.in(2));
    emu::for_warp_rows(a.b, a.d, [&](int64_t r) {
      const T m = emu::warp_sum<T>([&](int l) { return body::bpr_margin_lane(u + r * a.d, p + r * a.d, n + r * a.d, a.d, l); });
      per_row[size_t(r)] = double(body::bpr_row_loss(m, a.variant));
    });
    *ptr<T>(L) = a.b == 0 ? std::numeric_limits<T>::quiet_NaN() : T(emu::sum_doubles(per_row.data(), a.b) / double(a.b));
  });
}

void bpr_loss_backward_emu(Call& c) {
  const BprPlan a = bpr_check(c, 4);
  const mmg_tensor& U = c.in(0);
  mmg_tensor& dU = c.out_like(U);
  mmg_tensor& dP = c.out_like(U);
  mmg_tensor& dN = c.out_like(U);
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    const T *u = ptr<T>(U), *p = ptr<T>(c.in(1)), *n = ptr<T>(c.in(2));
    const T scale = *ptr<T>(c.in(3)) / T(a.b > 1 ? a.b : 1);
    emu::for_warp_rows(a.b, a.d, [&](int64_t r) {
      const T m = emu::warp_sum<T>([&](int l) { return body::bpr_margin_lane(u + r * a.d, p + r * a.d, n + r * a.d, a.d, l); });
      const T cb = scale * body::bpr_row_dloss(m, a.variant);
      for (int l = 0; l < body::kWarp; ++l) body::bpr_row_backward_lane(r, u, p, n, a.d, cb, l, ptr<T>(dU), ptr<T>(dP), ptr<T>(dN));
    });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("bpr_loss", MMG_CUDA_EMU, bpr_loss_emu);
MMG_REGISTER_KERNEL("bpr_loss_backward", MMG_CUDA_EMU, bpr_loss_backward_emu);
}  // namespace mmg
