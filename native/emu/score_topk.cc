// score_topk on cuda-emu: the device checks' twins (mask CSR, first non-finite entry), then per
// user batch the CUDA backend's GemmCall through the cuBLAS model, the masking body per row
// ("block") and thread, and the top-K block twin (topk_rows.h). Same batches as the GPU.
#include <algorithm>
#include <vector>
#include "../ops/score_topk.h"
#include "csr_check.h"
#include "grid.h"
#include "lib_models.h"
#include "topk_rows.h"

namespace mmg {
namespace {

template <typename T>
void check_finite(const Call& c, const T* u, int64_t nu, const T* it, int64_t ni, int64_t d) {
  const T* src[2] = {u, it};
  const int64_t count[2] = {nu, ni};
  const char* what[2] = {"user", "item"};
  // score_topk.cu: a scan kernel per non-empty operand, then both results read back at once.
  if (nu > 0) count_launch();
  if (ni > 0) count_launch();
  count_d2h();
  for (int w = 0; w < 2; ++w)
    for (int64_t i = 0; i < count[w]; ++i)
      if (!body::hd_isfinite(src[w][i])) score_topk_not_finite(c, what[w], double(src[w][i]), i, d);
}

template <typename T>
void run(Call& c, const ScoreTopkArgs& a, const ScoreTopkPlan& p) {
  const int32_t *mp = a.mp, *mi = a.mi;
  int32_t* oi = ptr<int32_t>(*a.oi);
  T* ov = ptr<T>(*a.ov);
  const T* u = ptr<T>(c.in(0));
  const T* it = ptr<T>(c.in(1));
  std::vector<T> scores(static_cast<size_t>(p.batch * a.n));
  T* S = scores.data();
  for (int64_t u0 = 0; u0 < a.b; u0 += p.batch) {
    const int64_t bu = std::min(p.batch, a.b - u0);
    if (a.d == 0) std::fill(scores.begin(), scores.begin() + bu * a.n, T(0));
    else emu::cublas_gemm<T>(scores_gemm(c.in(0).dtype, it, a.n, u + u0 * a.d, bu, a.d, S), c.op());
    if (mp)
      emu::for_blocks(bu, 64, [&](int64_t r) {
        for (int t = 0; t < body::kBlock; ++t) body::mask_row(S + r * a.n, mi, mp[u0 + r], mp[u0 + r + 1], t);
      });
    emu::topk_rows<T>(S, bu, a.n, int32_t(a.k), p.cap, ov + u0 * a.k, oi + u0 * a.k);
  }
}

void score_topk_emu(Call& c) {
  const ScoreTopkArgs a = score_topk_args(c, emu::check_csr);
  if (a.b == 0) return;
  const ScoreTopkPlan p = score_topk_plan(a, c.in(0).dtype);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    check_finite<T>(c, ptr<T>(c.in(0)), a.b * a.d, ptr<T>(c.in(1)), a.n * a.d, a.d);
    run<T>(c, a, p);
  });
}

}  // namespace
MMG_REGISTER_KERNEL("score_topk", MMG_CUDA_EMU, score_topk_emu);
}  // namespace mmg
