// layer_mean on the CUDA backend (contract: native/ops/layer_mean.cc): one thread per element sums
// the L layers in layer order in double and divides once by L, as the CPU, so the results are
// identical. The layer pointers travel in the kernel's parameters, kLayerChunk per launch; with
// more layers, launches after the first continue the same per-element double sum from a scratch
// buffer (the order of the additions does not change).
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"

namespace mmg {
namespace body {

constexpr int kLayerChunk = 32;

struct LayerChunk {
  const void* x[kLayerChunk];
  int count;  // layers in this launch
  bool first, last;
  int64_t total;  // L
};

// Element i: acc = (first ? 0 : acc[i]) + x₀[i] + x₁[i] + ...; the last chunk writes acc / L.
template <typename T>
MMG_HD void layer_mean_elem(int64_t i, const LayerChunk& ch, double* acc, T* y) {
  double s = ch.first ? 0.0 : acc[i];
  for (int k = 0; k < ch.count; ++k) s += double(static_cast<const T*>(ch.x[k])[i]);
  if (ch.last)
    y[i] = static_cast<T>(s / double(ch.total));
  else
    acc[i] = s;
}

}  // namespace body

// The input checks (the CPU kernel calls this too).
inline void layer_mean_check(Call& c) {
  if (c.n_in() < 1) fail(MMG_E_ARG, "layer_mean: expected at least 1 input, got 0");
  c.expect_float(0, "x0");
  for (int k = 1; k < c.n_in(); ++k) {
    const std::string name = "x" + std::to_string(k);
    c.expect_same_dtype(0, k, "x0", name.c_str());
    c.expect_same_shape(0, k, "x0", name.c_str());
  }
}

// The layers [k0, k0 + kLayerChunk) of the call.
inline body::LayerChunk layer_chunk(const Call& c, int k0) {
  body::LayerChunk ch{};
  const int L = c.n_in();
  ch.count = L - k0 < body::kLayerChunk ? L - k0 : body::kLayerChunk;
  for (int k = 0; k < ch.count; ++k) ch.x[k] = c.in(k0 + k).data;
  ch.first = k0 == 0;
  ch.last = k0 + ch.count == L;
  ch.total = L;
  return ch;
}

}  // namespace mmg
