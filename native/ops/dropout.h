// dropout on the CUDA backend (contract: native/ops/dropout.cc): one thread per element. Element
// i is kept iff the top 53 bits of splitmix64(seed, i) (rand_like.h) are ≥ ⌈p·2⁵³⌉; then
// mask_i = 1/(1−p) (computed once on the host in X's dtype) and y_i = x_i·mask_i, else both 0.
// Bit-identical to the CPU: integer hashing, a select and one multiply.
// dropout_backward: dX = dY ⊙ mask (elementwise.cuh's map2 with body::MulOp).
#pragma once
#include <cmath>
#include "elementwise.h"
#include "rand_like.h"

namespace mmg {
namespace body {

template <typename T>
MMG_HD void dropout_elem(int64_t i, const T* x, T* y, T* m, uint64_t seed, uint64_t threshold53, T scale) {
  const bool keep = (splitmix64_at(seed, uint64_t(i)) >> 11) >= threshold53;
  m[i] = keep ? scale : T(0);
  y[i] = x[i] * m[i];
}

}  // namespace body

struct DropoutPlan {
  double p = 0;
  uint64_t seed = 0, threshold = 0;
};

// dropout: the CPU's checks in its order (inputs, p, seed_hi, seed_lo); the caller allocates
// Y and mask like X.
inline DropoutPlan dropout_plan(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "X");
  DropoutPlan d;
  d.p = c.attr(0);
  if (!(d.p >= 0 && d.p < 1)) fail(MMG_E_ARG, c.op(), ": expected a drop probability p in [0, 1), got ", d.p);
  d.seed = seed_attrs(c, 1);
  d.threshold = static_cast<uint64_t>(std::ceil(d.p * 9007199254740992.0));  // p·2^53, exact
  return d;
}

// dropout_backward: inputs (dY, mask) of one float dtype and shape; dX is allocated like dY.
inline void dropout_backward_check(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "dY");
  c.expect_same_dtype(0, 1, "dY", "mask");
  c.expect_same_shape(0, 1, "dY", "mask");
}

}  // namespace mmg
