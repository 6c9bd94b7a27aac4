// reshape on the CUDA backend (contract: native/ops/reshape.cc): the CPU kernel's checks and shape
// inference, then one device-to-device copy of the bytes (y is a copy, never a view, as on the CPU).
// No kernel of our own: cudaMemcpyAsync on the backend's stream (cuda-emu: memcpy).
#pragma once
#include <string>
#include "../core/tensor.h"

namespace mmg {

struct ReshapePlan {
  int ndim = 0;
  int64_t shape[MMG_MAX_DIMS] = {0, 0, 0, 0};
  int64_t bytes = 0;
};

// Checks and shape inference (the CPU kernel calls this too).
inline ReshapePlan reshape_plan(Call& c) {
  c.expect_inputs(1, 1);
  const mmg_tensor& X = c.in(0);
  const size_t esize = dtype_size(X.dtype);
  if (esize == 0) fail(MMG_E_DTYPE, "reshape: expected a known dtype, got ", X.dtype);
  ReshapePlan p;
  const int n_attr = c.n_attr();
  if (n_attr > MMG_MAX_DIMS) fail(MMG_E_ARG, "reshape: expected at most ", MMG_MAX_DIMS, " dimensions, got ", n_attr);
  std::string want = "[";
  int infer = -1;
  int64_t known = 1;
  for (int i = 0; i < n_attr; ++i) {
    const int64_t d = c.attr_int(i);
    want += (i ? ", " : "") + std::to_string(d);
    if (d == -1) {
      if (infer >= 0) fail(MMG_E_ARG, "reshape: expected at most one -1 dimension, got two");
      infer = i;
    } else if (d < 0) {
      fail(MMG_E_ARG, "reshape: expected dimensions >= 0 or -1, got ", d);
    } else {
      known *= d;
    }
    p.shape[i] = d;
  }
  want += "]";
  const int64_t n = numel(X);
  if (infer >= 0) {
    if (known == 0 || n % known != 0) c.shape_error("a shape whose -1 fits " + std::to_string(n) + " elements", want);
    p.shape[infer] = n / known;
  } else if (known != n) {
    c.shape_error("a shape with " + std::to_string(n) + " elements (x is " + shape_str(X) + ")", want);
  }
  p.ndim = n_attr;
  p.bytes = n * static_cast<int64_t>(esize);
  return p;
}

}  // namespace mmg
