// gather_rows on the CUDA backend (contract: native/ops/gather_rows.cc): indices are checked
// on the device first, then one thread per output element copies it (any dtype, moved as 4- or
// 8-byte words).
#pragma once
#include "../core/device_counters.h"
#include "../core/tensor.h"
#include "../core/hd/body_common.h"

namespace mmg {
namespace body {

template <typename E, typename I>
MMG_HD void gather_elem(int64_t i, const E* x, const I* idx, int64_t d, E* y) {
  const int64_t r = i / d, j = i - r * d;
  y[i] = x[int64_t(idx[r]) * d + j];
}

}  // namespace body

struct GatherPlan {
  int64_t n, d, b;
};

// Attribute 0 (`checked`, optional): 1 when every index is known to lie in [0, n) because it was
// checked on the host where the batch was built (lib/nn/batch.ts); the device scan, a round trip,
// then runs only under MMGRAPH_CUDA_CHECK=1. The CPU kernel always checks (it costs no sync there).
inline bool gather_rows_checked(const Call& c) { return c.attr_int_or(0, 0) != 0; }

inline GatherPlan gather_rows_check(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_ndim(0, "X", 2);
  c.expect_index(1, "idx");
  c.expect_ndim(1, "idx", 1);
  return {c.in(0).shape[0], c.in(0).shape[1], c.in(1).shape[0]};
}

}  // namespace mmg
