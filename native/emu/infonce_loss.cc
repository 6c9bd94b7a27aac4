// infonce_loss on cuda-emu: the CUDA launcher's steps with the same bodies, the same row chunks,
// emu::cublas_gemm for the gemm descriptors, a host twin of the block-per-row log-sum-exp (same
// thread strides, same max and sum trees) and the GPU's deterministic mean. Chunk loops and the
// normalization twins: contrastive.h.
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
  const InfoncePlan p = infonce_plan(c, 2);
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

void infonce_loss_backward_emu(Call& c) {
  const InfoncePlan p = infonce_plan(c, 4);
  if (p.n == 0 || p.d == 0) return;
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, infonce_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

}  // namespace
MMG_REGISTER_KERNEL("infonce_loss", MMG_CUDA_EMU, infonce_loss_emu);
MMG_REGISTER_KERNEL("infonce_loss_backward", MMG_CUDA_EMU, infonce_loss_backward_emu);
}  // namespace mmg
