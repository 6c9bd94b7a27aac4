// abs on the CUDA backend (contract: native/ops/abs.cc): one thread per element
// (elementwise.cuh). abs_backward: dx = g·sign(x) with sign(0) = 0, NaN x passed through.
#pragma once
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
struct AbsOp {
  MMG_HD T operator()(T x) const { return hd_fabs(x); }
};

template <typename T>
struct AbsBackwardOp {
  MMG_HD T operator()(T x, T g) const { return x > T(0) ? g : x < T(0) ? -g : x == T(0) ? T(0) : x; }
};

}  // namespace body
}  // namespace mmg
