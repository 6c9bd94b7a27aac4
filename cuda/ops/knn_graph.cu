// knn_graph: inverse norms (+ the CPU's zero/non-finite norm error), then per row block a cuBLAS
// gemm, the cosine scaling kernel and the block-per-row top-k kernel, then degrees + column sort
// per row and the sym weights per entry. Design: knn_graph.h.
#include <algorithm>
#include "gemm_call.cuh"
#include "../../native/ops/knn_graph.h"
#include "topk_rows.cuh"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void inv_norm_kernel(const T* x, int64_t n, int64_t f, double* inv, unsigned long long* first_bad) {
  const int lane = lane_index();
  MMG_WARP_ROWS(r, n) {  // one warp per row
    const double v = body::knn_inv_from_sumsq(warp_sum(body::knn_sumsq_part(x, r, f, lane, body::kWarp)));
    if (lane == 0) {
      inv[r] = v;
      if (body::knn_norm_bad(v)) atomicMin(first_bad, static_cast<unsigned long long>(r));
    }
  }
}

template <typename T>
__global__ void scale_kernel(int64_t total, int64_t n, int64_t i0, const double* inv, T* S) {
  MMG_GRID_STRIDE(e, total) body::knn_scale(e, n, i0, inv, S);
}

template <typename T>
__global__ void row_finish_kernel(int64_t n, int64_t k, T* v, int32_t* j, double* dinv) {
  MMG_GRID_STRIDE(r, n) body::knn_row_finish(r, k, v, j, dinv);
}

template <typename T>
__global__ void weight_kernel(int64_t total, int64_t k, const double* dinv, const int32_t* j, T* v) {
  MMG_GRID_STRIDE(e, total) body::knn_weight(e, k, dinv, j, v);
}

__global__ void indptr_kernel(int64_t n, int64_t k, int32_t* p) {
  MMG_GRID_STRIDE(r, n + 1) p[r] = int32_t(r * k);
}

template <typename T>
void knn(Call& c, const KnnPlan& p) {
  const T* x = ptr<T>(c.in(0));
  const int64_t n = p.n, k = p.k;
  Scratch inv_s(uint64_t(n) * sizeof(double), c.op()), bad_s(sizeof(unsigned long long), c.op());
  double* inv = inv_s.as<double>();
  unsigned long long* bad = bad_s.as<unsigned long long>();
  MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(bad, 0xff, sizeof(unsigned long long), stream()));
  inv_norm_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(x, n, p.f, inv, bad);
  check_launch(c.op(), "inv_norm_kernel");
  unsigned long long first = 0;
  MMG_CUDA_CHECK(c.op(), cudaMemcpyAsync(&first, bad, sizeof first, cudaMemcpyDeviceToHost, stream()));
  MMG_CUDA_CHECK(c.op(), cudaStreamSynchronize(stream()));
  if (first != ~0ull) {
    double v = 0;
    MMG_CUDA_CHECK(c.op(), cudaMemcpy(&v, inv + first, sizeof v, cudaMemcpyDeviceToHost));
    knn_bad_norm(c, int64_t(first), v);
  }

  mmg_tensor& P = c.out({n + 1}, MMG_I32);
  mmg_tensor& J = c.out({n * k}, MMG_I32);
  mmg_tensor& V = c.out({n * k}, dtype_of<T>::value);
  T* vv = ptr<T>(V);
  int32_t* jj = ptr<int32_t>(J);
  {
    Scratch scores(uint64_t(p.block * n) * sizeof(T), c.op());
    T* S = scores.as<T>();
    const TopkLists<T> lists(p.block, p.cap, c.op());
    for (int64_t i0 = 0; i0 < n; i0 += p.block) {
      const int64_t bi = std::min(p.block, n - i0);
      run_gemm(scores_gemm(dtype_of<T>::value, x, n, x + i0 * p.f, bi, p.f, S), c.op());  // f > 0: norms are non-zero
      scale_kernel<T><<<blocks_for(bi * n), body::kBlock, 0, stream()>>>(bi * n, n, i0, inv, S);
      check_launch(c.op(), "scale_kernel");
      topk_rows<T>(c.op(), S, bi, n, int32_t(k), p.cap, lists, vv + i0 * k, jj + i0 * k);
    }
  }
  Scratch dinv_s(uint64_t(n) * sizeof(double), c.op());
  double* dinv = dinv_s.as<double>();
  row_finish_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, k, vv, jj, dinv);
  weight_kernel<T><<<blocks_for(n * k), body::kBlock, 0, stream()>>>(n * k, k, dinv, jj, vv);
  indptr_kernel<<<blocks_for(n + 1), body::kBlock, 0, stream()>>>(n, k, ptr<int32_t>(P));
  check_launch(c.op(), "knn_graph finishing kernels");
}

void knn_graph_cuda(Call& c) {
  const KnnPlan p = knn_graph_check(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, knn<T>(c, p));
}

}  // namespace
MMG_CUDA_OP("knn_graph", knn_graph_cuda);
}  // namespace cuda
}  // namespace mmg
