// log_sigmoid on the CUDA backend (contract: native/ops/log_sigmoid.cc): one thread per element
// (elementwise.cuh). The CPU's form min(x, 0) − log1p(e^(−|x|)), which never overflows and keeps
// full precision for large |x|; min as std::min(x, 0) evaluates it (a NaN x stays NaN).
// log_sigmoid_backward: inputs (x, g), dx = g·σ(−x), from e^(−|x|) as well.
#pragma once
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
struct LogSigmoidOp {
  MMG_HD T operator()(T x) const {
    const T m = T(0) < x ? T(0) : x;  // std::min(x, T(0))
    return m - hd_log1p(hd_exp(-hd_fabs(x)));
  }
};

template <typename T>
struct LogSigmoidBackwardOp {
  MMG_HD T operator()(T x, T g) const {
    const T e = hd_exp(-hd_fabs(x));
    return g * (x >= T(0) ? e / (T(1) + e) : T(1) / (T(1) + e));
  }
};

}  // namespace body
}  // namespace mmg
