// infonce_loss: row-normalize kernel, cuBLAS similarity per row chunk, block-per-row log-sum-exp,
// deterministic mean; the backward forms c(P − I) per chunk and runs two gemms; infonce_loss_grad
// runs both on each chunk's one similarity block. Design and order of operations: infonce_loss.h.
#include "../block_reduce.cuh"
#include "../common.cuh"
#include "../reduce.cuh"
#include "contrastive.cuh"  // normalize_rows_kernel, normalize_backward_kernel
#include "gemm_call.cuh"
#include "../../native/ops/infonce_loss.h"

namespace mmg {
namespace cuda {
namespace {

// One block per row i of the chunk [r0, r0 + rn): s is the chunk's rn×n similarity block.
template <typename T>
__global__ void lse_rows_kernel(const T* s, int64_t rn, int64_t n, int64_t r0, T* lse, double* per_row) {
  __shared__ T shm[body::kBlock];
  __shared__ double shd[body::kBlock];
  for (int64_t i = blockIdx.x; i < rn; i += gridDim.x) {
    const T* row = s + i * n;
    const T m = block_tree_max(body::row_max_partial(row, n, threadIdx.x), shm);
    const double acc = block_tree_sum(body::lse_exp_partial(row, n, threadIdx.x, m), shd);
    if (threadIdx.x == 0) body::lse_finish(m, acc, row, r0 + i, lse + r0 + i, per_row + r0 + i);
  }
}

// In place over the chunk: s ← c(P − I), c = g/(nτ) with g read from device memory (g = 1 when
// null: infonce_loss_grad).
template <typename T>
__global__ void p_minus_eye_kernel(T* s, int64_t rn, int64_t n, int64_t r0, const T* lse, const T* g, double tau) {
  const T c = body::infonce_coef(g, n, tau);
  MMG_GRID_STRIDE(e, rn * n) {
    const int64_t i = e / n, j = e - i * n;
    s[e] = body::infonce_p_minus_eye(s[e], lse[r0 + i], j == r0 + i, c);
  }
}

template <typename T>
void infonce_forward(Call& c, const InfoncePlan& p, T* loss, T* lse) {
  const char* op = c.op();
  const int64_t n = p.n, d = p.d;
  Scratch per_row(uint64_t(n > 0 ? n : 1) * sizeof(double), op);
  if (n > 0) {
    Scratch ah(uint64_t(n * d) * sizeof(T), op), bh(uint64_t(n * d) * sizeof(T), op), s(uint64_t(p.chunk * n) * sizeof(T), op);
    if (d > 0) {
      normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(0)), ah.as<T>(), nullptr);
      normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(1)), bh.as<T>(), nullptr);
      check_launch(op, "normalize_rows_kernel");
    }
    for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
      const int64_t rn = std::min(p.chunk, n - r0);
      if (d > 0)
        run_gemm(infonce_sim_gemm<T>(p, r0, rn, ah.as<T>(), bh.as<T>(), s.as<T>()), op);
      else  // no features: every similarity is 0 (cuBLAS would reject lda = 0)
        MMG_CUDA_CHECK(op, cudaMemsetAsync(s.as<T>(), 0, uint64_t(rn * n) * sizeof(T), stream()));
      lse_rows_kernel<T><<<row_blocks(rn), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, r0, lse, per_row.as<double>());
      check_launch(op, "lse_rows_kernel");
    }
  }
  sum_doubles_to(per_row.as<double>(), n, double(n), true, loss, op);
}

void infonce_loss_cuda(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Forward);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, infonce_forward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

