// knn_graph on cuda-emu: the CUDA launcher's steps with the same bodies (knn_graph.h): norms
// per row warp (lanes and butterfly) (the first bad row, as the GPU's atomicMin), per block of rows the GemmCall
// through the cuBLAS model, scaling per entry, the top-k block twin (topk_rows.h), then the row
// finish and the weights.
#include <algorithm>
#include <vector>
#include "../ops/knn_graph.h"
#include "grid.h"
#include "lib_models.h"
#include "topk_rows.h"

namespace mmg {
namespace {

template <typename T>
void knn(Call& c, const KnnPlan& p) {
  const T* x = ptr<T>(c.in(0));
  const int64_t n = p.n, k = p.k;
  std::vector<double> inv(static_cast<size_t>(n));
  emu::for_warp_rows(n, p.f, [&](int64_t r) {
    inv[size_t(r)] = body::knn_inv_from_sumsq(emu::warp_sum<double>([&](int l) { return body::knn_sumsq_part(x, r, p.f, l, body::kWarp); }));
  });
  count_d2h();  // knn_graph.cu reads the first bad row back before going on
  for (int64_t r = 0; r < n; ++r)
    if (body::knn_norm_bad(inv[size_t(r)])) knn_bad_norm(c, r, inv[size_t(r)]);

  mmg_tensor& P = c.out({n + 1}, MMG_I32);
  mmg_tensor& J = c.out({n * k}, MMG_I32);
  mmg_tensor& V = c.out({n * k}, dtype_of<T>::value);
  T* vv = ptr<T>(V);
  int32_t* jj = ptr<int32_t>(J);
  {
    std::vector<T> scores(static_cast<size_t>(p.block * n));
    T* S = scores.data();
    for (int64_t i0 = 0; i0 < n; i0 += p.block) {
      const int64_t bi = std::min(p.block, n - i0);
      emu::cublas_gemm<T>(scores_gemm(dtype_of<T>::value, x, n, x + i0 * p.f, bi, p.f, S), c.op());
      emu::for_threads(bi * n, [&](int64_t e) { body::knn_scale(e, n, i0, inv.data(), S); });
      emu::topk_rows<T>(S, bi, n, int32_t(k), p.cap, vv + i0 * k, jj + i0 * k);
    }
  }
  std::vector<double> dinv(static_cast<size_t>(n));
  emu::for_threads(n, [&](int64_t r) { body::knn_row_finish(r, k, vv, jj, dinv.data()); });
  emu::for_threads(n * k, [&](int64_t e) { body::knn_weight(e, k, dinv.data(), jj, vv); });
  int32_t* pp = ptr<int32_t>(P);
  emu::for_threads(n + 1, [&](int64_t r) { pp[r] = int32_t(r * k); });
}

void knn_graph_emu(Call& c) {
  const KnnPlan p = knn_graph_check(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, knn<T>(c, p));
}

}  // namespace
MMG_REGISTER_KERNEL("knn_graph", MMG_CUDA_EMU, knn_graph_emu);
}  // namespace mmg
