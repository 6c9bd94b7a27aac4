// Self-tests of the cuda-emu models themselves, not kernels of any op: registered on cuda-emu
// only, under the name "emu_selftest", for the emu_models test (test/…/emu_models.test.ts). They show that the host
// model catches the two GPU hazards it cannot run: a missing __syncthreads() (BlockShared poisons
// shared scratch on a racy interval) and reuse of a C2R input (the cuFFT model scribbles over it).
//   input x: float64 [kBlock] (modes 0-2) or [n, d] (mode 3); attr 0 = mode:
//   0  the block tree sum twin as the GPU runs it (emu::block_tree_sum) → [1]
//   1  the same with the barrier after the partial store left out → [1] (must come out NaN)
//   2  the same with the barrier between the first two tree steps left out → [1] (must be NaN)
//   3  R2C of x's rows, then C2R of that spectrum → the round trip [n, d] (unnormalized) and the
//      spectrum as the C2R left it [n, 2·(d/2 + 1)] (must be NaN)
//   4  the top-K block merge (topk_rows.h twin) of x [n] with K = 4, one level per barrier
//      interval → the 4 largest values [4]
//   5  the same with two merge levels in one interval (a missing barrier) → [4] (must be NaN)
#include <string>
#include "../ops/rfft_filter.h"
#include "grid.h"
#include "lib_models.h"
#include "../ops/topk_rows.h"
#include <vector>

namespace mmg {
namespace {

double tree_sum_wrong(const double* p, int mode) {
  emu::BlockShared<double> sh;
  int s = body::kBlock / 2;
  if (mode == 1) {  // shared[t] = v; (no barrier) first tree step
    sh.phase([&](int t, double* q) {
      q[t] = p[t];
      body::tree_sum_step(q, t, s);
    });
    s >>= 1;
  } else {  // mode 2: store, barrier, then two tree steps without a barrier between them
    sh.phase([&](int t, double* q) { q[t] = p[t]; });
    sh.phase([&](int t, double* q) {
      body::tree_sum_step(q, t, s);
      body::tree_sum_step(q, t, s / 2);
    });
    s >>= 2;
  }
  for (; s > 0; s >>= 1) sh.phase([&](int t, double* q) { body::tree_sum_step(q, t, s); });
  return sh.v[0];
}

// Modes 4 and 5: the 4 largest of x, lists merged as the GPU's topk block does.
void topk_merge_selftest(const double* x, int64_t n, bool fused_levels, double* out) {
  constexpr int32_t k = 4;
  const int32_t cap = topk_cap(n, k);
  const int64_t entries = int64_t(body::kBlock) * cap;
  std::vector<double> av(static_cast<size_t>(entries)), bv(static_cast<size_t>(entries));
  std::vector<int32_t> ai(static_cast<size_t>(entries)), bi(static_cast<size_t>(entries));
  int32_t len[body::kBlock];
  for (int t = 0; t < body::kBlock; ++t) len[t] = body::topk_local(x, n, t, cap, av.data() + int64_t(t) * cap, ai.data() + int64_t(t) * cap);
  double *v[2] = {av.data(), bv.data()};
  int32_t* ix[2] = {ai.data(), bi.data()};
  int cur = 0;
  for (int s = 1; s < body::kBlock; s <<= (fused_levels ? 2 : 1)) {
    const bool two = fused_levels && 2 * s < body::kBlock;
    emu::list_phase(len, av.data(), ai.data(), bv.data(), bi.data(), entries, [&](int t) {
      body::topk_merge_step(t, s, cap, k, len, v[cur], ix[cur], v[1 - cur], ix[1 - cur]);
      if (two) body::topk_merge_step(t, 2 * s, cap, k, len, v[1 - cur], ix[1 - cur], v[cur], ix[cur]);
    });
    if (!two) cur = 1 - cur;
  }
  for (int q = 0; q < k; ++q) out[q] = v[cur][q];
}

void emu_selftest(Call& c) {
  c.expect_inputs(1, 1);
  const mmg_tensor& X = c.in(0);
  c.expect_dtype(0, "x", {MMG_F64});
  const int64_t mode = c.attr_int(0);
  const double* x = ptr<double>(X);
  if (mode >= 0 && mode <= 2) {
    if (numel(X) != body::kBlock) c.shape_error("x with " + std::to_string(body::kBlock) + " entries", shape_str(X));
    *ptr<double>(c.out({1}, MMG_F64)) = mode == 0 ? emu::block_tree_sum(x) : tree_sum_wrong(x, int(mode));
    return;
  }
  if (mode == 4 || mode == 5) {
    c.expect_ndim(0, "x", 1);
    if (numel(X) < 4) c.shape_error("x with at least 4 entries", shape_str(X));
    topk_merge_selftest(x, numel(X), mode == 5, ptr<double>(c.out({4}, MMG_F64)));
    return;
  }
  if (mode != 3) fail(MMG_E_ARG, c.op(), ": expected mode 0..5, got ", mode);
  c.expect_ndim(0, "x", 2);
  SpectralPlan p;
  p.n = X.shape[0];
  p.d = X.shape[1];
  p.bins = p.d / 2 + 1;
  mmg_tensor& Y = c.out({p.n, p.d}, MMG_F64);
  mmg_tensor& S = c.out({p.n, 2 * p.bins}, MMG_F64);
  emu::cufft_exec<double>(rfft_rows(MMG_F64, p, X.data, S.data), c.op());
  emu::cufft_exec<double>(irfft_rows(MMG_F64, p, S.data, Y.data), c.op());
}

}  // namespace
MMG_REGISTER_KERNEL("emu_selftest", MMG_CUDA_EMU, emu_selftest);
}  // namespace mmg
