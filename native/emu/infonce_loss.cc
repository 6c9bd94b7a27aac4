// infonce_loss on cuda-emu: the CUDA launcher's steps with the same bodies, the same row chunks,
// emu::cublas_gemm for the gemm descriptors, a host twin of the block-per-row log-sum-exp (same
// thread strides, same max and sum trees) and the GPU's deterministic mean. Chunk loops and the
// normalization twins: contrastive.h. infonce_loss_grad runs both per chunk on one similarity
// block, as the launcher does.
#include <limits>
#include <vector>
#include "../ops/infonce_loss.h"
#include "contrastive.h"

namespace mmg {
namespace {

template <typename T>
void infonce_forward(Call& c, const InfoncePlan& p, T* loss, T* lse) {
  const int64_t n = p.n, d = p.d;
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  std::vector<T> ah(size_t(n * d)), bh(size_t(n * d)), s(size_t(p.chunk * n));
  std::vector<double> per_row(static_cast<size_t>(n));
  if (d > 0) {
    emu::normalize_rows(n, d, ptr<T>(c.in(0)), ah.data(), static_cast<T*>(nullptr));
    emu::normalize_rows(n, d, ptr<T>(c.in(1)), bh.data(), static_cast<T*>(nullptr));
  }
  emu::forward_chunks(
      c, n, n, d, p.chunk, s.data(), [&](int64_t r0, int64_t rn) { return infonce_sim_gemm<T>(p, r0, rn, ah.data(), bh.data(), s.data()); },
      [&](int64_t r0, int64_t i) {  // twin of lse_rows_kernel's block i
        const T* row = s.data() + i * n;
        T m;
        const double acc = emu::row_max_exp_sum(row, n, &m);
        body::lse_finish(m, acc, row, r0 + i, lse + r0 + i, per_row.data() + r0 + i);
      });
  *loss = static_cast<T>(emu::sum_doubles(per_row.data(), n) / double(n));
}

void infonce_loss_emu(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Forward);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, infonce_forward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

template <typename T>
void infonce_backward(Call& c, const InfoncePlan& p, T* da, T* db) {
  const int64_t n = p.n, d = p.d;
  std::vector<T> ah(size_t(n * d)), bh(size_t(n * d)), an(static_cast<size_t>(n)), bn(static_cast<size_t>(n)), s(size_t(p.chunk * n));
  emu::normalize_rows(n, d, ptr<T>(c.in(0)), ah.data(), an.data());
  emu::normalize_rows(n, d, ptr<T>(c.in(1)), bh.data(), bn.data());
  const T* lse = ptr<T>(c.in(2));
  const T coef = body::infonce_coef(*ptr<T>(c.in(3)), n, p.tau);
  emu::backward_chunks(
      c, n, n, p.chunk, s.data(), [&](int64_t r0, int64_t rn) { return infonce_sim_gemm<T>(p, r0, rn, ah.data(), bh.data(), s.data()); },
      [&](int64_t r0, int64_t i, int64_t j, T v) { return body::infonce_p_minus_eye(v, lse[r0 + i], j == r0 + i, coef); },
      [&](int64_t r0, int64_t rn) {
        emu::cublas_gemm<T>(infonce_grad_a_gemm<T>(p, r0, rn, s.data(), bh.data(), da), c.op());
        emu::cublas_gemm<T>(infonce_grad_b_gemm<T>(p, r0, rn, s.data(), ah.data(), db), c.op());
      });
  emu::normalize_backward(n, d, ah.data(), an.data(), da);
  emu::normalize_backward(n, d, bh.data(), bn.data(), db);
}

template <typename T>
void infonce_forward_grad(Call& c, const InfoncePlan& p, T* loss, T* da, T* db) {
  const int64_t n = p.n, d = p.d;
  if (n == 0) {
    *loss = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  std::vector<T> ah(size_t(n * d)), bh(size_t(n * d)), an(static_cast<size_t>(n)), bn(static_cast<size_t>(n)), s(size_t(p.chunk * n)),
      lse(static_cast<size_t>(n));
  std::vector<double> per_row(static_cast<size_t>(n));
  if (d > 0) {
    emu::normalize_rows(n, d, ptr<T>(c.in(0)), ah.data(), an.data());
    emu::normalize_rows(n, d, ptr<T>(c.in(1)), bh.data(), bn.data());
  }
  const T coef = body::infonce_coef(static_cast<const T*>(nullptr), n, p.tau);  // g = 1, as p_minus_eye_kernel gets no g
  for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
    const int64_t rn = std::min(p.chunk, n - r0);
    // One chunk of the forward (the similarity block and its log-sum-exp rows)...
    emu::forward_chunks(
        c, rn, n, d, rn, s.data(), [&](int64_t, int64_t) { return infonce_sim_gemm<T>(p, r0, rn, ah.data(), bh.data(), s.data()); },
        [&](int64_t, int64_t i) {
          const T* row = s.data() + i * n;
          T m;
          const double acc = emu::row_max_exp_sum(row, n, &m);
          body::lse_finish(m, acc, row, r0 + i, lse.data() + r0 + i, per_row.data() + r0 + i);
        });
    if (d == 0) continue;  // empty gradients
    // ...then the backward's steps on the same block.
    emu::for_threads(rn * n, [&](int64_t e) {
      const int64_t i = e / n, j = e - i * n;
      s[size_t(e)] = body::infonce_p_minus_eye(s[size_t(e)], lse[size_t(r0 + i)], j == r0 + i, coef);
    });
    emu::cublas_gemm<T>(infonce_grad_a_gemm<T>(p, r0, rn, s.data(), bh.data(), da), c.op());
    emu::cublas_gemm<T>(infonce_grad_b_gemm<T>(p, r0, rn, s.data(), ah.data(), db), c.op());
  }
  if (d > 0) {
    emu::normalize_backward(n, d, ah.data(), an.data(), da);
    emu::normalize_backward(n, d, bh.data(), bn.data(), db);
  }
  *loss = static_cast<T>(emu::sum_doubles(per_row.data(), n) / double(n));
}

void infonce_loss_grad_emu(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Grad);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c,
                   infonce_forward_grad<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1]), static_cast<T*>(p.out[2])));
}

void infonce_loss_backward_emu(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Backward);
  if (p.n == 0 || p.d == 0) return;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, infonce_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

}  // namespace
MMG_REGISTER_KERNEL("infonce_loss", MMG_CUDA_EMU, infonce_loss_emu);
MMG_REGISTER_KERNEL("infonce_loss_backward", MMG_CUDA_EMU, infonce_loss_backward_emu);
MMG_REGISTER_KERNEL("infonce_loss_grad", MMG_CUDA_EMU, infonce_loss_grad_emu);
}  // namespace mmg
