// tanh on the CUDA backend (contract: native/ops/tanh.cc): one thread per element
// (elementwise.cuh). tanh_backward: inputs (y, g), dx = g·(1 − y²).
#pragma once
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
struct TanhOp {
  MMG_HD T operator()(T x) const { return hd_tanh(x); }
};

template <typename T>
struct TanhBackwardOp {
  MMG_HD T operator()(T y, T g) const { return g * (T(1) - y * y); }
};

}  // namespace body
}  // namespace mmg
