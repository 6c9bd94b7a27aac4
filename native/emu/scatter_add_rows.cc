// scatter_add_rows on cuda-emu: the GPU's per-element body with plain adds in place of atomics;
// host threads split the columns and each walks the sources in increasing b (deterministic).
#include <cstring>
#include "../ops/scatter_add_rows.h"
#include "grid.h"

namespace mmg {
namespace {

void scatter_add_rows_emu(Call& c) {
  const ScatterPlan p = scatter_add_rows_check(c);
  const mmg_tensor &X = c.in(0), &Idx = c.in(1);
  if (device_data_check_needed(scatter_add_rows_checked(c)))
    MMG_INDEX_SWITCH(Idx.dtype, I, c, emu::check_indices(c.op(), ptr<I>(Idx), p.b, p.n));
  mmg_tensor& Y = c.out({p.n, p.d}, X.dtype);
  std::memset(Y.data, 0, size_t(p.n * p.d) * dtype_size(X.dtype));
  MMG_INDEX_SWITCH(Idx.dtype, I, c, MMG_FLOAT_SWITCH(X.dtype, T, c, {
    const T* x = ptr<T>(X);
    const I* idx = ptr<I>(Idx);
    T* y = ptr<T>(Y);
    emu::for_blocks(p.d, p.b, [&](int64_t j) {
      for (int64_t b = 0; b < p.b; ++b) {
        const int64_t i = b * p.d + j;
        y[body::scatter_dest(i, idx, p.d)] += x[i];
      }
    });
  }));
}

}  // namespace
MMG_REGISTER_KERNEL("scatter_add_rows", MMG_CUDA_EMU, scatter_add_rows_emu);
}  // namespace mmg