template <typename T>
void infonce_backward(Call& c, const InfoncePlan& p, T* da, T* db) {
  const char* op = c.op();
  const int64_t n = p.n, d = p.d;
  Scratch ah(uint64_t(n * d) * sizeof(T), op), bh(uint64_t(n * d) * sizeof(T), op), an(uint64_t(n) * sizeof(T), op),
      bn(uint64_t(n) * sizeof(T), op), s(uint64_t(p.chunk * n) * sizeof(T), op);
  normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(0)), ah.as<T>(), an.as<T>());
  normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(1)), bh.as<T>(), bn.as<T>());
  check_launch(op, "normalize_rows_kernel");
  for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
    const int64_t rn = std::min(p.chunk, n - r0);
    run_gemm(infonce_sim_gemm<T>(p, r0, rn, ah.as<T>(), bh.as<T>(), s.as<T>()), op);
    p_minus_eye_kernel<T><<<blocks_for(rn * n), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, r0, ptr<T>(c.in(2)),
                                                                              ptr<T>(c.in(3)), p.tau);
    check_launch(op, "p_minus_eye_kernel");
    run_gemm(infonce_grad_a_gemm<T>(p, r0, rn, s.as<T>(), bh.as<T>(), da), op);
    run_gemm(infonce_grad_b_gemm<T>(p, r0, rn, s.as<T>(), ah.as<T>(), db), op);
  }
  normalize_backward_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ah.as<T>(), an.as<T>(), da);
  normalize_backward_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, bh.as<T>(), bn.as<T>(), db);
  check_launch(op, "normalize_backward_kernel");
}

void infonce_loss_backward_cuda(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Backward);
  if (p.n == 0 || p.d == 0) return;  // empty gradients
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, infonce_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

// The forward's steps and then the backward's (g = 1) on each chunk's similarity block, which the
// log-sum-exp rows leave intact; lse goes to a scratch vector.
template <typename T>
void infonce_forward_grad(Call& c, const InfoncePlan& p, T* loss, T* da, T* db) {
  const char* op = c.op();
  const int64_t n = p.n, d = p.d;
  Scratch per_row(uint64_t(n > 0 ? n : 1) * sizeof(double), op);
  if (n > 0) {
    Scratch ah(uint64_t(n * d) * sizeof(T), op), bh(uint64_t(n * d) * sizeof(T), op), an(uint64_t(n) * sizeof(T), op),
        bn(uint64_t(n) * sizeof(T), op), lse(uint64_t(n) * sizeof(T), op), s(uint64_t(p.chunk * n) * sizeof(T), op);
    if (d > 0) {
      normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(0)), ah.as<T>(), an.as<T>());
      normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(1)), bh.as<T>(), bn.as<T>());
      check_launch(op, "normalize_rows_kernel");
    }
    for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
      const int64_t rn = std::min(p.chunk, n - r0);
      if (d > 0)
        run_gemm(infonce_sim_gemm<T>(p, r0, rn, ah.as<T>(), bh.as<T>(), s.as<T>()), op);
      else  // no features: every similarity is 0, and the gradients are empty
        MMG_CUDA_CHECK(op, cudaMemsetAsync(s.as<T>(), 0, uint64_t(rn * n) * sizeof(T), stream()));
      lse_rows_kernel<T><<<row_blocks(rn), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, r0, lse.as<T>(), per_row.as<double>());
      check_launch(op, "lse_rows_kernel");
      if (d == 0) continue;
      p_minus_eye_kernel<T><<<blocks_for(rn * n), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, r0, lse.as<T>(), nullptr, p.tau);
      check_launch(op, "p_minus_eye_kernel");
      run_gemm(infonce_grad_a_gemm<T>(p, r0, rn, s.as<T>(), bh.as<T>(), da), op);
      run_gemm(infonce_grad_b_gemm<T>(p, r0, rn, s.as<T>(), ah.as<T>(), db), op);
    }
    if (d > 0) {
      normalize_backward_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ah.as<T>(), an.as<T>(), da);
      normalize_backward_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, bh.as<T>(), bn.as<T>(), db);
      check_launch(op, "normalize_backward_kernel");
    }
  }
  sum_doubles_to(per_row.as<double>(), n, double(n), true, loss, op);
}

void infonce_loss_grad_cuda(Call& c) {
  const InfoncePlan p = infonce_plan(c, InfonceKind::Grad);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c,
                   infonce_forward_grad<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1]), static_cast<T*>(p.out[2])));
}

}  // namespace
MMG_CUDA_OP("infonce_loss", infonce_loss_cuda);
MMG_CUDA_OP("infonce_loss_grad", infonce_loss_grad_cuda);
MMG_CUDA_OP("infonce_loss_backward", infonce_loss_backward_cuda);
}  // namespace cuda
}  // namespace mmg
