// rfft_filter: SMORE's spectral stage (smore.md §3 step 2), with F = rfft(·, norm='ortho') and
// F⁻¹ = irfft(·, n=d, norm='ortho') along each row's d features (d even), K = d/2 + 1 bins.
//   rfft_filter        (P [n,d], w)      → C = F⁻¹(F(P) ⊙ w)                       [n,d]
//   rfft_filter_fusion (Pv, Pt [n,d], w) → C = F⁻¹(F(Pv) ⊙ F(Pt) ⊙ w)             [n,d]
// w holds K complex values as (re, im) pairs: shape [1,K,2] or [K,2] (the PyTorch parameter).
// float32/float64, one dtype. Backward kernels:
//   rfft_filter_backward        (P, w, dC)      → dP, dw
//   rfft_filter_fusion_backward (Pv, Pt, w, dC) → dPv, dPt, dw
// irfft ignores the imaginary parts of bins 0 and d/2, so dw there is exactly 0 (set explicitly).
//
// Why GEMMs and not an FFT: for d = 64 every transform here is a small dense linear map, and a
// 64×66 GEMM on the vectorized path beats a scalar radix-2 FFT on a 64-point row (≈4k FMAs at
// GEMM speed against ≈1k scalar flops with shuffles), with no twiddle or bit-reversal code to port.
//   filter: the filter is a circulant M_w (smore.md's closed form), so C = P·M_w, one GEMM.
//   fusion: real DFT matrices Fm [d,2K] and Im [2K,d]: Xv = Pv·Fm, Xt = Pt·Fm, Z = Xv ⊙ Xt per bin,
//           C = Z·Iw with w folded into Im (Iw = diag(w)·Im); three GEMMs.
// The backward is GEMMs of the same matrices plus per-bin complex products; dw comes from
// d×d / 2K×d GEMM results (Pᵀ·dC, Zᵀ·dC), so there are no racy sums. Deterministic.
#include <algorithm>
#include <cmath>
#include <string>
#include "rfft_filter.h"  // spectral_plan: the input checks (shared with the CUDA port)
#include "../core/allocator.h"
#include "../core/gemm.h"
#include "../core/parallel.h"
#include "../core/registry.h"

