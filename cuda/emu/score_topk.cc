// score_topk on cuda-emu: the device checks' twins (mask CSR, first non-finite entry), then per
// user batch the CUDA backend's GemmCall through the cuBLAS model, the masking body per row
// ("block") and thread, and the top-K block twin (topk_rows.h). Same batches as the GPU.
#include <algorithm>
#include <vector>
#include "../ops/score_topk.body.h"
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
  for (int w = 0; w < 2; ++w)
    for (int64_t i = 0; i < count[w]; ++i)
      if (!body::hd_isfinite(src[w][i])) score_topk_not_finite(c, what[w], double(src[w][i]), i, d);
}

template <typename T>
void run(Call& c, const ScoreTopkPlan& p, const int32_t* mp, const int32_t* mi, int32_t* oi, T* ov) {
  const T* u = ptr<T>(c.in(0));
  const T* it = ptr<T>(c.in(1));
  std::vector<T> scores(static_cast<size_t>(p.batch * p.n));
  T* S = scores.data();
  for (int64_t u0 = 0; u0 < p.b; u0 += p.batch) {
    const int64_t bu = std::min(p.batch, p.b - u0);
    if (p.d == 0) std::fill(scores.begin(), scores.begin() + bu * p.n, T(0));
    else emu::cublas_gemm<T>(scores_gemm(c.in(0).dtype, it, p.n, u + u0 * p.d, bu, p.d, S), c.op());
    if (mp)
      emu::for_blocks(bu, 64, [&](int64_t r) {
        for (int t = 0; t < body::kBlock; ++t) body::mask_row(S + r * p.n, mi, mp[u0 + r], mp[u0 + r + 1], t);
      });
    emu::topk_rows<T>(S, bu, p.n, int32_t(p.k), p.cap, ov + u0 * p.k, oi + u0 * p.k);
  }
}

void score_topk_emu(Call& c) {
  const ScoreTopkPlan p = score_topk_check(c);
  const int32_t *mp = nullptr, *mi = nullptr;
  if (p.mask) {
    emu::check_csr(c, 2, 3, p.n, "mask");
    score_topk_mask_len(c, p);
    mp = ptr<int32_t>(c.in(2));
    mi = ptr<int32_t>(c.in(3));
  }
  const mmg_tensor& U = c.in(0);
  mmg_tensor& OI = c.out({p.b, p.k}, MMG_I32);
  mmg_tensor& OV = c.out({p.b, p.k}, U.dtype);
  if (p.b == 0) return;
  MMG_FLOAT_SWITCH(U.dtype, T, c, {
    check_finite<T>(c, ptr<T>(U), p.b * p.d, ptr<T>(c.in(1)), p.n * p.d, p.d);
    run<T>(c, p, mp, mi, ptr<int32_t>(OI), ptr<T>(OV));
  });
}

}  // namespace
MMG_REGISTER_KERNEL("score_topk", MMG_CUDA_EMU, score_topk_emu);
}  // namespace mmg
