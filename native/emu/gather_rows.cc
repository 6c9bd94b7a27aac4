// gather_rows on cuda-emu: the index check's twin, then gather_elem over every thread.
#include "../ops/gather_rows.h"
#include "grid.h"

namespace mmg {
namespace {

template <typename E, typename I>
void run(const mmg_tensor& X, const I* idx, const GatherPlan& p, mmg_tensor& Y) {
  const E* x = ptr<E>(X);
  E* y = ptr<E>(Y);
  emu::for_threads(p.b * p.d, [&](int64_t i) { body::gather_elem(i, x, idx, p.d, y); });
}

void gather_rows_emu(Call& c) {
  const GatherPlan p = gather_rows_check(c);
  const mmg_tensor &X = c.in(0), &Idx = c.in(1);
  mmg_tensor& Y = c.out({p.b, p.d}, X.dtype);
  MMG_INDEX_SWITCH(Idx.dtype, I, c, {
    if (device_data_check_needed(gather_rows_checked(c))) emu::check_indices(c.op(), ptr<I>(Idx), p.b, p.n);
    if (dtype_size(X.dtype) == 4) run<uint32_t>(X, ptr<I>(Idx), p, Y);
    else run<uint64_t>(X, ptr<I>(Idx), p, Y);
  });
}

}  // namespace
MMG_REGISTER_KERNEL("gather_rows", MMG_CUDA_EMU, gather_rows_emu);
}  // namespace mmg
