// infonce_loss on cuda-emu: the CUDA launcher's steps with the same bodies, the same row chunks,
// emu::cublas_gemm for the gemm descriptors, a host twin of the block-per-row log-sum-exp (same
// thread strides, same max and sum trees) and the GPU's deterministic mean.
#include <cstring>
#include <limits>
#include <vector>
#include "../ops/infonce_loss.body.h"
#include "block_reduce.h"
#include "grid.h"
#include "lib_models.h"

namespace mmg {
namespace {

template <typename T>
void normalize_rows(int64_t n, int64_t d, const T* x, T* xhat, T* norms) {
  emu::for_threads(n, [&](int64_t r) {
    const T nr = body::l2_normalize_row(x + r * d, d, xhat + r * d);
    if (norms) norms[r] = nr;
  });
}

// Twin of lse_rows_kernel's block i: kBlock strided partials, tree max, then tree sum.
template <typename T>
void lse_row(const T* s, int64_t n, int64_t i, int64_t r0, T* lse, double* per_row) {
  const T* row = s + i * n;
  const T m = emu::block_max<T>([&](int t) { return body::row_max_partial(row, n, t); });
  const double acc = emu::block_sum<double>([&](int t) { return body::lse_exp_partial(row, n, t, m); });
  body::lse_finish(m, acc, row, r0 + i, lse + r0 + i, per_row + r0 + i);
}

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
    normalize_rows(n, d, ptr<T>(c.in(0)), ah.data(), static_cast<T*>(nullptr));
    normalize_rows(n, d, ptr<T>(c.in(1)), bh.data(), static_cast<T*>(nullptr));
  }
  for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
    const int64_t rn = std::min(p.chunk, n - r0);
    if (d > 0)
      emu::cublas_gemm<T>(infonce_sim_gemm<T>(p, r0, rn, ah.data(), bh.data(), s.data()), c.op());
    else
      std::memset(s.data(), 0, size_t(rn * n) * sizeof(T));
    emu::for_blocks(rn, n, [&](int64_t i) { lse_row(s.data(), n, i, r0, lse, per_row.data()); });
  }
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
  normalize_rows(n, d, ptr<T>(c.in(0)), ah.data(), an.data());
  normalize_rows(n, d, ptr<T>(c.in(1)), bh.data(), bn.data());
  const T* lse = ptr<T>(c.in(2));
  const T coef = body::infonce_coef(*ptr<T>(c.in(3)), n, p.tau);
  for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
    const int64_t rn = std::min(p.chunk, n - r0);
    emu::cublas_gemm<T>(infonce_sim_gemm<T>(p, r0, rn, ah.data(), bh.data(), s.data()), c.op());
    T* sp = s.data();
    emu::for_threads(rn * n, [&](int64_t e) {
      const int64_t i = e / n, j = e - i * n;
      sp[e] = body::infonce_p_minus_eye(sp[e], lse[r0 + i], j == r0 + i, coef);
    });
    emu::cublas_gemm<T>(infonce_grad_a_gemm<T>(p, r0, rn, s.data(), bh.data(), da), c.op());
    emu::cublas_gemm<T>(infonce_grad_b_gemm<T>(p, r0, rn, s.data(), ah.data(), db), c.op());
  }
  emu::for_threads(n, [&](int64_t r) { body::l2_normalize_row_backward(ah.data() + r * d, an[size_t(r)], da + r * d, d, da + r * d); });
  emu::for_threads(n, [&](int64_t r) { body::l2_normalize_row_backward(bh.data() + r * d, bn[size_t(r)], db + r * d, d, db + r * d); });
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
