// slice_rows on the CUDA backend (contract: native/ops/slice_rows.cc): one device-to-device copy.
#pragma once
#include "../core/tensor.h"

namespace mmg {

struct SlicePlan {
  int64_t start, end, d, row_bytes;
};

inline SlicePlan slice_rows_check(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_ndim(0, "X", 2);
  const mmg_tensor& X = c.in(0);
  const int64_t n = X.shape[0], d = X.shape[1];
  const int64_t start = c.attr_int(0), end = c.attr_int(1);
  if (start < 0 || start > end || end > n)
    fail(MMG_E_ARG, c.op(), ": expected 0 <= start <= end <= ", n, ", got start ", start, ", end ", end);
  return {start, end, d, d * int64_t(dtype_size(X.dtype))};
}

}  // namespace mmg
