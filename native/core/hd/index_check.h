// Row-index validation shared by every op that takes row indices (gather_rows, scatter_add_rows,
// the batch checks) on every device: the first index outside [0, n) is an MMG_E_DATA error naming
// its position and value. The CPU and the emulator scan on the host (check_indices); the GPU finds
// the first bad position with atomicMin (the CUDA backend's index_check.cu) and raises the same
// error through index_error, so a bad index reads the same on every device.
#pragma once
#include <cstdint>
#include "../error.h"
#include "body_common.h"

namespace mmg {

[[noreturn]] inline void index_error(const char* op, int64_t n, int64_t pos, int64_t value) {
  fail(MMG_E_DATA, op, ": expected indices in [0, ", n, "), got idx[", pos, "] = ", value);
}

// Serial, so it runs before any parallel region (a kernel never throws inside parallel_for).
template <typename I>
void check_indices(const char* op, const I* idx, int64_t count, int64_t n) {
  for (int64_t i = 0; i < count; ++i)
    if (!body::index_in_range(idx[i], n)) index_error(op, n, i, static_cast<int64_t>(idx[i]));
}

}  // namespace mmg
