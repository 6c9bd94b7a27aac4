// exp on the CUDA backend (contract: native/ops/exp.cc): one thread per element
// (elementwise.cuh). Overflows to +inf; the backward is the mul kernel.
#pragma once
#include "elementwise.h"

namespace mmg {
namespace body {

template <typename T>
struct ExpOp {
  MMG_HD T operator()(T x) const { return hd_exp(x); }
};

}  // namespace body
}  // namespace mmg
