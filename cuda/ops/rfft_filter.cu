// rfft_filter, rfft_filter_fusion and their backward kernels: cuFFT R2C/C2R over the rows (run_fft,
// cached plans), the ortho scaling and complex products in per-bin kernels, dw by a block-per-bin
// deterministic reduction. Formulas and layout: rfft_filter.h.
#include "../common.cuh"
#include "../fft.cuh"
#include "../../native/ops/rfft_filter.h"

namespace mmg {
namespace cuda {
namespace {

template <typename T>
__global__ void filter_kernel(int64_t nb, int64_t bins, const T* w, T s, T* x) {
  MMG_GRID_STRIDE(i, nb) body::filter_bin(i, bins, w, s, x);
}

template <typename T>
__global__ void fusion_kernel(int64_t nb, int64_t bins, const T* xt, const T* w, T s, T* xv) {
  MMG_GRID_STRIDE(i, nb) body::fusion_bin(i, bins, xt, w, s, xv);
}

template <typename T>
__global__ void filter_backward_kernel(int64_t nb, int64_t bins, const T* w, T s, T* g) {
  MMG_GRID_STRIDE(i, nb) body::filter_backward_bin(i, bins, w, s, g);
}

template <typename T>
__global__ void fusion_backward_kernel(int64_t nb, int64_t bins, const T* g, const T* w, T s, T* xv, T* xt) {
  MMG_GRID_STRIDE(i, nb) body::fusion_backward_bin(i, bins, g, w, s, xv, xt);
}

// One block per bin k (grid = bins): rows strided over the threads, then the tree (re, then im).
template <typename T>
__global__ void dw_kernel(int64_t rows, int64_t bins, const T* g, const T* x, const T* xt, double scale, T* dw) {
  __shared__ double sh[body::kBlock];
  const int64_t k = blockIdx.x;
  double re, im;
  body::dw_partial(k, threadIdx.x, rows, bins, g, x, xt, &re, &im);
  re = block_tree_sum(re, sh);
  im = block_tree_sum(im, sh);
  if (threadIdx.x == 0) body::dw_finish(k, bins, re, im, scale, dw);
}

uint64_t spectrum_bytes(const SpectralPlan& p, int32_t dtype) { return uint64_t(p.n * p.bins * 2) * dtype_size(dtype); }

void rfft_filter_cuda(Call& c) {
  const SpectralPlan p = spectral_plan(c, 1, 2);
  const mmg_tensor &P = c.in(0), &W = c.in(1);
  mmg_tensor& C = c.out({p.n, p.d}, P.dtype);
  if (p.n == 0) return;
  const int64_t nb = p.n * p.bins;
  Scratch x(spectrum_bytes(p, P.dtype), c.op());
  MMG_FLOAT_SWITCH(P.dtype, T, c, {
    run_fft(rfft_rows(P.dtype, p, P.data, x.as<T>()), c.op());
    filter_kernel<T><<<blocks_for(nb), body::kBlock, 0, stream()>>>(nb, p.bins, ptr<T>(W), T(p.s1), x.as<T>());
    check_launch(c.op(), "filter_kernel");
    run_fft(irfft_rows(P.dtype, p, x.as<T>(), C.data), c.op());
  });
}

void rfft_filter_backward_cuda(Call& c) {
  const SpectralPlan p = spectral_plan(c, 1, 3);
  const mmg_tensor &P = c.in(0), &W = c.in(1), &dC = c.in(2);
  mmg_tensor& dP = c.out_like(P);
  mmg_tensor& dW = c.out_like(W);
  const int64_t nb = p.n * p.bins;
  Scratch g(spectrum_bytes(p, P.dtype), c.op()), x(spectrum_bytes(p, P.dtype), c.op());
  MMG_FLOAT_SWITCH(P.dtype, T, c, {
    if (p.n > 0) {
      run_fft(rfft_rows(P.dtype, p, dC.data, g.as<T>()), c.op());
      run_fft(rfft_rows(P.dtype, p, P.data, x.as<T>()), c.op());
    }
    // No rows: every partial is 0 and dw = 0, as on the CPU.
    dw_kernel<T><<<unsigned(p.bins), body::kBlock, 0, stream()>>>(p.n, p.bins, g.as<T>(), x.as<T>(), nullptr, p.s1, ptr<T>(dW));
    check_launch(c.op(), "dw_kernel");
    if (p.n > 0) {
      filter_backward_kernel<T><<<blocks_for(nb), body::kBlock, 0, stream()>>>(nb, p.bins, ptr<T>(W), T(p.s1), g.as<T>());
      check_launch(c.op(), "filter_backward_kernel");
      run_fft(irfft_rows(P.dtype, p, g.as<T>(), dP.data), c.op());
    }
  });
}

void rfft_filter_fusion_cuda(Call& c) {
  const SpectralPlan p = spectral_plan(c, 2, 3);
  const mmg_tensor &Pv = c.in(0), &Pt = c.in(1), &W = c.in(2);
  mmg_tensor& C = c.out({p.n, p.d}, Pv.dtype);
  if (p.n == 0) return;
  const int64_t nb = p.n * p.bins;
  Scratch xv(spectrum_bytes(p, Pv.dtype), c.op()), xt(spectrum_bytes(p, Pv.dtype), c.op());
  MMG_FLOAT_SWITCH(Pv.dtype, T, c, {
    run_fft(rfft_rows(Pv.dtype, p, Pv.data, xv.as<T>()), c.op());
    run_fft(rfft_rows(Pv.dtype, p, Pt.data, xt.as<T>()), c.op());
    fusion_kernel<T><<<blocks_for(nb), body::kBlock, 0, stream()>>>(nb, p.bins, xt.as<T>(), ptr<T>(W), T(p.s3), xv.as<T>());
    check_launch(c.op(), "fusion_kernel");
    run_fft(irfft_rows(Pv.dtype, p, xv.as<T>(), C.data), c.op());
  });
}

void rfft_filter_fusion_backward_cuda(Call& c) {
  const SpectralPlan p = spectral_plan(c, 2, 4);
  const mmg_tensor &Pv = c.in(0), &Pt = c.in(1), &W = c.in(2), &dC = c.in(3);
  mmg_tensor& dPv = c.out_like(Pv);
  mmg_tensor& dPt = c.out_like(Pt);
  mmg_tensor& dW = c.out_like(W);
  const int64_t nb = p.n * p.bins;
  const uint64_t bytes = spectrum_bytes(p, Pv.dtype);
  Scratch g(bytes, c.op()), xv(bytes, c.op()), xt(bytes, c.op());
  MMG_FLOAT_SWITCH(Pv.dtype, T, c, {
    if (p.n > 0) {
      run_fft(rfft_rows(Pv.dtype, p, dC.data, g.as<T>()), c.op());
      run_fft(rfft_rows(Pv.dtype, p, Pv.data, xv.as<T>()), c.op());
      run_fft(rfft_rows(Pv.dtype, p, Pt.data, xt.as<T>()), c.op());
    }
    dw_kernel<T><<<unsigned(p.bins), body::kBlock, 0, stream()>>>(p.n, p.bins, g.as<T>(), xv.as<T>(), xt.as<T>(), p.s3, ptr<T>(dW));
    check_launch(c.op(), "dw_kernel");
    if (p.n > 0) {
      fusion_backward_kernel<T><<<blocks_for(nb), body::kBlock, 0, stream()>>>(nb, p.bins, g.as<T>(), ptr<T>(W), T(p.s3), xv.as<T>(),
                                                                               xt.as<T>());
      check_launch(c.op(), "fusion_backward_kernel");
      run_fft(irfft_rows(Pv.dtype, p, xv.as<T>(), dPv.data), c.op());
      run_fft(irfft_rows(Pv.dtype, p, xt.as<T>(), dPt.data), c.op());
    }
  });
}

}  // namespace
MMG_CUDA_OP("rfft_filter", rfft_filter_cuda);
MMG_CUDA_OP("rfft_filter_backward", rfft_filter_backward_cuda);
MMG_CUDA_OP("rfft_filter_fusion", rfft_filter_fusion_cuda);
MMG_CUDA_OP("rfft_filter_fusion_backward", rfft_filter_fusion_backward_cuda);
}  // namespace cuda
}  // namespace mmg
