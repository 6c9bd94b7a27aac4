// anchor_infonce: row-normalize kernels into Â and the stacked Ẑ, cuBLAS similarity per anchor
// chunk, block-per-row log-sum-exp with the M positives, deterministic mean; the backward forms
// c(P − Y) per chunk and runs two gemms. Design and order of operations: anchor_infonce.h.
#include "../block_reduce.cuh"
#include "../common.cuh"
#include "../reduce.cuh"
#include "../../native/ops/anchor_infonce.h"
#include "contrastive.cuh"  // normalize_rows_kernel, normalize_backward_kernel
#include "gemm_call.cuh"

namespace mmg {
namespace cuda {
namespace {

// One block per row i of the chunk [r0, r0 + rn): s is the chunk's rn × M·n similarity block.
template <typename T>
__global__ void lse_rows_kernel(const T* s, int64_t rn, int64_t n, int64_t M, int64_t r0, T* lse, double* per_row) {
  __shared__ T shm[body::kBlock];
  __shared__ double shd[body::kBlock];
  const int64_t w = M * n;
  for (int64_t i = blockIdx.x; i < rn; i += gridDim.x) {
    const T* row = s + i * w;
    const T m = block_tree_max(body::row_max_partial(row, w, threadIdx.x), shm);
    const double acc = block_tree_sum(body::lse_exp_partial(row, w, threadIdx.x, m), shd);
    if (threadIdx.x == 0) body::anchor_lse_finish(m, acc, row, n, M, r0 + i, lse + r0 + i, per_row + r0 + i);
  }
}

// In place over the chunk: s ← c(P − Y), c = g/(nτ) read from device memory.
template <typename T>
__global__ void p_minus_y_kernel(T* s, int64_t rn, int64_t n, int64_t M, int64_t r0, const T* lse, const T* g, double tau) {
  const T c = body::infonce_coef(*g, n, tau);
  const T cy = static_cast<T>(double(c) / double(M));
  const int64_t w = M * n;
  MMG_GRID_STRIDE(e, rn * w) {
    const int64_t i = e / w, j = e - i * w;
    s[e] = body::anchor_p_minus_y(s[e], lse[r0 + i], j % n == r0 + i, c, cy);
  }
}

template <typename T>
void normalize_all(Call& c, const AnchorPlan& p, T* ah, T* an, T* zh, T* zn) {
  const int64_t n = p.n, d = p.d;
  normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(0)), ah, an);
  for (int64_t m = 0; m < p.M; ++m)
    normalize_rows_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ptr<T>(c.in(int(m) + 1)), zh + m * n * d,
                                                                            zn ? zn + m * n : nullptr);
  check_launch(c.op(), "normalize_rows_kernel");
}

template <typename T>
void anchor_forward(Call& c, const AnchorPlan& p, T* loss, T* lse) {
  const char* op = c.op();
  const int64_t n = p.n, d = p.d, w = p.M * p.n;
  Scratch per_row(uint64_t(n > 0 ? n : 1) * sizeof(double), op);
  if (n > 0) {
    Scratch ah(uint64_t(n * d) * sizeof(T), op), zh(uint64_t(w * d) * sizeof(T), op), s(uint64_t(p.chunk * w) * sizeof(T), op);
    if (d > 0) normalize_all<T>(c, p, ah.as<T>(), nullptr, zh.as<T>(), nullptr);
    for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
      const int64_t rn = std::min(p.chunk, n - r0);
      if (d > 0)
        run_gemm(anchor_sim_gemm<T>(p, r0, rn, ah.as<T>(), zh.as<T>(), s.as<T>()), op);
      else  // no features: every similarity is 0 (cuBLAS would reject lda = 0)
        MMG_CUDA_CHECK(op, cudaMemsetAsync(s.as<T>(), 0, uint64_t(rn * w) * sizeof(T), stream()));
      lse_rows_kernel<T><<<row_blocks(rn), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, p.M, r0, lse, per_row.as<double>());
      check_launch(op, "lse_rows_kernel");
    }
  }
  sum_doubles_to(per_row.as<double>(), n, double(n), true, loss, op);
}

void anchor_infonce_cuda(Call& c) {
  const AnchorPlan p = anchor_infonce_plan(c, false);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, anchor_forward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

template <typename T>
void anchor_backward(Call& c, const AnchorPlan& p, T* da, T* dz) {
  const char* op = c.op();
  const int64_t n = p.n, d = p.d, w = p.M * p.n;
  Scratch ah(uint64_t(n * d) * sizeof(T), op), an(uint64_t(n) * sizeof(T), op), zh(uint64_t(w * d) * sizeof(T), op),
      zn(uint64_t(w) * sizeof(T), op), s(uint64_t(p.chunk * w) * sizeof(T), op);
  normalize_all<T>(c, p, ah.as<T>(), an.as<T>(), zh.as<T>(), zn.as<T>());
  const T* lse = ptr<T>(c.in(int(p.M) + 1));
  const T* g = ptr<T>(c.in(int(p.M) + 2));
  for (int64_t r0 = 0; r0 < n; r0 += p.chunk) {
    const int64_t rn = std::min(p.chunk, n - r0);
    run_gemm(anchor_sim_gemm<T>(p, r0, rn, ah.as<T>(), zh.as<T>(), s.as<T>()), op);
    p_minus_y_kernel<T><<<blocks_for(rn * w), body::kBlock, 0, stream()>>>(s.as<T>(), rn, n, p.M, r0, lse, g, p.tau);
    check_launch(op, "p_minus_y_kernel");
    if (p.need_anchor) run_gemm(anchor_grad_a_gemm<T>(p, r0, rn, s.as<T>(), zh.as<T>(), da), op);
    run_gemm(anchor_grad_z_gemm<T>(p, r0, rn, s.as<T>(), ah.as<T>(), dz), op);
  }
  if (p.need_anchor)
    normalize_backward_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, ah.as<T>(), an.as<T>(), da);
  else
    MMG_CUDA_CHECK(op, cudaMemsetAsync(da, 0, uint64_t(n * d) * sizeof(T), stream()));
  normalize_backward_kernel<T><<<warp_row_blocks(w), body::kBlock, 0, stream()>>>(w, d, zh.as<T>(), zn.as<T>(), dz);
  check_launch(op, "normalize_backward_kernel");
}

void anchor_infonce_backward_cuda(Call& c) {
  const AnchorPlan p = anchor_infonce_plan(c, true);
  if (p.n == 0 || p.d == 0) return;  // empty gradients
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, anchor_backward<T>(c, p, static_cast<T*>(p.out[0]), static_cast<T*>(p.out[1])));
}

}  // namespace
MMG_CUDA_OP("anchor_infonce", anchor_infonce_cuda);
MMG_CUDA_OP("anchor_infonce_backward", anchor_infonce_backward_cuda);
}  // namespace cuda
}  // namespace mmg
