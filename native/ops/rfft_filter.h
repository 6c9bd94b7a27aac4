// rfft_filter, rfft_filter_fusion and their backward kernels on the CUDA backend (contract:
// native/ops/rfft_filter.cc; smore.md §3 step 2). The CPU runs these as GEMMs with DFT/circulant
// matrices; here they are FFTs: cuFFT batched R2C/C2R over the n rows (length d, K = d/2 + 1 bins),
// unnormalized, with the 'ortho' scaling and the complex products in hand-written kernels.
//   F = rfft_ortho = R2C/√d, F⁻¹ = irfft_ortho = C2R/√d (C2R uses only Re of bins 0 and d/2).
//   filter:  C = C2R(R2C(P) ⊙ w / d)
//   fusion:  C = C2R(R2C(Pv) ⊙ R2C(Pt) ⊙ w / d^{3/2})
// Backward, with G = R2C(dC) and G̃ = G with Im of bins 0 and d/2 set to 0 (irfft never reads
// those parts, so nothing flows back through them), c_k = 1 at k = 0, d/2 and 2 otherwise (the
// Hermitian half each interior bin stands for):
//   filter:  dP = C2R(G̃ ⊙ conj(w) / d);             dw_k = (c_k/d) Σ_r G̃_rk·conj(X_rk), X = R2C(P)
//   fusion:  dPv = C2R(G̃ ⊙ conj(w) ⊙ conj(Xt) / d^{3/2}), dPt likewise with conj(Xv);
//            dw_k = (c_k/d^{3/2}) Σ_r G̃_rk·conj(Xv_rk·Xt_rk)
//   and Im dw at bins 0 and d/2 is exactly 0 (set, not computed): the imaginary parts of the DC and
//   Nyquist weights never reach the output.
// Every spectrum handed to C2R has those two imaginary parts set to exactly 0 by our kernels, so
// the result does not depend on how cuFFT treats a non-Hermitian input.
// Kernels: one thread per bin (r, k) for the products (in place on the spectra); dw is one block
// per bin k, each thread summing rows r = t, t + kBlock, ... in double, merged by the shared-memory
// tree: deterministic, no atomics. (Loads in that reduction stride over rows: fine for SMORE's
// 7k×33 spectra.) The cuFFT calls are described by FftCall (native/core/hd/lib_calls.h), filled here; the
// CUDA side runs them through a per-layout plan cache (the CUDA backend's fft.cu), cuda-emu through the host
// model emu::cufft_exec.
#pragma once
#include <cmath>
#include <string>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"
#include "../core/hd/body_common.h"
#include "../core/hd/lib_calls.h"