namespace mmg {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

// ---- pure bodies (the CUDA port reuses them) ----

// 2π·(k·t mod d)/d: reducing the product first keeps cos/sin exact at the symmetric points.
inline double dft_angle(int64_t k, int64_t t, int64_t d) { return kTwoPi * static_cast<double>((k * t) % d) / static_cast<double>(d); }

// The real circulant kernel of F⁻¹(F(·) ⊙ w):
// h_w(t) = Re w_0 + (−1)^t Re w_{d/2} + 2 Σ_{k=1}^{d/2−1} (Re w_k cos(2πkt/d) − Im w_k sin(2πkt/d)).
template <typename T>
inline double spectral_kernel_h(const T* w, int64_t d, int64_t t) {
  const int64_t half = d / 2;
  double h = double(w[0]) + ((t & 1) ? -1.0 : 1.0) * double(w[2 * half]);
  for (int64_t k = 1; k < half; ++k) {
    const double a = dft_angle(k, t, d);
    h += 2.0 * (double(w[2 * k]) * std::cos(a) - double(w[2 * k + 1]) * std::sin(a));
  }
  return h;
}

// Forward real DFT (ortho): Fm[t][2k] = cos/√d, Fm[t][2k+1] = −sin/√d (exact 0 at k = 0, d/2).
inline double rfft_matrix_entry(int64_t t, int64_t col, int64_t d) {
  const int64_t k = col / 2;
  if ((col & 1) && (k == 0 || 2 * k == d)) return 0.0;
  const double a = dft_angle(k, t, d), s = 1.0 / std::sqrt(double(d));
  return (col & 1) ? -std::sin(a) * s : std::cos(a) * s;
}

// Inverse real DFT (ortho, n = d): Im[2k][t] = c_k cos/√d, Im[2k+1][t] = −c_k sin/√d, with c_k = 1
// at k = 0, d/2 (whose imaginary rows are exactly 0: irfft drops those parts) and 2 otherwise.
inline double irfft_matrix_entry(int64_t row, int64_t t, int64_t d) {
  const int64_t k = row / 2;
  const bool edge = k == 0 || 2 * k == d;
  if ((row & 1) && edge) return 0.0;
  const double a = dft_angle(k, t, d), s = (edge ? 1.0 : 2.0) / std::sqrt(double(d));
  return (row & 1) ? -std::sin(a) * s : std::cos(a) * s;
}

// z = x·y and z = x·conj(y) on (re, im) pairs.
template <typename T>
inline void complex_mul(T xr, T xi, T yr, T yi, T* z) {
  z[0] = xr * yr - xi * yi;
  z[1] = xr * yi + xi * yr;
}
template <typename T>
inline void complex_mul_conj(T xr, T xi, T yr, T yi, T* z) {
  z[0] = xr * yr + xi * yi;
  z[1] = xi * yr - xr * yi;
}

// ---- host plumbing ----

template <typename T>
struct Buf {
  size_t bytes;
  T* p;
  explicit Buf(int64_t n) : bytes(sizeof(T) * static_cast<size_t>(std::max<int64_t>(n, 1))), p(static_cast<T*>(host_alloc(bytes))) {}
  ~Buf() { host_free(p, bytes); }
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
};

template <typename T>
void build_dft(int64_t d, T* fm, T* im) {
  const int64_t kk = d + 2;  // 2K
  for (int64_t t = 0; t < d; ++t)
    for (int64_t col = 0; col < kk; ++col) fm[t * kk + col] = static_cast<T>(rfft_matrix_entry(t, col, d));
  for (int64_t row = 0; row < kk; ++row)
    for (int64_t t = 0; t < d; ++t) im[row * d + t] = static_cast<T>(irfft_matrix_entry(row, t, d));
}

// dw from the gradient of h (filter) — the adjoint of spectral_kernel_h, imaginary edges zero.
template <typename T>
void dw_from_dh(const double* dh, int64_t d, T* dw) {
  const int64_t half = d / 2;
  double r0 = 0, rh = 0;
  for (int64_t t = 0; t < d; ++t) {
    r0 += dh[t];
    rh += (t & 1) ? -dh[t] : dh[t];
  }
  dw[0] = static_cast<T>(r0);
  dw[1] = T(0);
  dw[2 * half] = static_cast<T>(rh);
  dw[2 * half + 1] = T(0);
  for (int64_t k = 1; k < half; ++k) {
    double re = 0, imv = 0;
    for (int64_t t = 0; t < d; ++t) {
      const double a = dft_angle(k, t, d);
      re += 2.0 * dh[t] * std::cos(a);
      imv -= 2.0 * dh[t] * std::sin(a);
    }
    dw[2 * k] = static_cast<T>(re);
    dw[2 * k + 1] = static_cast<T>(imv);
  }
}

template <typename T>
void build_circulant(const T* w, int64_t d, T* m) {
  Buf<double> h(d);
  for (int64_t t = 0; t < d; ++t) h.p[t] = spectral_kernel_h(w, d, t) / double(d);
  for (int64_t r = 0; r < d; ++r)
    for (int64_t j = 0; j < d; ++j) m[r * d + j] = static_cast<T>(h.p[((j - r) % d + d) % d]);
}

void rfft_filter_cpu(Call& c) {
  const int64_t d = spectral_plan(c, 1, 2).d;
  const mmg_tensor &P = c.in(0), &W = c.in(1);
  const int64_t n = P.shape[0];
  mmg_tensor& C = c.out({n, d}, P.dtype);
  MMG_FLOAT_SWITCH(P.dtype, T, c, {
    Buf<T> m(d * d);
    build_circulant(ptr<T>(W), d, m.p);
    gemm<T>(false, false, n, d, d, T(1), ptr<T>(P), d, m.p, d, T(0), ptr<T>(C), d);
  });
}

void rfft_filter_backward_cpu(Call& c) {
  const int64_t d = spectral_plan(c, 1, 3).d;
  const mmg_tensor &P = c.in(0), &W = c.in(1), &dC = c.in(2);
  const int64_t n = P.shape[0];
  mmg_tensor& dP = c.out_like(P);
  mmg_tensor& dW = c.out_like(W);
  MMG_FLOAT_SWITCH(P.dtype, T, c, {
    Buf<T> m(d * d), dm(d * d);
    build_circulant(ptr<T>(W), d, m.p);
    gemm<T>(false, true, n, d, d, T(1), ptr<T>(dC), d, m.p, d, T(0), ptr<T>(dP), d);  // dP = dC·Mᵀ
    gemm<T>(true, false, d, d, n, T(1), ptr<T>(P), d, ptr<T>(dC), d, T(0), dm.p, d);  // dM = Pᵀ·dC
    // M[r][j] = h((j − r) mod d)/d, so dh(t) = Σ_r dM[r][(r + t) mod d] / d.
    Buf<double> dh(d);
    for (int64_t t = 0; t < d; ++t) {
      double s = 0;
      for (int64_t r = 0; r < d; ++r) s += double(dm.p[r * d + (r + t) % d]);
      dh.p[t] = s / double(d);
    }
    dw_from_dh(dh.p, d, ptr<T>(dW));
  });
}

// Z[r] = Xv[r] ⊙ Xt[r], bin by bin.
template <typename T>
void spectra_product(const T* xv, const T* xt, int64_t n, int64_t kk, T* z) {
  parallel_for(n, 64, [&](int64_t s, int64_t e) {
    for (int64_t i = s * kk; i < e * kk; i += 2) complex_mul(xv[i], xv[i + 1], xt[i], xt[i + 1], z + i);
  });
}

// Iw = diag(w)·Im: row pair k maps (Re Z_k, Im Z_k) through Y_k = Z_k·w_k, then Im.
template <typename T>
void fold_filter(const T* w, const T* im, int64_t d, T* iw) {
  for (int64_t k = 0; k < d / 2 + 1; ++k) {
    const T wr = w[2 * k], wi = w[2 * k + 1];
    const T *re = im + 2 * k * d, *img = im + (2 * k + 1) * d;
    for (int64_t t = 0; t < d; ++t) {
      iw[2 * k * d + t] = wr * re[t] + wi * img[t];
      iw[(2 * k + 1) * d + t] = wr * img[t] - wi * re[t];
    }
  }
}

void rfft_filter_fusion_cpu(Call& c) {
  const int64_t d = spectral_plan(c, 2, 3).d;
  const mmg_tensor &Pv = c.in(0), &Pt = c.in(1), &W = c.in(2);
  const int64_t n = Pv.shape[0], kk = d + 2;
  mmg_tensor& C = c.out({n, d}, Pv.dtype);
  MMG_FLOAT_SWITCH(Pv.dtype, T, c, {
    Buf<T> fm(d * kk), im(kk * d), iw(kk * d), xv(n * kk), xt(n * kk);
    build_dft(d, fm.p, im.p);
    fold_filter(ptr<T>(W), im.p, d, iw.p);
    gemm<T>(false, false, n, kk, d, T(1), ptr<T>(Pv), d, fm.p, kk, T(0), xv.p, kk);
    gemm<T>(false, false, n, kk, d, T(1), ptr<T>(Pt), d, fm.p, kk, T(0), xt.p, kk);
    spectra_product(xv.p, xt.p, n, kk, xv.p);
    gemm<T>(false, false, n, d, kk, T(1), xv.p, kk, iw.p, d, T(0), ptr<T>(C), d);
  });
}

void rfft_filter_fusion_backward_cpu(Call& c) {
  const int64_t d = spectral_plan(c, 2, 4).d;
  const mmg_tensor &Pv = c.in(0), &Pt = c.in(1), &W = c.in(2), &dC = c.in(3);
  const int64_t n = Pv.shape[0], kk = d + 2;
  mmg_tensor& dPv = c.out_like(Pv);
  mmg_tensor& dPt = c.out_like(Pt);
  mmg_tensor& dW = c.out_like(W);
  MMG_FLOAT_SWITCH(Pv.dtype, T, c, {
    Buf<T> fm(d * kk), im(kk * d), iw(kk * d), xv(n * kk), xt(n * kk), z(n * kk), dz(n * kk), diw(kk * d);
    build_dft(d, fm.p, im.p);
    fold_filter(ptr<T>(W), im.p, d, iw.p);
    gemm<T>(false, false, n, kk, d, T(1), ptr<T>(Pv), d, fm.p, kk, T(0), xv.p, kk);
    gemm<T>(false, false, n, kk, d, T(1), ptr<T>(Pt), d, fm.p, kk, T(0), xt.p, kk);
    spectra_product(xv.p, xt.p, n, kk, z.p);
    gemm<T>(false, true, n, kk, d, T(1), ptr<T>(dC), d, iw.p, d, T(0), dz.p, kk);  // dZ = dC·Iwᵀ
    gemm<T>(true, false, kk, d, n, T(1), z.p, kk, ptr<T>(dC), d, T(0), diw.p, d);  // dIw = Zᵀ·dC
    // dw: adjoint of fold_filter.
    T* dw = ptr<T>(dW);
    for (int64_t k = 0; k < d / 2 + 1; ++k) {
      const T *re = im.p + 2 * k * d, *img = im.p + (2 * k + 1) * d;
      const T *gre = diw.p + 2 * k * d, *gim = diw.p + (2 * k + 1) * d;
      double sr = 0, si = 0;
      for (int64_t t = 0; t < d; ++t) {
        sr += double(gre[t]) * re[t] + double(gim[t]) * img[t];
        si += double(gre[t]) * img[t] - double(gim[t]) * re[t];
      }
      const bool edge = k == 0 || 2 * k == d;
      dw[2 * k] = static_cast<T>(sr);
      dw[2 * k + 1] = edge ? T(0) : static_cast<T>(si);
    }
    // dXv = dZ ⊙ conj(Xt), dXt = dZ ⊙ conj(Xv) (overwriting the spectra in place), then through Fmᵀ.
    parallel_for(n, 64, [&](int64_t s, int64_t e) {
      for (int64_t i = s * kk; i < e * kk; i += 2) {
        const T vr = xv.p[i], vi = xv.p[i + 1];
        complex_mul_conj(dz.p[i], dz.p[i + 1], xt.p[i], xt.p[i + 1], xv.p + i);
        complex_mul_conj(dz.p[i], dz.p[i + 1], vr, vi, xt.p + i);
      }
    });
    gemm<T>(false, true, n, d, kk, T(1), xv.p, kk, fm.p, kk, T(0), ptr<T>(dPv), d);
    gemm<T>(false, true, n, d, kk, T(1), xt.p, kk, fm.p, kk, T(0), ptr<T>(dPt), d);
  });
}

}  // namespace
MMG_REGISTER_KERNEL("rfft_filter", MMG_CPU, rfft_filter_cpu);
MMG_REGISTER_KERNEL("rfft_filter_backward", MMG_CPU, rfft_filter_backward_cpu);
MMG_REGISTER_KERNEL("rfft_filter_fusion", MMG_CPU, rfft_filter_fusion_cpu);
MMG_REGISTER_KERNEL("rfft_filter_fusion_backward", MMG_CPU, rfft_filter_fusion_backward_cpu);
}  // namespace mmg
