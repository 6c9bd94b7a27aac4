// cooccurrence_graph on the CUDA backend (contract: native/ops/cooccurrence_graph.cc; bodies and
// why the numbers equal the CPU's bit for bit: cooccurrence_graph.h). Steps:
//   1. check_csr on R and Rt, then one scan kernel for the structure (rows strictly ascending, Rt
//      = Rᵀ), first bad row by atomicMin so the error names the CPU's row;
//   2. per-row bounds (one thread per item), their prefix on the host (the kept lists' offsets);
//   3. the row kernel: G persistent blocks, block b takes rows b, b+G, ...; per row it walks the
//      item's users one at a time (threads split the user's items, __syncthreads() between users)
//      into the block's global accumulator, collects first-touched items in the block's touched
//      list, then the block top-k of topk_rows.h (local heaps, merge tree) over the
//      candidates, clearing the accumulator through the touched list;
//   4. per row: sort by column and degree; counts to the host for indptr; per row: the weights.
#include <algorithm>
#include <vector>
#include "../csr_check.cuh"
#include "../../native/ops/cooccurrence_graph.h"
#include "topk_rows.cuh"

namespace mmg {
namespace cuda {
namespace {

__global__ void structure_kernel(const int32_t* rp, const int32_t* rj, const int32_t* tp, const int32_t* tj, int64_t n_users, int64_t n_items,
                                 unsigned long long* bad) {
  MMG_GRID_STRIDE(r, n_users > n_items ? n_users : n_items) {
    if (r < n_users && body::cooc_row_unsorted(rp, rj, r)) atomicMin(&bad[0], static_cast<unsigned long long>(r));
    if (r < n_items && body::cooc_row_unsorted(tp, tj, r)) atomicMin(&bad[1], static_cast<unsigned long long>(r));
    if (r < n_users && body::cooc_pair_missing(rp, rj, tp, tj, r)) atomicMin(&bad[2], static_cast<unsigned long long>(r));
  }
}

__global__ void bound_kernel(int64_t n, int64_t k, const int32_t* rp, const int32_t* tp, const int32_t* tj, int32_t* bound) {
  MMG_GRID_STRIDE(i, n) bound[i] = body::cooc_row_bound(i, k, n, rp, tp, tj);
}

struct SharedClaim {
  int32_t* count;
  __device__ int32_t operator()() { return atomicAdd(count, 1); }
};

__global__ void rows_kernel(int64_t n, int32_t mode, const int32_t* rp, const int32_t* rj, const int32_t* tp, const int32_t* tj,
                            const int64_t* off, const int32_t* bound, int32_t cap, double* acc_all, int32_t* touched_all, double* v0,
                            int32_t* i0, double* v1, int32_t* i1, double* kv, int32_t* kj, int32_t* cnt) {
  __shared__ int32_t len[body::kBlock];
  __shared__ int32_t ncand;
  const int t = threadIdx.x;
  double* acc = acc_all + int64_t(blockIdx.x) * n;
  int32_t* touched = touched_all + int64_t(blockIdx.x) * n;
  const int64_t base = int64_t(blockIdx.x) * body::kBlock * int64_t(cap);
  v0 += base;
  i0 += base;
  v1 += base;
  i1 += base;
  SharedClaim claim{&ncand};
  for (int64_t i = blockIdx.x; i < n; i += gridDim.x) {
    const int32_t k = bound[i];
    if (k == 0) {  // no candidates at all (uniform over the block)
      if (t == 0) cnt[i] = 0;
      continue;
    }
    if (t == 0) ncand = 0;
    __syncthreads();
    for (int64_t q = tp[i]; q < tp[i + 1]; ++q) {
      const int64_t u = tj[q];
      body::cooc_scatter(t, body::kBlock, i, body::cooc_user_weight(mode, rp, u), rj + rp[u], rp[u + 1] - rp[u], acc, touched, claim);
      __syncthreads();  // the next user may touch the same acc[j] from another thread
    }
    len[t] = body::cooc_local(t, mode, i, tp, acc, touched, ncand, cap, v0 + int64_t(t) * cap, i0 + int64_t(t) * cap);
    __syncthreads();
    bool in0 = true;
    for (int s = 1; s < body::kBlock; s <<= 1) {
      if (in0) body::topk_merge_step(t, s, cap, k, len, v0, i0, v1, i1);
      else body::topk_merge_step(t, s, cap, k, len, v1, i1, v0, i0);
      in0 = !in0;
      __syncthreads();
    }
    body::cooc_emit_list(t, len[0], in0 ? v0 : v1, in0 ? i0 : i1, kv + off[i], kj + off[i]);
    if (t == 0) cnt[i] = len[0];
    __syncthreads();  // len[0] and the lists are reused by the next row
  }
}

__global__ void finish_kernel(int64_t n, const int64_t* off, const int32_t* cnt, double* kv, int32_t* kj, double* dinv) {
  MMG_GRID_STRIDE(r, n) body::cooc_row_finish(r, off, cnt, kv, kj, dinv);
}

template <typename T>
__global__ void emit_kernel(int64_t n, const int64_t* off, const int32_t* cnt, const int32_t* indptr, const double* kv, const int32_t* kj,
                            const double* dinv, int32_t* oj, T* ov) {
  MMG_GRID_STRIDE(r, n) body::cooc_emit(r, off, cnt, indptr, kv, kj, dinv, oj, ov);
}

template <typename X>
void to_host(const char* op, X* dst, const X* src, int64_t count) {
  if (count == 0) return;
  MMG_CUDA_CHECK(op, cudaMemcpyAsync(dst, src, uint64_t(count) * sizeof(X), cudaMemcpyDeviceToHost, stream()));
  MMG_CUDA_CHECK(op, cudaStreamSynchronize(stream()));
}

template <typename X>
void to_device(const char* op, X* dst, const X* src, int64_t count) {
  if (count == 0) return;
  MMG_CUDA_CHECK(op, cudaMemcpyAsync(dst, src, uint64_t(count) * sizeof(X), cudaMemcpyHostToDevice, stream()));
  MMG_CUDA_CHECK(op, cudaStreamSynchronize(stream()));  // the host vector dies with the launcher
}

template <typename T>
void emit(Call& c, int64_t n, const int64_t* off, const int32_t* cnt, const std::vector<int32_t>& hp, const double* kv, const int32_t* kj,
          const double* dinv) {
  mmg_tensor& P = c.out({n + 1}, MMG_I32);
  mmg_tensor& J = c.out({int64_t(hp[size_t(n)])}, MMG_I32);
  mmg_tensor& V = c.out({int64_t(hp[size_t(n)])}, dtype_of<T>::value);
  to_device(c.op(), ptr<int32_t>(P), hp.data(), n + 1);
  if (n == 0) return;
  emit_kernel<T><<<blocks_for(n), body::kBlock, 0, stream()>>>(n, off, cnt, ptr<int32_t>(P), kv, kj, dinv, ptr<int32_t>(J), ptr<T>(V));
  check_launch(c.op(), "emit_kernel");
}

void cooccurrence_graph_cuda(Call& c) {
  const CoocInputs in = cooc_inputs(c, check_csr);
  const CoocArgs& a = in.a;
  const int32_t *rp = in.rp, *rj = in.rj, *tp = in.tp, *tj = in.tj;
  const int64_t n = a.n_items;
  {
    Scratch bad_s(3 * sizeof(unsigned long long), c.op());
    unsigned long long* bad = bad_s.as<unsigned long long>();
    MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(bad, 0xff, 3 * sizeof(unsigned long long), stream()));
    structure_kernel<<<blocks_for(std::max<int64_t>(1, std::max(a.n_users, n))), body::kBlock, 0, stream()>>>(rp, rj, tp, tj, a.n_users, n,
                                                                                                             bad);
    check_launch(c.op(), "structure_kernel");
    unsigned long long h[3];
    to_host(c.op(), h, bad, 3);
    cooc_report(c, h[0], h[1], h[2]);
  }

