// modulus_perturb: a warp-per-row kernel for the two norms, the deterministic mean where the mode needs
// it, then a grid-stride element kernel (modulus_perturb.h).
#include "../common.cuh"
#include "../reduce.cuh"
#include "../../native/ops/modulus_perturb.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void row_norms_kernel(int64_t n, int64_t d, const T* e, uint64_t seed, double* norms) {
  const int lane = lane_index();
  MMG_WARP_ROWS(r, n) {  // one warp per row
    double se, sd;
    body::perturb_sumsq_part(e, d, seed, r, lane, body::kWarp, &se, &sd);
    se = warp_sum(se);
    sd = warp_sum(sd);
    if (lane == 0) {
      norms[r] = body::hd_sqrt(se);
      norms[n + r] = body::hd_sqrt(sd);
    }
  }
}

template <typename T>
__global__ void perturb_kernel(int64_t n, int64_t d, const T* e, uint64_t seed, const double* norms, const double* mean, double eps,
                               int mode, T* out) {
  const double mu = mean ? *mean : 0.0;
  MMG_GRID_STRIDE(i, n * d) {
    const int64_t r = i / d;
    const T k = body::perturb_coef<T>(norms[r], norms[n + r], mu, eps, mode);
    out[i] = body::perturb_one(e[i], k, seed, uint64_t(i));
  }
}

void modulus_perturb_cuda(Call& c) {
  const PerturbPlan p = modulus_perturb_plan(c);
  const char* op = c.op();
  const int64_t n = p.n, d = p.d;
  if (n == 0 || d == 0) return;
  Scratch norms(uint64_t(2 * n) * sizeof(double), op), mean(sizeof(double), op);
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    const T* e = ptr<T>(c.in(0));
    row_norms_kernel<T><<<warp_row_blocks(n), body::kBlock, 0, stream()>>>(n, d, e, p.seed, norms.as<double>());
    check_launch(op, "row_norms_kernel");
    const bool need_mean = p.mode != body::kPerturbRatio;
    if (need_mean) sum_doubles_to(norms.as<double>(), n, double(n), false, mean.as<double>(), op);
    perturb_kernel<T><<<blocks_for(n * d), body::kBlock, 0, stream()>>>(n, d, e, p.seed, norms.as<double>(),
                                                                         need_mean ? mean.as<double>() : nullptr, p.eps, p.mode,
                                                                         static_cast<T*>(p.out));
    check_launch(op, "perturb_kernel");
  });
}

}  // namespace
MMG_CUDA_OP("modulus_perturb", modulus_perturb_cuda);
}  // namespace cuda
}  // namespace mmg
