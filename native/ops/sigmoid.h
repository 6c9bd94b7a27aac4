// sigmoid on the CUDA backend (contract: native/ops/sigmoid.cc): one thread per element
// (elementwise.cuh). The CPU's stable form from e^(−|x|): no exp overflows, and far out the
// result saturates to exactly 0 or 1. sigmoid_backward: inputs (y, g), dx = g·y·(1 − y).
#pragma once
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
MMG_HD T sigmoid_one(T x) {
  const T e = hd_exp(-hd_fabs(x));
  return x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
}

template <typename T>
struct SigmoidOp {
  MMG_HD T operator()(T x) const { return sigmoid_one(x); }
};

template <typename T>
struct SigmoidBackwardOp {
  MMG_HD T operator()(T y, T g) const { return g * y * (T(1) - y); }
};

}  // namespace body
}  // namespace mmg
