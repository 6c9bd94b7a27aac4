// modulus_perturb on cuda-emu: the CUDA launcher's warp-per-row and element bodies, and
// emu::sum_doubles (the twin of cuda::sum_doubles_to) for the mean.
#include <vector>
#include "../ops/modulus_perturb.h"
#include "grid.h"

namespace mmg {
namespace {

template <typename T>
void perturb(const PerturbPlan& p, const T* e, T* out) {
  const int64_t n = p.n, d = p.d;
  if (n == 0 || d == 0) return;
  std::vector<double> norms(size_t(2 * n));
  double* nr = norms.data();
  emu::for_warp_rows(n, d, [&](int64_t r) {  // twin of row_norms_kernel: lanes, then two butterflies
    double se[body::kWarp], sd[body::kWarp];
    for (int l = 0; l < body::kWarp; ++l) body::perturb_sumsq_part(e, d, p.seed, r, l, body::kWarp, &se[l], &sd[l]);
    nr[r] = body::hd_sqrt(emu::warp_sum<double>([&](int l) { return se[l]; }));
    nr[n + r] = body::hd_sqrt(emu::warp_sum<double>([&](int l) { return sd[l]; }));
  });
  const double mean = p.mode != body::kPerturbRatio ? emu::sum_doubles(nr, n) / double(n) : 0.0;
  emu::for_threads(n * d, [&](int64_t i) {
    const int64_t r = i / d;
    const T k = body::perturb_coef<T>(nr[r], nr[n + r], mean, p.eps, p.mode);
    out[i] = body::perturb_one(e[i], k, p.seed, uint64_t(i));
  });
}

void modulus_perturb_emu(Call& c) {
  const PerturbPlan p = modulus_perturb_plan(c);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, perturb<T>(p, ptr<T>(c.in(0)), static_cast<T*>(p.out)));
}

}  // namespace
MMG_REGISTER_KERNEL("modulus_perturb", MMG_CUDA_EMU, modulus_perturb_emu);
}  // namespace mmg
