// rfft_filter family on cuda-emu: the CUDA launchers' steps with the same FftCall descriptors run
// through the host model of cuFFT (emu::cufft_exec: unnormalized R2C/C2R by a plain DFT), the same
// per-bin bodies, and a twin of the block-per-bin dw reduction (same row strides, same tree).
#include <vector>
#include "../ops/rfft_filter.h"
#include "grid.h"
#include "lib_models.h"

namespace mmg {
namespace {

// Twin of dw_kernel: block k forms kBlock (re, im) partials and merges each with the tree.
template <typename T>
void dw_blocks(const SpectralPlan& p, const T* g, const T* x, const T* xt, double scale, T* dw) {
  emu::for_blocks(p.bins, p.n, [&](int64_t k) {
    double re[body::kBlock], im[body::kBlock];
    for (int t = 0; t < body::kBlock; ++t) body::dw_partial(k, t, p.n, p.bins, g, x, xt, &re[t], &im[t]);
    body::dw_finish(k, p.bins, emu::block_tree_sum(re), emu::block_tree_sum(im), scale, dw);
  });
}

template <typename T>
std::vector<T> spectrum(const SpectralPlan& p) {
  return std::vector<T>(static_cast<size_t>(p.n * p.bins * 2));
}

void rfft_filter_emu(Call& c) {
  const SpectralPlan p = spectral_plan(c, 1, 2);
  const mmg_tensor &P = c.in(0), &W = c.in(1);
  mmg_tensor& C = c.out({p.n, p.d}, P.dtype);
  if (p.n == 0) return;
  MMG_FLOAT_SWITCH(P.dtype, T, c, {
    std::vector<T> x = spectrum<T>(p);
    emu::cufft_exec<T>(rfft_rows(P.dtype, p, P.data, x.data()), c.op());
    const T* w = ptr<T>(W);
    T* xp = x.data();
    emu::for_threads(p.n * p.bins, [&](int64_t i) { body::filter_bin(i, p.bins, w, T(p.s1), xp); });
    emu::cufft_exec<T>(irfft_rows(P.dtype, p, x.data(), C.data), c.op());
  });
}

void rfft_filter_backward_emu(Call& c) {
  const SpectralPlan p = spectral_plan(c, 1, 3);
  const mmg_tensor &P = c.in(0), &W = c.in(1), &dC = c.in(2);
  mmg_tensor& dP = c.out_like(P);
  mmg_tensor& dW = c.out_like(W);
  MMG_FLOAT_SWITCH(P.dtype, T, c, {
    std::vector<T> g = spectrum<T>(p), x = spectrum<T>(p);
    if (p.n > 0) {
      emu::cufft_exec<T>(rfft_rows(P.dtype, p, dC.data, g.data()), c.op());
      emu::cufft_exec<T>(rfft_rows(P.dtype, p, P.data, x.data()), c.op());
    }
    dw_blocks<T>(p, g.data(), x.data(), nullptr, p.s1, ptr<T>(dW));
    if (p.n > 0) {
      const T* w = ptr<T>(W);
      T* gp = g.data();
      emu::for_threads(p.n * p.bins, [&](int64_t i) { body::filter_backward_bin(i, p.bins, w, T(p.s1), gp); });
      emu::cufft_exec<T>(irfft_rows(P.dtype, p, g.data(), dP.data), c.op());
    }
  });
}

void rfft_filter_fusion_emu(Call& c) {
  const SpectralPlan p = spectral_plan(c, 2, 3);
  const mmg_tensor &Pv = c.in(0), &Pt = c.in(1), &W = c.in(2);
  mmg_tensor& C = c.out({p.n, p.d}, Pv.dtype);
  if (p.n == 0) return;
  MMG_FLOAT_SWITCH(Pv.dtype, T, c, {
    std::vector<T> xv = spectrum<T>(p), xt = spectrum<T>(p);
    emu::cufft_exec<T>(rfft_rows(Pv.dtype, p, Pv.data, xv.data()), c.op());
    emu::cufft_exec<T>(rfft_rows(Pv.dtype, p, Pt.data, xt.data()), c.op());
    const T* w = ptr<T>(W);
    T *vp = xv.data(), *tp = xt.data();
    emu::for_threads(p.n * p.bins, [&](int64_t i) { body::fusion_bin(i, p.bins, tp, w, T(p.s3), vp); });
    emu::cufft_exec<T>(irfft_rows(Pv.dtype, p, xv.data(), C.data), c.op());
  });
}

void rfft_filter_fusion_backward_emu(Call& c) {
  const SpectralPlan p = spectral_plan(c, 2, 4);
  const mmg_tensor &Pv = c.in(0), &Pt = c.in(1), &W = c.in(2), &dC = c.in(3);
  mmg_tensor& dPv = c.out_like(Pv);
  mmg_tensor& dPt = c.out_like(Pt);
  mmg_tensor& dW = c.out_like(W);
  MMG_FLOAT_SWITCH(Pv.dtype, T, c, {
    std::vector<T> g = spectrum<T>(p), xv = spectrum<T>(p), xt = spectrum<T>(p);
    if (p.n > 0) {
      emu::cufft_exec<T>(rfft_rows(Pv.dtype, p, dC.data, g.data()), c.op());
      emu::cufft_exec<T>(rfft_rows(Pv.dtype, p, Pv.data, xv.data()), c.op());
      emu::cufft_exec<T>(rfft_rows(Pv.dtype, p, Pt.data, xt.data()), c.op());
    }
    dw_blocks<T>(p, g.data(), xv.data(), xt.data(), p.s3, ptr<T>(dW));
    if (p.n > 0) {
      const T* w = ptr<T>(W);
      const T* gp = g.data();
      T *vp = xv.data(), *tp = xt.data();
      emu::for_threads(p.n * p.bins, [&](int64_t i) { body::fusion_backward_bin(i, p.bins, gp, w, T(p.s3), vp, tp); });
      emu::cufft_exec<T>(irfft_rows(Pv.dtype, p, xv.data(), dPv.data), c.op());
      emu::cufft_exec<T>(irfft_rows(Pv.dtype, p, xt.data(), dPt.data), c.op());
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("rfft_filter", MMG_CUDA_EMU, rfft_filter_emu);
MMG_REGISTER_KERNEL("rfft_filter_backward", MMG_CUDA_EMU, rfft_filter_backward_emu);
MMG_REGISTER_KERNEL("rfft_filter_fusion", MMG_CUDA_EMU, rfft_filter_fusion_emu);
MMG_REGISTER_KERNEL("rfft_filter_fusion_backward", MMG_CUDA_EMU, rfft_filter_fusion_backward_emu);
}  // namespace mmg
