// concat_rows on the CUDA backend (contract: native/ops/concat_rows.cc): one device-to-device
// copy per input into its row offset (cudaMemcpyAsync on the stream; memcpy on cuda-emu).
#pragma once
#include <string>
#include <vector>
#include "../core/tensor.h"

namespace mmg {

struct ConcatPlan {
  int64_t total = 0, d = 0, row_bytes = 0;
  std::vector<int64_t> offset;  // first output row of each input, then the total
};

inline ConcatPlan concat_rows_check(Call& c) {
  c.expect_inputs(1, 1 << 20);
  const int k = c.n_in();
  ConcatPlan p;
  p.d = c.in(0).ndim == 2 ? c.in(0).shape[1] : 0;
  p.offset.assign(size_t(k) + 1, 0);
  for (int i = 0; i < k; ++i) {
    const std::string name = "input #" + std::to_string(i);
    c.expect_ndim(i, name.c_str(), 2);
    c.expect_same_dtype(0, i, "input #0", name.c_str());
    if (c.in(i).shape[1] != p.d)
      c.shape_error("every input to have " + std::to_string(p.d) + " columns like input #0", shape_str(c.in(i)) + " for " + name);
    p.offset[size_t(i) + 1] = p.offset[size_t(i)] + c.in(i).shape[0];
  }
  p.total = p.offset[size_t(k)];
  p.row_bytes = p.d * int64_t(dtype_size(c.in(0).dtype));
  return p;
}

}  // namespace mmg
