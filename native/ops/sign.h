// sign on the CUDA backend (contract: native/ops/sign.cc): one thread per element
// (elementwise.cuh). sign(±0) = 0, sign(NaN) = NaN; no backward kernel.
#pragma once
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
struct SignOp {
  MMG_HD T operator()(T x) const { return x != x ? x : static_cast<T>((x > T(0)) - (x < T(0))); }
};

}  // namespace body
}  // namespace mmg
