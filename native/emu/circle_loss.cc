// circle_loss on cuda-emu: the CUDA launcher's steps with the same bodies, the same row chunks,
// emu::cublas_gemm for the gemm descriptors, a host twin of the block-per-row log-sum-exp (same
// thread strides, same max and sum trees) and the GPU's deterministic mean. Chunk loops and the
// normalization twins: contrastive.h.
#include <limits>
#include <vector>
#include "../ops/circle_loss.h"
#include "contrastive.h"

namespace mmg {
namespace {

// Twin of circle_rows_kernel's block i: kBlock strided partials, tree max, then tree sum.
template <typename T>
void circle_row(const T* s, int64_t n, int64_t i, int64_t r0, const body::CircleConsts<T>& k, T* lse, T* x, double* per_row) {
  const T* row = s + i * n;
  const int64_t diag = r0 + i;
  const T m = emu::block_max<T>([&](int t) { return body::circle_max_partial(row, n, diag, t, k); });
  const double acc = emu::block_sum<double>([&](int t) { return body::circle_exp_partial(row, n, diag, t, m, k); });
  body::circle_finish(m, acc, row[diag], k, lse + diag, x + diag, per_row + diag);
}

template <typename T>
void circle_forward(Call& c, const CirclePlan& p, T* loss, T* lse, T* x) {
  const int64_t n = p.n, d = p.d;
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  const body::CircleConsts<T> k = body::circle_consts<T>(p.margin, p.gamma);
  std::vector<T> ah(size_t(n * d)), bh(size_t(n * d)), s(size_t(p.chunk * n));
  std::vector<double> per_row(static_cast<size_t>(n));
  if (d > 0) {
    emu::normalize_rows(n, d, ptr<T>(c.in(0)), ah.data(), static_cast<T*>(nullptr));
    emu::normalize_rows(n, d, ptr<T>(c.in(1)), bh.data(), static_cast<T*>(nullptr));
  }
  emu::forward_chunks(
      c, n, n, d, p.chunk, s.data(), [&](int64_t r0, int64_t rn) { return circle_sim_gemm<T>(p, r0, rn, ah.data(), bh.data(), s.data()); },
      [&](int64_t r0, int64_t i) { circle_row(s.data(), n, i, r0, k, lse, x, per_row.data()); });
  *loss = static_cast<T>(emu::sum_doubles(per_row.data(), n) / double(n));
}

void circle_loss_emu(Call& c) {
  const CirclePlan p = circle_plan(c, 2);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c,
                   circle_forward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1]), static_cast<T*>(p.out[2])));
}

template <typename T>
void circle_backward(Call& c, const CirclePlan& p, T* da, T* db) {
  const int64_t n = p.n, d = p.d;
  const body::CircleConsts<T> k = body::circle_consts<T>(p.margin, p.gamma);
  std::vector<T> ah(size_t(n * d)), bh(size_t(n * d)), an(static_cast<size_t>(n)), bn(static_cast<size_t>(n)),
      w(static_cast<size_t>(n)), s(size_t(p.chunk * n));
  emu::normalize_rows(n, d, ptr<T>(c.in(0)), ah.data(), an.data());
  emu::normalize_rows(n, d, ptr<T>(c.in(1)), bh.data(), bn.data());
  const T *lse = ptr<T>(c.in(2)), *x = ptr<T>(c.in(3));
  const T g = *ptr<T>(c.in(4));
  emu::for_threads(n, [&](int64_t i) { w[size_t(i)] = body::circle_row_weight(g, n, x[i]); });
  emu::backward_chunks(
      c, n, n, p.chunk, s.data(), [&](int64_t r0, int64_t rn) { return circle_sim_gemm<T>(p, r0, rn, ah.data(), bh.data(), s.data()); },
      [&](int64_t r0, int64_t i, int64_t j, T v) { return body::circle_coef(v, j == r0 + i, lse[r0 + i], w[size_t(r0 + i)], k); },
      [&](int64_t r0, int64_t rn) {
        emu::cublas_gemm<T>(circle_grad_a_gemm<T>(p, r0, rn, s.data(), bh.data(), da), c.op());
        emu::cublas_gemm<T>(circle_grad_b_gemm<T>(p, r0, rn, s.data(), ah.data(), db), c.op());
      });
  emu::normalize_backward(n, d, ah.data(), an.data(), da);
  emu::normalize_backward(n, d, bh.data(), bn.data(), db);
}

void circle_loss_backward_emu(Call& c) {
  const CirclePlan p = circle_plan(c, 5);
  if (p.n == 0 || p.d == 0) return;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, circle_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

}  // namespace
MMG_REGISTER_KERNEL("circle_loss", MMG_CUDA_EMU, circle_loss_emu);
MMG_REGISTER_KERNEL("circle_loss_backward", MMG_CUDA_EMU, circle_loss_backward_emu);
}  // namespace mmg
