// log on the CUDA backend (contract: native/ops/log.cc): one thread per element
// (elementwise.cuh). ln 0 = −inf, ln of a negative or NaN = NaN. log_backward: dx = g/x.
#pragma once
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
struct LogOp {
  MMG_HD T operator()(T x) const { return hd_log(x); }
};

template <typename T>
struct LogBackwardOp {
  MMG_HD T operator()(T x, T g) const { return g / x; }
};

}  // namespace body
}  // namespace mmg
