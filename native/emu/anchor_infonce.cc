// anchor_infonce on cuda-emu: the CUDA launcher's steps with the same bodies, the same anchor
// chunks, emu::cublas_gemm for the gemm descriptors, a host twin of the block-per-row
// log-sum-exp (same strides, same trees) and the GPU's deterministic mean. Chunk loops and the
// normalization twins: contrastive.h.
#include <algorithm>
#include <limits>
#include <vector>
#include "../ops/anchor_infonce.h"
#include "contrastive.h"

namespace mmg {
namespace {

template <typename T>
void normalize_all(Call& c, const AnchorPlan& p, T* ah, T* an, T* zh, T* zn) {
  emu::normalize_rows(p.n, p.d, ptr<T>(c.in(0)), ah, an);
  for (int64_t m = 0; m < p.M; ++m)
    emu::normalize_rows(p.n, p.d, ptr<T>(c.in(int(m) + 1)), zh + m * p.n * p.d, zn ? zn + m * p.n : static_cast<T*>(nullptr));
}

template <typename T>
void anchor_forward(Call& c, const AnchorPlan& p, T* loss, T* lse) {
  const int64_t n = p.n, d = p.d, w = p.M * p.n;
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  std::vector<T> ah(size_t(n * d)), zh(size_t(w * d)), s(size_t(p.chunk * w));
  std::vector<double> per_row(static_cast<size_t>(n));
  if (d > 0) normalize_all<T>(c, p, ah.data(), static_cast<T*>(nullptr), zh.data(), static_cast<T*>(nullptr));
  emu::forward_chunks(
      c, n, w, d, p.chunk, s.data(), [&](int64_t r0, int64_t rn) { return anchor_sim_gemm<T>(p, r0, rn, ah.data(), zh.data(), s.data()); },
      [&](int64_t r0, int64_t i) {  // twin of lse_rows_kernel's block i
        const T* row = s.data() + i * w;
        T m;
        const double acc = emu::row_max_exp_sum(row, w, &m);
        body::anchor_lse_finish(m, acc, row, n, p.M, r0 + i, lse + r0 + i, per_row.data() + r0 + i);
      });
  *loss = static_cast<T>(emu::sum_doubles(per_row.data(), n) / double(n));
}

void anchor_infonce_emu(Call& c) {
  const AnchorPlan p = anchor_infonce_plan(c, false);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, anchor_forward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

template <typename T>
void anchor_backward(Call& c, const AnchorPlan& p, T* da, T* dz) {
  const int64_t n = p.n, d = p.d, w = p.M * p.n;
  std::vector<T> ah(size_t(n * d)), an(static_cast<size_t>(n)), zh(size_t(w * d)), zn(static_cast<size_t>(w)), s(size_t(p.chunk * w));
  normalize_all<T>(c, p, ah.data(), an.data(), zh.data(), zn.data());
  const T* lse = ptr<T>(c.in(int(p.M) + 1));
  const T coef = body::infonce_coef(*ptr<T>(c.in(int(p.M) + 2)), n, p.tau);
  const T cy = static_cast<T>(double(coef) / double(p.M));
  emu::backward_chunks(
      c, n, w, p.chunk, s.data(), [&](int64_t r0, int64_t rn) { return anchor_sim_gemm<T>(p, r0, rn, ah.data(), zh.data(), s.data()); },
      [&](int64_t r0, int64_t i, int64_t j, T v) { return body::anchor_p_minus_y(v, lse[r0 + i], j % n == r0 + i, coef, cy); },
      [&](int64_t r0, int64_t rn) {
        if (p.need_anchor) emu::cublas_gemm<T>(anchor_grad_a_gemm<T>(p, r0, rn, s.data(), zh.data(), da), c.op());
        emu::cublas_gemm<T>(anchor_grad_z_gemm<T>(p, r0, rn, s.data(), ah.data(), dz), c.op());
      });
  if (p.need_anchor)
    emu::normalize_backward(n, d, ah.data(), an.data(), da);
  else
    std::fill(da, da + n * d, T(0));
  emu::normalize_backward(w, d, zh.data(), zn.data(), dz);
}

void anchor_infonce_backward_emu(Call& c) {
  const AnchorPlan p = anchor_infonce_plan(c, true);
  if (p.n == 0 || p.d == 0) return;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, anchor_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

}  // namespace
MMG_REGISTER_KERNEL("anchor_infonce", MMG_CUDA_EMU, anchor_infonce_emu);
MMG_REGISTER_KERNEL("anchor_infonce_backward", MMG_CUDA_EMU, anchor_infonce_backward_emu);
}  // namespace mmg
