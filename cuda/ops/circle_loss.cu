// circle_loss: row-normalize kernel, cuBLAS cosine similarity per row chunk, block-per-row
// log-sum-exp over the negatives and softplus, deterministic mean; the backward forms the
// coefficient matrix C per chunk and runs two gemms. Design and order of operations:
// circle_loss.h.
#include "../block_reduce.cuh"
#include "../common.cuh"
#include "../reduce.cuh"
#include "../../native/ops/circle_loss.h"
#include "contrastive.cuh"  // normalize_rows_kernel, normalize_backward_kernel
#include "gemm_call.cuh"

namespace mmg {
namespace cuda {
namespace {

// One block per row i of the chunk [r0, r0 + rn): s is the chunk's rn×n cosine block.
template <typename T>
__global__ void circle_rows_kernel(const T* s, int64_t rn, int64_t n, int64_t r0, body::CircleConsts<T> k, T* lse, T* x,
                                   double* per_row) {
  __shared__ T shm[body::kBlock];
  __shared__ double shd[body::kBlock];
  for (int64_t i = blockIdx.x; i < rn; i += gridDim.x) {
    const T* row = s + i * n;
    const int64_t diag = r0 + i;
    const T m = block_tree_max(body::circle_max_partial(row, n, diag, threadIdx.x, k), shm);
    const double acc = block_tree_sum(body::circle_exp_partial(row, n, diag, threadIdx.x, m, k), shd);
    if (threadIdx.x == 0) body::circle_finish(m, acc, row[diag], k, lse + diag, x + diag, per_row + diag);
  }
}

// w_i = (g/n)·σ(x_i), g read on the device.
template <typename T>
__global__ void circle_weights_kernel(int64_t n, const T* x, const T* g, T* w) {
  MMG_GRID_STRIDE(i, n) w[i] = body::circle_row_weight(*g, n, x[i]);
}

// In place over the chunk: s ← C.
template <typename T>
__global__ void circle_coef_kernel(T* s, int64_t rn, int64_t n, int64_t r0, const T* lse, const T* w, body::CircleConsts<T> k) {
  MMG_GRID_STRIDE(e, rn * n) {
    const int64_t i = e / n, j = e - i * n;
    s[e] = body::circle_coef(s[e], j == r0 + i, lse[r0 + i], w[r0 + i], k);
  }
}

template <typename T>
void circle_forward(Call& c, const CirclePlan& p, T* loss, T* lse, T* x) {
  const char* op = c.op();
  const int64_t n = p.n, d = p.d;
  const body::CircleConsts<T> k = body::circle_consts<T>(p.margin, p.gamma);
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
        run_gemm(circle_sim_gemm<T>(p, r0, rn, ah.as<T>(), bh.as<T>(), s.as<T>()), op);
      else  // no features: every cosine is 0 (cuBLAS would reject lda = 0)
        MMG_CUDA_CHECK(op, cudaMemsetAsync(s.as<T>(), 0, uint64_t(rn * n) * sizeof(T), stream()));
      circle_rows_kernel<T><<<row_blocks(rn), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, r0, k, lse, x, per_row.as<double>());
      check_launch(op, "circle_rows_kernel");
    }
  }
  sum_doubles_to(per_row.as<double>(), n, double(n), true, loss, op);
}

void circle_loss_cuda(Call& c) {
  const CirclePlan p = circle_plan(c, 2);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c,
                   circle_forward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1]), static_cast<T*>(p.out[2])));
}

template <typename T>
void circle_backward(Call& c, const CirclePlan& p, T* da, T* db) {
  const char* op = c.op();
  const int64_t n = p.n, d = p.d;
  const body::CircleConsts<T> k = body::circle_consts<T>(p.margin, p.gamma);
  Scratch ah(uint64_t(n * d) * sizeof(T), op), bh(uint64_t(n * d) * sizeof(T), op), an(uint64_t(n) * sizeof(T), op),
      bn(uint64_t(n) * sizeof(T), op), w(uint64_t(n) * sizeof(T), op), s(uint64_t(p.chunk * n) * sizeof(T), op);
  normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(0)), ah.as<T>(), an.as<T>());
  normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(1)), bh.as<T>(), bn.as<T>());
  circle_weights_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, ptr<T>(c.in(3)), ptr<T>(c.in(4)), w.as<T>());
  check_launch(op, "normalize_rows_kernel");
  for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
    const int64_t rn = std::min(p.chunk, n - r0);
    run_gemm(circle_sim_gemm<T>(p, r0, rn, ah.as<T>(), bh.as<T>(), s.as<T>()), op);
    circle_coef_kernel<T><<<blocks_for(rn * n), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, r0, ptr<T>(c.in(2)), w.as<T>(), k);
    check_launch(op, "circle_coef_kernel");
    run_gemm(circle_grad_a_gemm<T>(p, r0, rn, s.as<T>(), bh.as<T>(), da), op);
    run_gemm(circle_grad_b_gemm<T>(p, r0, rn, s.as<T>(), ah.as<T>(), db), op);
  }
  normalize_backward_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ah.as<T>(), an.as<T>(), da);
  normalize_backward_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, bh.as<T>(), bn.as<T>(), db);
  check_launch(op, "normalize_backward_kernel");
}

void circle_loss_backward_cuda(Call& c) {
  const CirclePlan p = circle_plan(c, 5);
  if (p.n == 0 || p.d == 0) return;  // empty gradients
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, circle_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

}  // namespace
MMG_CUDA_OP("circle_loss", circle_loss_cuda);
MMG_CUDA_OP("circle_loss_backward", circle_loss_backward_cuda);
}  // namespace cuda
}  // namespace mmg
