// modulus_perturb on the CUDA backend (contract: native/ops/modulus_perturb.cc): one warp per
// row forms ‖e_r‖ and ‖δ_r‖ (double lane partials merged by the xor butterfly; the CPU sums in
// column order), the mean of ‖e_r‖ for the 'mean_scaled' and 'inverse' modes comes from the
// deterministic two-pass sum (the CUDA backend's reduce.cuh; the CPU sums in row order), then one thread per
// element writes e + k_r·(sign(e)·δ) with the draw recomputed from (seed, element index). The
// product and sum are not contracted (mul_rn/add_rn); results differ from the CPU only through the
// order of the double additions in the norms and the mean (k_r rounded to T may move by an ulp).
// cuda-emu runs the same bodies, with emu::sum_doubles for the mean.
#pragma once
#include <cmath>
#include <cstdint>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"
#include "../core/hd/body_common.h"
#include "rand_like.h"

namespace mmg {
namespace body {

enum PerturbMode : int { kPerturbRatio = 0, kPerturbMeanScaled = 1, kPerturbInverse = 2 };
constexpr double kPerturbNormEps = 1e-12;  // F.normalize's clamp, for nrm(δ)

// Σ e_rj² and Σ δ_rj² over j = lane, lane + step, ... (δ_r,j = rand_like_one(seed, r·d + j), in T
// as randLike draws it). The CPU takes the whole row (lane 0, step 1); the CUDA kernel a warp per
// row (step kWarp), the lanes merged by the xor butterfly.
template <typename T>
MMG_HD void perturb_sumsq_part(const T* e, int64_t d, uint64_t seed, int64_t r, int lane, int step, double* se, double* sd) {
  double a = 0, b = 0;
  for (int64_t j = lane; j < d; j += step) {
    const double x = double(e[r * d + j]);
    const double u = double(rand_like_one<T>(seed, uint64_t(r * d + j)));
    a += mul_rn(x, x);
    b += mul_rn(u, u);
  }
  *se = a;
  *sd = b;
}

// ‖e_r‖ and ‖δ_r‖ of row r, columns in order (the CPU kernel).
template <typename T>
MMG_HD void perturb_row_norms(const T* e, int64_t d, uint64_t seed, int64_t r, double* enorm, double* dnorm) {
  double se, sd;
  perturb_sumsq_part(e, d, seed, r, 0, 1, &se, &sd);
  *enorm = hd_sqrt(se);
  *dnorm = hd_sqrt(sd);
}

// k_r = (noise norm of row r) / max(‖δ_r‖, eps), rounded once to T. mean = mean_r ‖e_r‖ (unused in
// ratio mode). Zero rows (and an all-zero matrix in mean_scaled) get no noise.
template <typename T>
MMG_HD T perturb_coef(double enorm, double dnorm, double mean, double eps, int mode) {
  double mag;
  if (mode == kPerturbRatio) mag = eps * enorm;
  else if (mode == kPerturbMeanScaled) mag = mean > 0 ? eps * enorm / mean : 0.0;
  else mag = enorm > 0 ? eps * mean / enorm : 0.0;
  return static_cast<T>(mag / (dnorm > kPerturbNormEps ? dnorm : kPerturbNormEps));
}

// P = e + k·(sign(e)·δ); sign(e)·δ is exact (sign ∈ {−1, 0, 1}).
template <typename T>
MMG_HD T perturb_one(T e, T k, uint64_t seed, uint64_t i) {
  const T u = rand_like_one<T>(seed, i);
  const T su = e > T(0) ? u : e < T(0) ? -u : T(0);
  return add_rn(e, mul_rn(k, su));
}

}  // namespace body

struct PerturbPlan {
  int64_t n = 0, d = 0;
  double eps = 0;
  uint64_t seed = 0;
  int mode = 0;
  void* out = nullptr;  // P, like E
};

// Input E [n, d]; attrs [eps, seed_lo, seed_hi, mode]. The CPU kernel calls this too.
inline PerturbPlan modulus_perturb_plan(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "E");
  c.expect_ndim(0, "E", 2);
  PerturbPlan p;
  p.eps = c.attr(0);
  if (!(p.eps >= 0) || !std::isfinite(p.eps)) fail(MMG_E_ARG, c.op(), ": expected a finite eps >= 0, got ", p.eps);
  p.seed = seed_attrs(c, 1);
  const double m = c.attr_or(3, 0);
  if (!(m == 0 || m == 1 || m == 2))
    fail(MMG_E_ARG, c.op(), ": expected mode 0 (ratio), 1 (mean_scaled) or 2 (inverse), got ", m);
  p.mode = int(m);
  const mmg_tensor& E = c.in(0);
  p.n = E.shape[0];
  p.d = E.shape[1];
  p.out = c.out_like(E).data;
  return p;
}

}  // namespace mmg
