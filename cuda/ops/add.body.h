// add on the CUDA backend (contract: native/ops/add.cc): one thread per output element.
#pragma once
#include <string>
#include "../../native/core/tensor.h"
#include "../body_common.h"

namespace mmg {
namespace body {

// o[i] = a[i] + alpha·b[i], or with b a row vector broadcast over rows of nc columns.
template <typename T>
MMG_HD void add_elem(int64_t i, const T* a, const T* b, T* o, T alpha, int64_t nc, bool broadcast) {
  o[i] = a[i] + alpha * b[broadcast ? i % nc : i];
}

}  // namespace body
}  // namespace mmg

namespace mmg {

struct AddPlan {
  int64_t n = 0, nc = 0;
  bool broadcast = false;
  double alpha = 1;
};

// Input checks with the CPU kernel's messages; the caller allocates C like A.
inline AddPlan add_plan(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  AddPlan p;
  p.n = numel(A);
  p.nc = cols(A);
  const int64_t nb = numel(B);
  p.broadcast = nb != p.n || B.ndim != A.ndim;
  if (p.broadcast && !(nb == p.nc && (B.ndim == 1 || (B.ndim == 2 && B.shape[0] == 1))))
    c.shape_error("B to have A's shape " + shape_str(A) + " or be a row vector [" + std::to_string(p.nc) + "]", shape_str(B));
  p.alpha = c.attr_or(0, 1.0);
  return p;
}

}  // namespace mmg
