// add: C = A + alpha·B, elementwise (sub is add with alpha = -1). B has exactly A's shape, or is a
// row vector [cols] (or [1, cols]) broadcast over A's rows. float32/float64, same dtype.
// Attrs: [alpha = 1]. Output: C shaped like A. Deterministic (no reductions).
// add_backward: inputs (g [A's shape], B) → dB shaped like B: alpha·g, summed over rows when B
// broadcasts (double accumulators, fixed order; core/reduce.h). dA = g needs no kernel.
#include "../core/elementwise.h"
#include "../core/registry.h"

namespace mmg {
namespace {

template <typename T>
T add_one(T a, T b, T alpha) { return a + alpha * b; }

void add_cpu(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const bool broadcast = row_broadcast(c, A, B);
  const double alpha = c.attr_or(0, 1.0);
  mmg_tensor& C = c.out_like(A);
  const int64_t n = numel(A), nc = cols(A);
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    const T* a = ptr<T>(A);
    const T* b = ptr<T>(B);
    T* o = ptr<T>(C);
    const T al = static_cast<T>(alpha);
    if (!broadcast) {
      parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) o[i] = add_one(a[i], b[i], al);
      });
    } else {
      parallel_for(rows(A), row_grain(nc), [&](int64_t s, int64_t e) {
        for (int64_t r = s; r < e; ++r) {
          const T* ar = a + r * nc;
          T* orow = o + r * nc;
          for (int64_t j = 0; j < nc; ++j) orow[j] = add_one(ar[j], b[j], al);
        }
      });
    }
  });
}

void add_backward_cpu(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "g");
  c.expect_same_dtype(0, 1, "g", "B");
  const mmg_tensor &G = c.in(0), &B = c.in(1);
  const bool broadcast = row_broadcast(c, G, B, "g");
  const double alpha = c.attr_or(0, 1.0);
  mmg_tensor& DB = c.out_like(B);
  MMG_FLOAT_SWITCH(G.dtype, T, c, {
    const T* g = ptr<T>(G);
    T* db = ptr<T>(DB);
    const T al = static_cast<T>(alpha);
    if (!broadcast) {
      map1<T>(numel(G), g, db, [&](T v) { return al * v; });
      return;
    }
    const int64_t nc = cols(G);
    col_sum(rows(G), nc, [&](int64_t r, int64_t j) { return double(g[r * nc + j]); },
            [&](int64_t j, double s) { db[j] = static_cast<T>(alpha * s); });
  });
}

}  // namespace
MMG_REGISTER_KERNEL("add", MMG_CPU, add_cpu);
MMG_REGISTER_KERNEL("add_backward", MMG_CPU, add_backward_cpu);
}  // namespace mmg