  Scratch bound_s(uint64_t(n) * sizeof(int32_t), c.op()), cnt_s(uint64_t(n) * sizeof(int32_t), c.op());
  Scratch off_s(uint64_t(n + 1) * sizeof(int64_t), c.op()), dinv_s(uint64_t(n) * sizeof(double), c.op());
  int32_t* bound = bound_s.as<int32_t>();
  int32_t* cnt = cnt_s.as<int32_t>();
  int64_t* off = off_s.as<int64_t>();
  double* dinv = dinv_s.as<double>();
  std::vector<int32_t> hb(static_cast<size_t>(n));
  if (n > 0) {
    bound_kernel<<<blocks_for(n), body::kBlock, 0, stream()>>>(n, a.k, rp, tp, tj, bound);
    check_launch(c.op(), "bound_kernel");
    to_host(c.op(), hb.data(), bound, n);
  }
  std::vector<int64_t> ho(static_cast<size_t>(n) + 1, 0);
  int64_t kmax = 0;
  for (int64_t i = 0; i < n; ++i) {
    ho[size_t(i) + 1] = ho[size_t(i)] + hb[size_t(i)];
    kmax = std::max<int64_t>(kmax, hb[size_t(i)]);
  }
  to_device(c.op(), off, ho.data(), n + 1);
  const int64_t kept = ho[size_t(n)];
  Scratch kv_s(uint64_t(kept) * sizeof(double), c.op()), kj_s(uint64_t(kept) * sizeof(int32_t), c.op());
  double* kv = kv_s.as<double>();
  int32_t* kj = kj_s.as<int32_t>();
  std::vector<int32_t> hc(static_cast<size_t>(n), 0);
  if (kept > 0) {
    const CoocPlan p = cooc_plan(n, kmax);
    const uint64_t lists = uint64_t(p.blocks) * body::kBlock * uint64_t(p.cap);
    Scratch acc_s(uint64_t(p.blocks * n) * sizeof(double), c.op()), touched_s(uint64_t(p.blocks * n) * sizeof(int32_t), c.op());
    Scratch lv_s(2 * lists * sizeof(double), c.op()), li_s(2 * lists * sizeof(int32_t), c.op());
    MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(acc_s.as<double>(), 0, uint64_t(p.blocks * n) * sizeof(double), stream()));
    double* lv = lv_s.as<double>();
    int32_t* li = li_s.as<int32_t>();
    rows_kernel<<<unsigned(p.blocks), body::kBlock, 0, stream()>>>(n, a.mode, rp, rj, tp, tj, off, bound, p.cap, acc_s.as<double>(),
                                                                  touched_s.as<int32_t>(), lv, li, lv + lists, li + lists, kv, kj, cnt);
    check_launch(c.op(), "rows_kernel");
    finish_kernel<<<blocks_for(n), body::kBlock, 0, stream()>>>(n, off, cnt, kv, kj, dinv);
    check_launch(c.op(), "finish_kernel");
    to_host(c.op(), hc.data(), cnt, n);
  } else if (n > 0) {
    MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(cnt, 0, uint64_t(n) * sizeof(int32_t), stream()));
    MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(dinv, 0, uint64_t(n) * sizeof(double), stream()));
  }
  int64_t total = 0;
  for (int64_t i = 0; i < n; ++i) total += hc[size_t(i)];
  cooc_check_total(c, total);
  std::vector<int32_t> hp(static_cast<size_t>(n) + 1, 0);
  for (int64_t i = 0; i < n; ++i) hp[size_t(i) + 1] = hp[size_t(i)] + hc[size_t(i)];
  if (a.dtype == MMG_F64) emit<double>(c, n, off, cnt, hp, kv, kj, dinv);
  else emit<float>(c, n, off, cnt, hp, kv, kj, dinv);
}

}  // namespace
MMG_CUDA_OP("cooccurrence_graph", cooccurrence_graph_cuda);
}  // namespace cuda
}  // namespace mmg
