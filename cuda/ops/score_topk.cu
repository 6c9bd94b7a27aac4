// score_topk: device checks (mask CSR, finite embeddings), then per user batch a cuBLAS gemm into
// scratch, the masking kernel and the block-per-row top-K kernel. Design: score_topk.h.
#include <algorithm>
#include "../csr_check.cuh"
#include "gemm_call.cuh"
#include "../../native/ops/score_topk.h"
#include "topk_rows.cuh"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void first_nonfinite_kernel(const T* x, int64_t count, unsigned long long* first) {
  MMG_GRID_STRIDE(i, count) {
    if (!body::hd_isfinite(x[i])) atomicMin(first, static_cast<unsigned long long>(i));
  }
}

// The CPU's check_finite for U, then I: the first non-finite entry of each, found in one pass each
// and read back together (one synchronisation).
template <typename T>
void check_finite(const Call& c, const T* u, int64_t nu, const T* it, int64_t ni, int64_t d) {
  Scratch first(2 * sizeof(unsigned long long), c.op());
  unsigned long long* f = first.as<unsigned long long>();
  MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(f, 0xff, 2 * sizeof(unsigned long long), stream()));
  if (nu > 0) first_nonfinite_kernel<T><<<blocks_for(nu), body::kBlock, 0, stream()>>>(u, nu, f);
  if (ni > 0) first_nonfinite_kernel<T><<<blocks_for(ni), body::kBlock, 0, stream()>>>(it, ni, f + 1);
  check_launch(c.op(), "first_nonfinite_kernel");
  unsigned long long h[2];
  MMG_CUDA_CHECK(c.op(), cudaMemcpyAsync(h, f, sizeof h, cudaMemcpyDeviceToHost, stream()));
  MMG_CUDA_CHECK(c.op(), cudaStreamSynchronize(stream()));
  const T* src[2] = {u, it};
  const char* what[2] = {"user", "item"};
  for (int w = 0; w < 2; ++w)
    if (h[w] != ~0ull) {
      T x{};
      MMG_CUDA_CHECK(c.op(), cudaMemcpy(&x, src[w] + h[w], sizeof(T), cudaMemcpyDeviceToHost));
      score_topk_not_finite(c, what[w], double(x), int64_t(h[w]), d);
    }
}

template <typename T>
__global__ void mask_kernel(T* S, int64_t n, const int32_t* mp, const int32_t* mi, int64_t u0) {
  const int64_t r = blockIdx.x;
  body::mask_row(S + r * n, mi, mp[u0 + r], mp[u0 + r + 1], threadIdx.x);
}

template <typename T>
void run(Call& c, const ScoreTopkArgs& a, const ScoreTopkPlan& p) {
  const int32_t *mp = a.mp, *mi = a.mi;
  int32_t* oi = ptr<int32_t>(*a.oi);
  T* ov = ptr<T>(*a.ov);
  const T* u = ptr<T>(c.in(0));
  const T* it = ptr<T>(c.in(1));
  Scratch scores(uint64_t(p.batch * a.n) * sizeof(T), c.op());
  T* S = scores.as<T>();
  const TopkLists<T> lists(p.batch, p.cap, c.op());
  for (int64_t u0 = 0; u0 < a.b; u0 += p.batch) {
    const int64_t bu = std::min(p.batch, a.b - u0);
    if (a.d == 0) MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(S, 0, uint64_t(bu * a.n) * sizeof(T), stream()));
    else run_gemm(scores_gemm(c.in(0).dtype, it, a.n, u + u0 * a.d, bu, a.d, S), c.op());
    if (mp) {
      mask_kernel<T><<<unsigned(bu), body::kBlock, 0, stream()>>>(S, a.n, mp, mi, u0);
      check_launch(c.op(), "mask_kernel");
    }
    topk_rows<T>(c.op(), S, bu, a.n, int32_t(a.k), p.cap, lists, ov + u0 * a.k, oi + u0 * a.k);
  }
}

void score_topk_cuda(Call& c) {
  const ScoreTopkArgs a = score_topk_args(c, check_csr);
  if (a.b == 0) return;
  const ScoreTopkPlan p = score_topk_plan(a, c.in(0).dtype);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    check_finite<T>(c, ptr<T>(c.in(0)), a.b * a.d, ptr<T>(c.in(1)), a.n * a.d, a.d);
    run<T>(c, a, p);
  });
}

}  // namespace
MMG_CUDA_OP("score_topk", score_topk_cuda);
}  // namespace cuda
}  // namespace mmg
