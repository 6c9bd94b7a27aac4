// modulus_perturb: SINGER's modulus-based personalized perturbation (spec singer.md §5),
//   P(e)_r = e_r + k_r·(sign(e_r) ⊙ δ_r),  δ_r ~ U[0, 1)^d,  k_r = g_r / max(‖δ_r‖, 1e-12),
// i.e. noise along sign(e_r) ⊙ nrm(δ_r) with norm g_r (exactly g_r when e_r has no zero entry):
//   mode 0 'ratio':       g_r = ε·‖e_r‖                 (every row gets noise-to-signal ratio ε)
//   mode 1 'mean_scaled': g_r = ε·‖e_r‖ / mean_s ‖e_s‖  (the ratio profile, rescaled so the mean
//                                                        noise norm is ε, SimGCL's fixed magnitude)
//   mode 2 'inverse':     g_r = ε·mean_s ‖e_s‖ / ‖e_r‖  (small-norm rows perturbed more)
// The spec writes the last two as a per-row ε_e; we read ε_e as the noise norm itself (SimGCL's
// ε, made per row), which is what makes 'mean_scaled' keep SimGCL's average magnitude and
// 'inverse' perturb weak rows more in absolute terms. A zero row gets no noise (its g_r is 0, also
// in 'inverse'); so does every row when all of E is zero.
// δ_r,j is randLike(E, seed)'s element r·d + j (rand_like.cc: splitmix64 of (seed, index), drawn
// in E's dtype), so CPU, CUDA and cuda-emu use the same draws. Norms and means are taken in double.
// Input: E [n, d] float32/float64. Attrs: [eps ≥ 0, seed_lo, seed_hi, mode = 0]. Output: P like E.
// No backward kernel: the noise and the norms are detached, so dE = dP (the TS wrapper passes the
// gradient through).
#include <algorithm>
#include "modulus_perturb.h"  // plan and per-row/per-element bodies (shared with CUDA)
#include "../core/allocator.h"
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

template <typename T>
void perturb(const PerturbPlan& p, const T* e, T* out) {
  const int64_t n = p.n, d = p.d;
  if (n == 0 || d == 0) return;
  const size_t bytes = sizeof(double) * size_t(2 * n);
  double* norms = static_cast<double*>(host_alloc(bytes));  // ‖e_r‖ in [0, n), ‖δ_r‖ in [n, 2n)
  const int64_t grain = std::max<int64_t>(1, 8192 / d);
  parallel_for(n, grain, [&](int64_t s, int64_t t) {
    for (int64_t r = s; r < t; ++r) body::perturb_row_norms(e, d, p.seed, r, norms + r, norms + n + r);
  });
  double mean = 0;
  if (p.mode != body::kPerturbRatio) {
    for (int64_t r = 0; r < n; ++r) mean += norms[r];
    mean /= double(n);
  }
  parallel_for(n, grain, [&](int64_t s, int64_t t) {
    for (int64_t r = s; r < t; ++r) {
      const T k = body::perturb_coef<T>(norms[r], norms[n + r], mean, p.eps, p.mode);
      for (int64_t j = 0; j < d; ++j) out[r * d + j] = body::perturb_one(e[r * d + j], k, p.seed, uint64_t(r * d + j));
    }
  });
  host_free(norms, bytes);
}

void modulus_perturb_cpu(Call& c) {
  const PerturbPlan p = modulus_perturb_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, perturb<T>(p, ptr<T>(c.in(0)), static_cast<T*>(p.out)));
}

}  // namespace
MMG_REGISTER_KERNEL("modulus_perturb", MMG_CPU, modulus_perturb_cpu);
}  // namespace mmg
