// add: C = A + alpha·B, elementwise; sub: C = A − B (no attrs), the same kernel with alpha = −1. B has exactly A's shape, or is a
// row vector [cols] (or [1, cols]) broadcast over A's rows. float32/float64, same dtype.
// Attrs: [alpha = 1]. Output: C shaped like A. Deterministic (no reductions).
// add_backward: inputs (g [A's shape], B) → dB shaped like B: alpha·g, summed over rows when B
// broadcasts (double accumulators, fixed order; core/reduce.h). dA = g needs no kernel.
#include "../core/elementwise.h"
#include "../core/registry.h"
#include "add.h"  // add_plan, add_backward_plan and the element bodies (one definition for every device)

namespace mmg {
namespace {

void add_impl(Call& c, bool sub) {
  const AddPlan p = add_plan(c, sub);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  mmg_tensor& C = c.out_like(A);
  const int64_t n = p.n, nc = p.nc;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    const T* a = ptr<T>(A);
    const T* b = ptr<T>(B);
    T* o = ptr<T>(C);
    const T al = static_cast<T>(p.alpha);
    // Row loops instead of add_elem's i % nc: the same sums, contiguous and vectorized.
    if (!p.broadcast) {
      parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) o[i] = body::add_one(a[i], b[i], al);
      });
    } else {
      parallel_for(rows(A), row_grain(nc), [&](int64_t s, int64_t e) {
        for (int64_t r = s; r < e; ++r) {
          const T* ar = a + r * nc;
          T* orow = o + r * nc;
          for (int64_t j = 0; j < nc; ++j) orow[j] = body::add_one(ar[j], b[j], al);
        }
      });
    }
  });
}

void add_cpu(Call& c) { add_impl(c, false); }
void sub_cpu(Call& c) { add_impl(c, true); }

void add_backward_cpu(Call& c) {
  const AddBackwardPlan p = add_backward_plan(c);
  const mmg_tensor &G = c.in(0), &B = c.in(1);
  mmg_tensor& DB = c.out_like(B);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    const T* g = ptr<T>(G);
    T* db = ptr<T>(DB);
    if (!p.broadcast) {
      map1<T>(p.n, g, db, body::AddBackwardScale<T>{static_cast<T>(p.alpha)});
      return;
    }
    // The CPU's own column blocking (core/reduce.h col_sum); the devices cut the rows in chunks.
    col_sum(p.rows, p.nc, body::AddBackwardTerm<T>{g, p.nc}, body::AddBackwardEmit<T>{db, p.alpha});
  });
}

}  // namespace
MMG_REGISTER_KERNEL("add", MMG_CPU, add_cpu);
MMG_REGISTER_KERNEL("sub", MMG_CPU, sub_cpu);
MMG_REGISTER_KERNEL("add_backward", MMG_CPU, add_backward_cpu);
}  // namespace mmg