namespace mmg {
namespace body {

MMG_HD bool spectral_edge_bin(int64_t k, int64_t bins) { return k == 0 || k == bins - 1; }

// z = x·y and z = x·conj(y) on (re, im) pairs, in the CPU's operation order, each product rounded
// on its own (mul_rn: nvcc would otherwise fuse one product into the add as an FMA).
template <typename T>
MMG_HD void cmul(T xr, T xi, T yr, T yi, T& zr, T& zi) {
  zr = sub_rn(mul_rn(xr, yr), mul_rn(xi, yi));
  zi = add_rn(mul_rn(xr, yi), mul_rn(xi, yr));
}
template <typename T>
MMG_HD void cmul_conj(T xr, T xi, T yr, T yi, T& zr, T& zi) {
  zr = add_rn(mul_rn(xr, yr), mul_rn(xi, yi));
  zi = sub_rn(mul_rn(xi, yr), mul_rn(xr, yi));
}

// Stores z·s at bin i (complex element i of a [rows, bins] spectrum), Im 0 at the edge bins.
template <typename T>
MMG_HD void store_bin(T* spec, int64_t i, bool edge, T zr, T zi, T s) {
  spec[2 * i] = zr * s;
  spec[2 * i + 1] = edge ? T(0) : zi * s;
}

// filter forward, in place on X = R2C(P): X ← X ⊙ w · s (s = 1/d).
template <typename T>
MMG_HD void filter_bin(int64_t i, int64_t bins, const T* w, T s, T* x) {
  const int64_t k = i % bins;
  T zr, zi;
  cmul(x[2 * i], x[2 * i + 1], w[2 * k], w[2 * k + 1], zr, zi);
  store_bin(x, i, spectral_edge_bin(k, bins), zr, zi, s);
}

// fusion forward, in place on Xv: Xv ← (Xv ⊙ Xt) ⊙ w · s (s = d^{-3/2}).
template <typename T>
MMG_HD void fusion_bin(int64_t i, int64_t bins, const T* xt, const T* w, T s, T* xv) {
  const int64_t k = i % bins;
  T ur, ui, zr, zi;
  cmul(xv[2 * i], xv[2 * i + 1], xt[2 * i], xt[2 * i + 1], ur, ui);
  cmul(ur, ui, w[2 * k], w[2 * k + 1], zr, zi);
  store_bin(xv, i, spectral_edge_bin(k, bins), zr, zi, s);
}

// filter backward, in place on G = R2C(dC): G ← G̃ ⊙ conj(w) · s (s = 1/d), the spectrum of dP.
template <typename T>
MMG_HD void filter_backward_bin(int64_t i, int64_t bins, const T* w, T s, T* g) {
  const int64_t k = i % bins;
  const bool edge = spectral_edge_bin(k, bins);
  T zr, zi;
  cmul_conj(g[2 * i], edge ? T(0) : g[2 * i + 1], w[2 * k], w[2 * k + 1], zr, zi);
  store_bin(g, i, edge, zr, zi, s);
}

// fusion backward, in place on the spectra: a = G̃ ⊙ conj(w); xv ← a ⊙ conj(Xt)·s (dPv's spectrum),
// xt ← a ⊙ conj(Xv)·s (dPt's), s = d^{-3/2}. Reads both before writing either.
template <typename T>
MMG_HD void fusion_backward_bin(int64_t i, int64_t bins, const T* g, const T* w, T s, T* xv, T* xt) {
  const int64_t k = i % bins;
  const bool edge = spectral_edge_bin(k, bins);
  T ar, ai, vr, vi, tr, ti;
  cmul_conj(g[2 * i], edge ? T(0) : g[2 * i + 1], w[2 * k], w[2 * k + 1], ar, ai);
  cmul_conj(ar, ai, xt[2 * i], xt[2 * i + 1], vr, vi);
  cmul_conj(ar, ai, xv[2 * i], xv[2 * i + 1], tr, ti);
  store_bin(xv, i, edge, vr, vi, s);
  store_bin(xt, i, edge, tr, ti, s);
}

// Thread t's partial of dw_k over rows r = t, t + kBlock, ...: Σ G̃_rk·conj(U_rk) in double, where
// U = X (filter) or X ⊙ Xt (fusion, xt non-null; the product formed in double).
template <typename T>
MMG_HD void dw_partial(int64_t k, int t, int64_t rows, int64_t bins, const T* g, const T* x, const T* xt, double* re, double* im) {
  const bool edge = spectral_edge_bin(k, bins);
  double sr = 0, si = 0;
  for (int64_t r = t; r < rows; r += kBlock) {
    const int64_t i = r * bins + k;
    const double gr = double(g[2 * i]), gi = edge ? 0.0 : double(g[2 * i + 1]);
    double ur = double(x[2 * i]), ui = double(x[2 * i + 1]);
    if (xt) {
      const double tr = double(xt[2 * i]), ti = double(xt[2 * i + 1]);
      const double pr = ur * tr - ui * ti, pi = ur * ti + ui * tr;
      ur = pr;
      ui = pi;
    }
    sr += gr * ur + gi * ui;
    si += gi * ur - gr * ui;
  }
  *re = sr;
  *im = si;
}

// dw_k from the block sums: (c_k·scale)·Σ, Im exactly 0 at the edge bins.
template <typename T>
MMG_HD void dw_finish(int64_t k, int64_t bins, double re, double im, double scale, T* dw) {
  const bool edge = spectral_edge_bin(k, bins);
  const double ck = edge ? 1.0 : 2.0;
  dw[2 * k] = static_cast<T>(ck * scale * re);
  dw[2 * k + 1] = edge ? T(0) : static_cast<T>(ck * scale * im);
}

}  // namespace body

struct SpectralPlan {
  int64_t n = 0, d = 0, bins = 0;
  double s1 = 0, s3 = 0;  // 1/d and d^{-3/2}
};

// The input checks (the CPU kernels call this too): P-like inputs [0, n_p), w at n_p, then dC.
inline SpectralPlan spectral_plan(Call& c, int n_p, int n_in) {
  c.expect_inputs(n_in, n_in);
  const char* p0 = n_p == 1 ? "P" : "Pv";
  c.expect_float(0, p0);
  c.expect_ndim(0, p0, 2);
  for (int i = 1; i < n_in; ++i) {
    const char* name = i < n_p ? "Pt" : (i == n_p ? "w" : "dC");
    c.expect_same_dtype(0, i, p0, name);
    if (i != n_p) c.expect_same_shape(0, i, p0, name);
  }
  const int64_t d = c.in(0).shape[1];
  if (d < 2 || d % 2) c.shape_error(std::string("an even feature length d >= 2 (") + p0 + " [n, d])", shape_str(c.in(0)));
  const mmg_tensor& w = c.in(n_p);
  const int64_t k = d / 2 + 1;
  if (numel(w) != 2 * k || w.ndim < 2 || w.shape[w.ndim - 1] != 2 || w.shape[w.ndim - 2] != k)
    c.shape_error("w of shape [1, " + std::to_string(k) + ", 2] or [" + std::to_string(k) + ", 2] for d = " + std::to_string(d),
                  shape_str(w));
  SpectralPlan p;
  p.n = c.in(0).shape[0];
  p.d = d;
  p.bins = k;
  p.s1 = 1.0 / double(d);
  p.s3 = 1.0 / (double(d) * std::sqrt(double(d)));
  return p;
}

// R2C of the n rows of a row-major [n, d] real matrix into an [n, bins] complex spectrum.
inline FftCall rfft_rows(int32_t dtype, const SpectralPlan& p, const void* real, void* spec) {
  FftCall f;
  f.dtype = dtype;
  f.inverse = false;
  f.n = p.d;
  f.batch = p.n;
  f.in = const_cast<void*>(real);  // R2C does not write its input
  f.inembed = p.d;
  f.istride = 1;
  f.idist = p.d;
  f.out = spec;
  f.onembed = p.bins;
  f.ostride = 1;
  f.odist = p.bins;
  return f;
}

// C2R of an [n, bins] spectrum (overwritten) into the rows of a row-major [n, d] real matrix.
inline FftCall irfft_rows(int32_t dtype, const SpectralPlan& p, void* spec, void* real) {
  FftCall f;
  f.dtype = dtype;
  f.inverse = true;
  f.n = p.d;
  f.batch = p.n;
  f.in = spec;
  f.inembed = p.bins;
  f.istride = 1;
  f.idist = p.bins;
  f.out = real;
  f.onembed = p.d;
  f.ostride = 1;
  f.odist = p.d;
  return f;
}

}  // namespace mmg
