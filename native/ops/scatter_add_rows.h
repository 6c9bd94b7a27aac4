// scatter_add_rows on the CUDA backend (contract: native/ops/scatter_add_rows.cc).
// GPU: Y is cleared, then one thread per element of X adds it into its destination with
// atomicAdd. NOT deterministic run to run on a GPU when indices repeat (the order of the atomic
// additions varies, so float sums may differ in the last bits); the CPU kernel and cuda-emu are
// deterministic. cuda-emu runs the same per-element body, one column per host thread and the
// sources in increasing b, which is the CPU's order, so it matches the CPU exactly.
#pragma once
#include <string>
#include "../core/device_counters.h"
#include "../core/tensor.h"
#include "../core/hd/body_common.h"

namespace mmg {
namespace body {

// Offset in Y that element i of X adds into.
template <typename I>
MMG_HD int64_t scatter_dest(int64_t i, const I* idx, int64_t d) {
  const int64_t b = i / d, j = i - b * d;
  return int64_t(idx[b]) * d + j;
}

}  // namespace body

struct ScatterPlan {
  int64_t b, d, n;
};

// Attribute 1 (`checked`, optional): as gather_rows' attribute 0 (the backward of a gather passes
// the same host-checked indices on).
inline bool scatter_add_rows_checked(const Call& c) { return c.attr_int_or(1, 0) != 0; }

inline ScatterPlan scatter_add_rows_check(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "X");
  c.expect_ndim(0, "X", 2);
  c.expect_index(1, "idx");
  c.expect_ndim(1, "idx", 1);
  const mmg_tensor &X = c.in(0), &Idx = c.in(1);
  const int64_t b = X.shape[0], d = X.shape[1];
  if (Idx.shape[0] != b) c.shape_error("idx with one entry per row of X (" + std::to_string(b) + ")", shape_str(Idx));
  const int64_t n = c.attr_int(0);
  if (n < 0) fail(MMG_E_ARG, c.op(), ": expected a row count n >= 0, got ", n);
  return {b, d, n};
}

}  // namespace mmg
